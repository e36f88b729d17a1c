#include "api/replica_command.hpp"

#include "api/json_boundary.hpp"
#include "leadline/ids.hpp"

#include <array>
#include <set>
#include <string_view>

namespace leadline::api {
namespace {

using json = nlohmann::json;

struct OpRow {
  std::string_view name;
  ReplicaOp op;
  std::set<std::string_view> fields;  ///< besides "op"
};

const std::array<OpRow, 10>& op_table() {
  static const std::array<OpRow, 10> kOps{{
      {"settle", ReplicaOp::Settle, {"commit", "sequence", "epoch"}},
      {"apply", ReplicaOp::Apply, {"database", "sequence", "previous", "epoch", "changeset"}},
      {"own", ReplicaOp::Own, {"database", "epoch"}},
      {"disown", ReplicaOp::Disown, {"database"}},
      {"position", ReplicaOp::Position, {"database"}},
      {"fingerprint", ReplicaOp::Fingerprint, {"database"}},
      {"discard", ReplicaOp::Discard, {"database"}},
      {"create-missing", ReplicaOp::CreateMissing, {}},
      {"snapshot", ReplicaOp::Snapshot, {"database", "path"}},
      {"install-snapshot", ReplicaOp::InstallSnapshot, {"database", "path", "sequence", "previous", "epoch"}},
  }};
  return kOps;
}

Result<std::int64_t> count_field(const json& command, std::string_view name) {
  const auto& value = command[std::string(name)];
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0)
    return Error::invalid_field(std::string(name), "must be a non-negative integer");
  return value.get<std::int64_t>();
}

}  // namespace

Result<ReplicaCommand> decode_replica_command(const json& command) {
  if (!command.is_object() || !command.contains("op") || !command["op"].is_string())
    return Error::invalid_field("op", "is required");
  const auto name = command["op"].get<std::string>();
  const OpRow* row = nullptr;
  for (const auto& candidate : op_table())
    if (candidate.name == name) row = &candidate;
  if (row == nullptr) return Error::invalid_field("op", "unknown replication op " + name);
  for (const auto& [field, value] : command.items()) {
    if (field != "op" && !row->fields.count(field)) return Error::invalid_field(field, "is not a field of " + name);
  }
  for (auto field : row->fields) {
    if (!command.contains(std::string(field))) return Error::invalid_field(std::string(field), "is required");
  }
  ReplicaCommand decoded;
  decoded.op = row->op;
  if (row->fields.count("database")) {
    const auto& database = command["database"];
    if (database == "catalog") {
      decoded.workspace_id = 0;
    } else {
      auto id = database.is_string() ? parse_id(kWorkspaceIdPrefix, database.get<std::string>()) : std::nullopt;
      if (!id) return Error::invalid_field("database", "must be \"catalog\" or a workspace id");
      decoded.workspace_id = *id;
    }
  }
  if (row->fields.count("commit")) {
    if (!command["commit"].is_boolean()) return Error::invalid_field("commit", "must be true or false");
    decoded.commit = command["commit"].get<bool>();
  }
  for (auto [field, target] : {std::pair{std::string_view("sequence"), &decoded.sequence},
                               std::pair{std::string_view("previous"), &decoded.previous},
                               std::pair{std::string_view("epoch"), &decoded.epoch}}) {
    if (!row->fields.count(field)) continue;
    auto value = count_field(command, field);
    if (!value) return value.take_error();
    *target = *value;
  }
  if (row->fields.count("path")) {
    const auto& path = command["path"];
    if (!path.is_string() || path.get<std::string>().empty()) return Error::invalid_field("path", "must be a file path");
    decoded.path = path.get<std::string>();
  }
  if (row->fields.count("changeset")) {
    auto bytes = command["changeset"].is_string() ? from_base64(command["changeset"].get<std::string>()) : std::nullopt;
    if (!bytes) return Error::invalid_field("changeset", "must be base64");
    decoded.changeset = std::move(*bytes);
  }
  return decoded;
}

}  // namespace leadline::api
