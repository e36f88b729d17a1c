#include "api/health_route.hpp"

#include "store/migrations.hpp"

namespace leadline::api {

Result<Reply> health(RouteContext& context, NothingDecoded&) {
  auto stmt = context.services.db.prepare("SELECT 1");
  if (!stmt) return stmt.take_error();
  if (!stmt->step()) return context.services.db.error("health");
  return Reply{200, {{"status", "ok"}, {"schemaVersion", store::latest_schema_version(store::Schema::Workspace)}}, std::nullopt};
}

}  // namespace leadline::api
