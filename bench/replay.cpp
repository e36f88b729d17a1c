// The native floor for `npm run bench`: replays API requests straight into leadline::Engine (no
// HTTP, no wasm, no JSON boundary) and times each one. The workloads themselves are defined once,
// in bench/workloads.mjs, and fed to this program and to the HTTP server alike.
//
// Usage: leadline_bench_replay <data folder>
//   stdin:  one JSON object per line, either
//             {"admin": {...command...}}                       an admin command (not timed), or
//             {"request": {method, path, query, headers, body}} one timed API request,
//           optionally with "echo": true to get the reply body back.
//   stdout: one JSON object per line: {"status", "ms", "bytes", "rssPeakKb", "body"?}.
// A streamed reply (an export) is read to its end and a 202 job (a large filter delete) is run
// to completion inside the timing, so every number is the whole work the request asks for.

#include "leadline/engine.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <string>

namespace {

using json = nlohmann::json;

// Peak resident memory of this process so far (VmHWM), the number the memory targets bound.
long peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

leadline::Request to_request(const json& spec) {
  leadline::Request request;
  request.method = spec.value("method", "GET");
  request.path = spec.at("path").get<std::string>();
  request.query = spec.value("query", "");
  request.body = spec.value("body", "");
  if (spec.contains("headers")) {
    for (const auto& [name, value] : spec.at("headers").items()) request.headers[name] = value.get<std::string>();
  }
  return request;
}

// Handles one request and finishes what it started (the stream, the job); returns the reply with
// the streamed body appended.
leadline::Response run_to_completion(leadline::Engine& engine, const leadline::Request& request) {
  auto response = engine.handle(request);
  if (response.stream != 0) {
    for (;;) {
      auto chunk = engine.read_stream(response.stream);
      response.body += chunk.data;
      if (chunk.done) break;
    }
  }
  if (response.status == 202) {
    while (engine.work().more) {
    }
  }
  return response;
}

}  // namespace

int main(int argc, char** argv) {
  const bool capture = argc == 3 && std::string(argv[2]) == "--capture-changes";
  if (argc != 2 && !capture) {
    std::cerr << "usage: leadline_bench_replay <data folder> [--capture-changes]\n";
    return 2;
  }
  leadline::EngineOptions options;
  options.capture_changes = capture;  // each write's changeset is made (and dropped): its cost is timed
  auto opened = leadline::Engine::open(argv[1], options);
  if (!opened) {
    std::cerr << "cannot open " << argv[1] << ": " << opened.error().message << "\n";
    return 1;
  }
  auto& engine = **opened;
  std::ios::sync_with_stdio(false);

  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    const auto spec = json::parse(line);
    json out;
    if (spec.contains("admin")) {
      const auto reply = engine.admin(spec.at("admin").dump());
      out = {{"status", reply.status}, {"body", json::parse(reply.body)}};
    } else {
      const auto request = to_request(spec.at("request"));
      const auto started = std::chrono::steady_clock::now();
      const auto reply = run_to_completion(engine, request);
      const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - started;
      out = {{"status", reply.status}, {"ms", elapsed.count()}, {"bytes", reply.body.size()}, {"rssPeakKb", peak_rss_kb()}};
      if (spec.value("echo", false) || reply.status >= 400) {
        out["body"] = json::parse(reply.body, nullptr, false).is_discarded() ? json(reply.body.substr(0, 2000))
                                                                             : json::parse(reply.body);
      }
    }
    std::cout << out.dump() << '\n' << std::flush;
  }
  return 0;
}
