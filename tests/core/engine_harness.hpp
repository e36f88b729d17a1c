#pragma once
// A test engine on an in-memory data folder with a bootstrapped workspace, and request helpers.

#include "leadline/engine.hpp"

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace leadline::testing {

using json = nlohmann::json;

struct Reply {
  int status;
  json body;  ///< parsed when the reply is JSON, else null
  std::map<std::string, std::string> headers;
  std::string text;    ///< the whole body; a streamed one is read to its end
  std::size_t chunks;  ///< pieces a streamed body came in (0 when not streamed)
};

inline json read_fixture(const std::string& name) {
  std::ifstream file(std::string(LEADLINE_FIXTURES_DIR) + "/" + name);
  REQUIRE(file.good());
  return json::parse(file);
}

/// Expands the fixture shorthands ("@repeat:x:256", "@tags:51", "@leads:5001", "@identifiers:1001").
inline json expand_fixture(const json& value) {
  if (value.is_string()) {
    const auto text = value.get<std::string>();
    if (text.rfind("@repeat:", 0) == 0) {
      const auto rest = text.substr(8);
      return std::string(std::stoul(rest.substr(2)), rest[0]);
    }
    if (text.rfind("@tags:", 0) == 0) {
      json tags = json::array();
      for (unsigned long i = 0; i < std::stoul(text.substr(6)); ++i) tags.push_back("t" + std::to_string(i));
      return tags;
    }
    if (text.rfind("@identifiers:", 0) == 0) {
      json entries = json::array();
      for (unsigned long i = 0; i < std::stoul(text.substr(13)); ++i) entries.push_back({{"externalId", "x" + std::to_string(i)}});
      return entries;
    }
    if (text.rfind("@leads:", 0) == 0) {
      json leads = json::array();
      for (unsigned long i = 0; i < std::stoul(text.substr(7)); ++i)
        leads.push_back({{"email", "bulk" + std::to_string(i) + "@example.com"}});
      return leads;
    }
    return value;
  }
  if (value.is_object()) {
    json out = json::object();
    for (const auto& [key, item] : value.items()) out[key] = expand_fixture(item);
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (const auto& item : value) out.push_back(expand_fixture(item));
    return out;
  }
  return value;
}

/// An empty data folder named `name` in the working directory (whatever an earlier run left is removed).
inline std::string fresh_folder(const std::string& name) {
  std::filesystem::remove_all(name);
  return name;
}

/// The database file of workspace `workspace_id` (ws_…) in data folder `folder`.
inline std::string workspace_database(const std::string& folder, const std::string& workspace_id) {
  return folder + "/workspaces/" + workspace_id + ".db";
}

/// The time every TestEngine starts at: 2024-01-16T15:46:40.000Z.
inline constexpr std::int64_t kTestStartMs = 1705420000000;

class TestEngine {
 public:
  explicit TestEngine(const std::string& path = ":memory:", EngineOptions options = {}) : folder(path) {
    options.clock = [this] { return now_ms; };
    auto opened = Engine::open(path, std::move(options));
    REQUIRE(opened.ok());
    engine = std::move(*opened);
    auto boot = admin({{"command", "bootstrap"}});
    if (boot.status == 201) {
      workspace_key = boot.body["data"]["workspaceKey"];
      platform_key = boot.body["data"]["platformKey"];
      workspace_id = boot.body["data"]["workspace"]["id"];
    }
  }

  Reply admin(const json& command) {
    auto response = engine->admin(command.dump());
    return Reply{response.status, json::parse(response.body), response.headers, response.body, 0};
  }

  Reply send(const std::string& method, const std::string& target, const json& body = nullptr,
             std::map<std::string, std::string> headers = {}, const std::string& key = "") {
    Request request;
    request.method = method;
    const auto question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string::npos) request.query = target.substr(question + 1);
    request.headers = std::move(headers);
    if (!request.headers.count("x-api-key") && !request.headers.count("authorization"))
      request.headers["x-api-key"] = key.empty() ? workspace_key : key;
    if (request.headers.count("x-api-key") && request.headers["x-api-key"].empty()) request.headers.erase("x-api-key");
    if (!body.is_null()) {
      request.body = body.is_string() ? body.get<std::string>() : body.dump();
      if (!request.headers.count("content-type")) request.headers["content-type"] = "application/json";
    }
    auto response = engine->handle(request);
    Reply reply{response.status, nullptr, response.headers, response.body, 0};
    if (response.stream != 0) {
      for (;;) {
        auto chunk = engine->read_stream(response.stream);
        REQUIRE(chunk.failure.empty());
        reply.text += chunk.data;
        ++reply.chunks;
        if (chunk.done) break;
      }
    }
    if (response.headers["content-type"].rfind("application/json", 0) == 0) reply.body = json::parse(reply.text);
    return reply;
  }

  /// Number of leads visible to the workspace key (walks every page).
  std::size_t lead_count(const std::string& key = "") {
    std::size_t count = 0;
    std::string cursor;
    while (true) {
      auto page = send("GET", "/api/v1/leads?limit=100" + (cursor.empty() ? "" : "&cursor=" + cursor), nullptr, {}, key);
      REQUIRE(page.status == 200);
      count += page.body["data"]["leads"].size();
      if (!page.body["data"]["hasMore"].get<bool>()) return count;
      cursor = page.body["data"]["nextCursor"];
    }
  }

  /// The bootstrapped workspace's database file.
  std::string workspace_file() const { return workspace_database(folder, workspace_id); }

  std::int64_t now_ms = kTestStartMs;
  std::string folder;
  std::unique_ptr<Engine> engine;
  std::string workspace_key;
  std::string platform_key;
  std::string workspace_id;
};

}  // namespace leadline::testing
