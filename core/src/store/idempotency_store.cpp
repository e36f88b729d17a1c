#include "store/idempotency_store.hpp"

namespace leadline::store {

Result<std::optional<StoredReply>> IdempotencyStore::find(const IdempotencyScope& scope, std::int64_t not_before) {
  auto stmt = db_.prepare(
      "SELECT fingerprint, status, headers, body FROM idempotency_keys WHERE workspace_id = ? AND key_id = ? AND "
      "idempotency_key = ? AND created_at >= ?");
  if (!stmt) return stmt.take_error();
  stmt->bind(1, scope.workspace_id).bind(2, scope.key_id).bind(3, scope.idempotency_key).bind(4, not_before);
  std::optional<StoredReply> reply;
  if (stmt->step()) reply = StoredReply{stmt->text(0), static_cast<int>(stmt->int64(1)), stmt->text(2), stmt->text(3)};
  if (auto status = stmt->status(); !status) return status.take_error();
  return reply;
}

Status IdempotencyStore::save(const IdempotencyScope& scope, const StoredReply& reply, std::int64_t now) {
  auto stmt = db_.prepare(
      "INSERT OR REPLACE INTO idempotency_keys (workspace_id, key_id, idempotency_key, fingerprint, status, headers, "
      "body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.take_error();
  return stmt->bind(1, scope.workspace_id)
      .bind(2, scope.key_id)
      .bind(3, scope.idempotency_key)
      .bind(4, reply.fingerprint)
      .bind(5, reply.status)
      .bind(6, reply.headers)
      .bind(7, reply.body)
      .bind(8, now)
      .run();
}

Result<std::int64_t> IdempotencyStore::purge_before(std::int64_t cutoff) {
  auto stmt = db_.prepare("DELETE FROM idempotency_keys WHERE created_at < ?");
  if (!stmt) return stmt.take_error();
  if (auto status = stmt->bind(1, cutoff).run(); !status) return status.take_error();
  return db_.changes();
}

}  // namespace leadline::store
