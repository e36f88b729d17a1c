// libFuzzer target: any bytes as one API request through Engine::handle and Engine::validate.
// Input: the first line is "METHOD target" (target = path?query); the rest is the body. The
// workspace key is always attached, so inputs reach validation and the store, not just auth.
// Passing means no crash, no sanitizer report, and every reply a well-formed envelope.
#include "leadline/engine.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

struct Fixture {
  std::unique_ptr<leadline::Engine> engine;
  std::string key;
};

Fixture& fixture() {
  static Fixture state = [] {
    Fixture made;
    auto opened = leadline::Engine::open(":memory:");
    if (!opened) std::abort();
    made.engine = std::move(*opened);
    auto boot = nlohmann::json::parse(made.engine->admin(R"({"command":"bootstrap"})").body);
    made.key = boot["data"]["workspaceKey"];
    return made;
  }();
  return state;
}

void check_envelope(const leadline::Response& response) {
  if (response.status < 100 || response.status > 599) std::abort();
  if (response.stream != 0) return;
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("success")) std::abort();
  if (body["success"] == false && !(body.contains("error") && body["error"].contains("code"))) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& state = fixture();
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const std::string first = input.substr(0, newline);
  const auto space = first.find(' ');
  if (space == std::string::npos) return 0;
  leadline::Request request;
  request.method = first.substr(0, space);
  const auto target = first.substr(space + 1);
  const auto question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = target.substr(question + 1);
  if (newline != std::string::npos) request.body = input.substr(newline + 1);
  request.headers["x-api-key"] = state.key;
  request.headers["content-type"] = "application/json";
  check_envelope(state.engine->validate(request));
  auto response = state.engine->handle(request);
  check_envelope(response);
  if (response.stream != 0) {
    for (int pieces = 0; pieces < 1000; ++pieces) {
      if (state.engine->read_stream(response.stream).done) break;
    }
    state.engine->close_stream(response.stream);
  }
  while (state.engine->work().more) {
  }
  return 0;
}
