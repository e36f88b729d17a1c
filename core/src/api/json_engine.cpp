#include "leadline/json_engine.hpp"

#include "api/envelope.hpp"

#include <nlohmann/json.hpp>

namespace leadline {
namespace {

using json = nlohmann::json;

// A compact dump has no raw newline (those inside strings are escaped), so the first newline
// ends the head.
std::string frame(const json& head, const std::string& body) {
  auto out = head.dump(-1, ' ', false, json::error_handler_t::replace);
  out.reserve(out.size() + 1 + body.size());
  out += '\n';
  out += body;
  return out;
}

std::string to_json(const Response& response) {
  json head{{"status", response.status}, {"headers", response.headers}};
  if (response.stream != 0) head["stream"] = response.stream;
  if (response.credential == CredentialCheck::Verified) head["credential"] = "verified";
  if (response.credential == CredentialCheck::Refused) head["credential"] = "refused";
  if (response.committed) head["committed"] = true;
  if (!response.log_detail.empty()) head["logDetail"] = response.log_detail;
  return frame(head, response.body);
}

// The host builds these objects itself, so a malformed one is a host bug: reported as 500.
std::optional<Request> request_from_json(const std::string& text, const std::string& body) {
  auto parsed = json::parse(text, nullptr, false);
  if (!parsed.is_object()) return std::nullopt;
  Request request;
  request.method = parsed.value("method", "");
  request.path = parsed.value("path", "");
  request.query = parsed.value("query", "");
  request.body = body;
  request.body_not_utf8 = parsed.value("bodyNotUtf8", false);
  request.idempotency_key_in_flight = parsed.value("idempotencyKeyInFlight", false);
  request.request_id = parsed.value("requestId", "");
  request.test_fault = parsed.value("testFault", "");
  if (parsed.contains("headers") && parsed["headers"].is_object()) {
    for (const auto& [name, value] : parsed["headers"].items()) {
      if (value.is_string()) request.headers[name] = value.get<std::string>();
    }
  }
  if (request.method.empty() || request.path.empty()) return std::nullopt;
  return request;
}

std::string unavailable() {
  return to_json(api::error_reply(Error{ErrorCode::Unavailable, "The engine is not open"}));
}

std::string malformed() {
  return to_json(api::error_reply(Error{ErrorCode::Internal, "Malformed request from host"}));
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

bool JsonEngine::work() { return engine_ && engine_->work(); }

void JsonEngine::close_stream(unsigned stream) {
  if (engine_) engine_->close_stream(stream);
}

void JsonEngine::close() { engine_.reset(); }

}  // namespace leadline
