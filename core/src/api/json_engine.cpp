#include "leadline/json_engine.hpp"

#include "api/envelope.hpp"
#include "api/json_boundary.hpp"
#include "leadline/ids.hpp"
#include "store/single_file_upgrade.hpp"
#include "validation/webhook_input.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
#include <utility>

namespace leadline {
namespace {

using json = nlohmann::json;
using api::malformed;
using api::request_from_json;
using api::to_json;
using api::frame;

std::string unavailable() {
  return to_json(api::error_reply(Error{ErrorCode::Unavailable, "The engine is not open"}));
}

}  // namespace

JsonEngine::JsonEngine() = default;
JsonEngine::~JsonEngine() = default;

std::string JsonEngine::open(const std::string& path, const std::string& options_json) {
  EngineOptions options;
  if (!options_json.empty()) {
    auto parsed = json::parse(options_json, nullptr, false);
    if (!parsed.is_object()) return "engine options must be a JSON object";
    for (const auto& [name, value] : parsed.items()) {
      if (name == "receiptRetentionMs") {
        if (!value.is_number_integer() || value.get<std::int64_t>() <= 0) return "receiptRetentionMs must be a positive integer";
        options.receipt_retention_ms = value.get<std::int64_t>();
      } else if (name == "allowQueryKey") {
        if (!value.is_boolean()) return "allowQueryKey must be true or false";
        options.allow_query_key = value.get<bool>();
      } else if (name == "maxBodyBytes" || name == "maxBatchBodyBytes") {
        if (!value.is_number_integer() || value.get<std::int64_t>() <= 0) return name + " must be a positive integer";
        (name == "maxBodyBytes" ? options.max_body_bytes : options.max_batch_body_bytes) =
            static_cast<std::size_t>(value.get<std::int64_t>());
      } else if (name == "replicate") {
        if (!value.is_boolean()) return "replicate must be true or false";
        options.replicate = value.get<bool>();
      } else if (name == "webhookAllowPrivate") {
        if (!value.is_boolean()) return "webhookAllowPrivate must be true or false";
        options.webhook_allow_private = value.get<bool>();
      } else if (name == "webhookRetrySchedule") {
        if (!value.is_string()) return "webhookRetrySchedule must be a string such as 5s,5m,2h";
        auto schedule = validation::parse_retry_schedule(value.get<std::string>());
        if (!schedule) return schedule.error().message;
        options.webhook_retry_schedule_ms = std::move(*schedule);
      } else if (name == "captureChanges") {
        if (!value.is_boolean()) return "captureChanges must be true or false";
        options.capture_changes = value.get<bool>();
      } else if (name == "role") {
        static const std::pair<const char*, EngineRole> kRoles[] = {
            {"whole", EngineRole::Whole}, {"catalog", EngineRole::Catalog}, {"workspaces", EngineRole::Workspaces}};
        const std::string role_name = value.is_string() ? value.get<std::string>() : "";
        const auto* found = std::find_if(std::begin(kRoles), std::end(kRoles),
                                         [&role_name](const auto& role) { return role_name == role.first; });
        if (found == std::end(kRoles)) return "role must be whole, catalog or workspaces";
        options.role = found->second;
      } else if (name == "workerCount" || name == "workerIndex" || name == "maxOpenWorkspaces" ||
                 name == "workspaceCacheKib") {
        const bool index = name == "workerIndex";
        if (!value.is_number_integer() || value.get<std::int64_t>() < (index ? 0 : 1) ||
            value.get<std::int64_t>() > (1 << 24))
          return name + (index ? " must be a non-negative integer" : " must be a positive integer");
        const auto number = value.get<std::int64_t>();
        if (name == "workerCount") options.worker_count = static_cast<unsigned>(number);
        if (index) options.worker_index = static_cast<unsigned>(number);
        if (name == "maxOpenWorkspaces") options.max_open_workspaces = static_cast<std::size_t>(number);
        if (name == "workspaceCacheKib") options.workspace_cache_kib = static_cast<int>(number);
      } else {
        return "unknown engine option " + name;
      }
    }
  }
  auto engine = Engine::open(path, std::move(options));
  if (!engine) return engine.error().message;
  engine_ = std::move(*engine);
  return "";
}

std::string JsonEngine::upgrade_single_file(const std::string& single_file, const std::string& data_dir,
                                            int max_workspaces) {
  try {
    auto progress = store::upgrade_single_file(single_file, store::DataFolder(data_dir), max_workspaces);
    if (!progress) return json{{"error", progress.error().message}}.dump();
    return json{{"found", progress->found},         {"done", progress->done},
                {"workspaces", progress->workspaces}, {"converted", progress->converted},
                {"written", progress->written},     {"retiredTo", progress->retired_to}}
        .dump();
  } catch (const std::exception& failure) {
    return json{{"error", failure.what()}}.dump();
  }
}

std::string JsonEngine::handle(const std::string& request_json, const std::string& body) {
  if (!engine_) return unavailable();
  auto request = request_from_json(request_json, body);
  return request ? to_json(engine_->handle(*request)) : malformed();
}

std::string JsonEngine::validate(const std::string& request_json, const std::string& body) {
  if (!engine_) return unavailable();
  auto request = request_from_json(request_json, body);
  return request ? to_json(engine_->validate(*request)) : malformed();
}

std::string JsonEngine::replicate(const std::string& command_json) {
  if (!engine_) return unavailable();
  return to_json(engine_->replicate(command_json));
}
std::string JsonEngine::deliver(const std::string& command_json) {
  if (!engine_) return unavailable();
  return to_json(engine_->deliver(command_json));
}

std::string JsonEngine::admin(const std::string& command_json) {
  if (!engine_) return unavailable();
  return to_json(engine_->admin(command_json));
}

std::string JsonEngine::read_stream(unsigned stream) {
  StreamChunk chunk;
  if (engine_) chunk = engine_->read_stream(stream);
  else chunk = StreamChunk{"", true, "The engine is not open"};
  json head{{"done", chunk.done}};
  if (!chunk.failure.empty()) head["failure"] = chunk.failure;
  return frame(head, chunk.data);
}

const std::string& JsonEngine::read_stream_kept(unsigned stream) {
  kept_piece_ = read_stream(stream);
  return kept_piece_;
}

std::string JsonEngine::backup_step(const std::string& directory) {
  if (!engine_) return json{{"done", false}, {"copied", 0}, {"written", json::array()}, {"failure", "The engine is not open"}}.dump();
  const auto step = engine_->backup_step(directory);
  json out{{"done", step.done}, {"copied", step.copied}, {"written", step.written}};
  if (!step.failure.empty()) out["failure"] = step.failure;
  return out.dump();
}

std::string JsonEngine::work() {
  WorkSlice slice;
  if (engine_) slice = engine_->work();
  json out{{"more", slice.more}, {"written", slice.written}};
  if (slice.wake_in_ms >= 0) out["wakeInMs"] = slice.wake_in_ms;
  if (!slice.changeset.empty()) out["changeset"] = api::base64(slice.changeset);
  if (slice.held) {
    out["held"] = true;
    out["workspaceId"] = format_id(kWorkspaceIdPrefix, slice.workspace_id);
  }
  return out.dump();
}

void JsonEngine::close_stream(unsigned stream) {
  if (engine_) engine_->close_stream(stream);
}

void JsonEngine::close() { engine_.reset(); }

}  // namespace leadline
