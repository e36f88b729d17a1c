#pragma once
/// The Engine behind a string boundary: what the wasm binding exposes, one coarse call per
/// request. A request is its head as JSON, {"method","path","query","headers":{…}}, and its
/// body as a second string. A reply is one string: its head as one line of JSON,
/// {"status","headers":{…},"stream"?}, a newline, then the body as is; with "stream" the body
/// continues in read_stream(stream) pieces. Bodies travel beside the JSON rather than inside
/// it, so a 5,000-lead request or a 2,000-row CSV piece is neither escaped nor parsed twice.

#include "leadline/engine.hpp"

#include <memory>
#include <string>

namespace leadline {

class JsonEngine {
 public:
  JsonEngine();
  ~JsonEngine();

  /// Opens the data folder at `path` with `options_json` ("" or an object with optional
  /// `receiptRetentionMs`, `allowQueryKey`, `maxBodyBytes`, `maxBatchBodyBytes`, `role`
  /// ("whole", "catalog" or "workspaces"), `workerCount`, `workerIndex`, `maxOpenWorkspaces` and
  /// `workspaceCacheKib`, `captureChanges`, `replicate`, `webhookAllowPrivate` and `webhookRetrySchedule` (durations
  /// such as "5s,5m,2h"); see EngineOptions). Unknown options are refused. Returns "" on
  /// success, else the reason it could not.
  std::string open(const std::string& path, const std::string& options_json);
  /// Converts the single-file database at `single_file` into the data folder `data_dir`, up to
  /// `max_workspaces` workspaces per call (see store/single_file_upgrade.hpp). Returns JSON:
  /// {found, done, workspaces, converted, written, retiredTo} or {error}. Call before `open`.
  static std::string upgrade_single_file(const std::string& single_file, const std::string& data_dir,
                                         int max_workspaces);
  /// Engine::handle on a request head given as JSON and its body; a malformed head is a 500 reply.
  std::string handle(const std::string& request_json, const std::string& body);
  /// Engine::validate, same shapes.
  std::string validate(const std::string& request_json, const std::string& body);
  /// Engine::admin.
  std::string admin(const std::string& command_json);
  /// Engine::deliver (webhook delivery ops).
  std::string deliver(const std::string& command_json);
  /// Engine::replicate (a changeset travels in the command as base64).
  std::string replicate(const std::string& command_json);
  /// Engine::read_stream: a head line {"done", "failure"?}, a newline, then the piece.
  std::string read_stream(unsigned stream);
  /// The same, kept in this object until the next call, so a binding can hand it over as bytes
  /// (a view of wasm memory) instead of decoding a megabyte of CSV into a JS string.
  const std::string& read_stream_kept(unsigned stream);
  /// Engine::backup_step as JSON: {done, copied, written, failure?}.
  std::string backup_step(const std::string& directory);
  /// Engine::work as JSON: {"more": bool, "written": [paths], "changeset"?: base64, "wakeInMs"?,
  /// "held"?: true with "workspaceId" (replicating: settle it with `replicate`)}.
  std::string work();
  /// Engine::close_stream.
  void close_stream(unsigned stream);
  /// Closes the database (checkpointing the WAL). Later calls reply 503.
  void close();

 private:
  std::unique_ptr<Engine> engine_;
  std::string kept_piece_;
};

}  // namespace leadline
