#pragma once
/// The Engine behind a JSON-string boundary: what the wasm binding exposes, one coarse call per
/// request. Request JSON: {"method","path","query","headers":{…},"body"}; response JSON:
/// {"status","headers":{…},"body","stream"?} where body is the serialized reply; with
/// "stream" the body continues in read_stream(stream) pieces.

#include "leadline/engine.hpp"

#include <memory>
#include <string>

namespace leadline {

class JsonEngine {
 public:
  JsonEngine();
  ~JsonEngine();

  /// Opens the database at `path` with `options_json` ("" or an object with optional
  /// `receiptRetentionMs`, a positive integer, and `allowQueryKey`, a boolean; see EngineOptions).
  /// Unknown options are refused. Returns "" on success, else the reason it could not.
  std::string open(const std::string& path, const std::string& options_json);
  /// Engine::handle on a request given as JSON; a malformed request JSON is a 500 reply.
  std::string handle(const std::string& request_json);
  /// Engine::validate on a request given as JSON.
  std::string validate(const std::string& request_json);
  /// Engine::admin.
  std::string admin(const std::string& command_json);
  /// Engine::read_stream as JSON: {"chunk", "done", "failure"?}.
  std::string read_stream(unsigned stream);
  /// Engine::work: true while background work remains.
  bool work();
  /// Engine::close_stream.
  void close_stream(unsigned stream);
  /// Closes the database (checkpointing the WAL). Later calls reply 503.
  void close();

 private:
  std::unique_ptr<Engine> engine_;
};

}  // namespace leadline
