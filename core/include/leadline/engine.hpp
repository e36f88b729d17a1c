#pragma once
/// The facade every host uses: one Engine per data folder (or per worker of one), one call per
/// request.

#include "leadline/http.hpp"
#include "leadline/result.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace leadline {

/// What an engine opens of a data folder.
enum class EngineRole {
  /// The catalog and every workspace: one engine does everything (tests, tools, one worker).
  Whole,
  /// The catalog only: authenticates (answering refusals and public routes itself), forwards
  /// the rest to the workspace's engine (Response::forward), and runs catalog administration.
  Catalog,
  /// The workspaces `worker_index` owns of `worker_count`: runs requests a catalog admitted.
  Workspaces,
};

/// One slice of background work.
struct WorkSlice {
  bool more = false;                 ///< work remains: call again (after answering what waits)
  std::vector<std::string> written;  ///< database files the slice committed to
  std::string changeset;             ///< with EngineOptions::capture_changes: what the slice changed
  std::int64_t workspace_id = 0;     ///< whose database the slice changed (0: none ran)
  /// With EngineOptions::replicate: the slice's transaction is still open (see Response::held).
  bool held = false;
  /// With `more` false: in how many milliseconds background work falls due (a purge of receipts
  /// that expire then), so the host calls again by then; -1 when nothing is scheduled.
  std::int64_t wake_in_ms = -1;
};

/// One step of an online backup (Engine::backup_step).
struct BackupStep {
  bool done = false;                 ///< every database this engine holds is copied
  int copied = 0;                    ///< databases finished so far
  std::vector<std::string> written;  ///< copies finished by this step (the host syncs them)
  std::string failure;               ///< non-empty when the backup failed (it is then abandoned)
};

struct EngineOptions {
  /// Milliseconds since the Unix epoch; replaceable so tests control time.
  std::function<std::int64_t()> clock;
  /// How long a delete stays restorable from its receipt; 0 means the default, 7 days.
  std::int64_t receipt_retention_ms = 0;
  /// Whether a key may come in `?api_key=` (Smartlead-style clients send it so). Off, such a
  /// request is 401: keys in URLs end up in proxy logs and browser history.
  bool allow_query_key = true;
  /// Keep the database file locked for the engine's lifetime. One process per file is the rule
  /// anyway, and holding the lock spares every transaction its file checks. Off only where
  /// something else must read the file beside a live engine (tests that inspect it directly).
  bool exclusive_lock = true;
  /// Largest body an ordinary route reads, and a batch route (creating, importing or adding
  /// thousands of leads). Larger bodies are 413 before any parsing, so a route never spends
  /// time or memory on structure it could not accept anyway.
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_batch_body_bytes = 16 * 1024 * 1024;
  EngineRole role = EngineRole::Whole;
  /// How many workspace engines share the data folder, and which of them this is: each
  /// workspace belongs to exactly one (store::owning_worker), the same one for a given count.
  unsigned worker_count = 1;
  unsigned worker_index = 0;
  /// Workspace databases kept open at once (least recently used closed first), and each one's
  /// page cache bound.
  std::size_t max_open_workspaces = 64;
  int workspace_cache_kib = 64 * 1024;
  /// Return, with each committed write and job slice, the changeset of its transaction
  /// (Response::changeset, WorkSlice::changeset): what a replica applies to follow.
  bool capture_changes = false;
  /// A cluster node's engine (implies capture_changes). A write or job slice that would commit
  /// stays open instead (Response::held, WorkSlice::held) until `replicate` settles it: committed
  /// with its place in the change log once the log holds it, else rolled back. Requests and
  /// background work run only for workspaces the host said this engine owns; the others are
  /// copies that follow the log (`replicate` "apply"). The catalog creates a workspace's
  /// database when its row commits or arrives, the same on every node.
  bool replicate = false;
  /// Webhooks may go to plain http:// URLs and to this machine or a private network (a receiver
  /// on the same machine, tests). Off, such URLs are refused when set and again at each delivery.
  bool webhook_allow_private = false;
  /// The delays (ms) between a webhook delivery's attempts after the first; empty: the default
  /// (validation/webhook_input.hpp).
  std::vector<std::int64_t> webhook_retry_schedule_ms;
};

class Engine {
 public:
  /// Opens the data folder `data_dir` — ":memory:" keeps everything in memory — creating it
  /// when needed, and applies pending schema migrations to what `options.role` opens. Fails if
  /// a file is not a Leadline database of its kind or was written by a newer schema version.
  static Result<std::unique_ptr<Engine>> open(const std::string& data_dir, EngineOptions options = {});

  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Routes, authenticates, validates and executes one request. Never throws: unexpected
  /// failures become a 500 INTERNAL reply with the error envelope.
  Response handle(const Request& request);

  /// The next piece of a streamed reply (`Response::stream`). After `done` the stream is
  /// gone; an unknown stream reports `done` with a failure.
  StreamChunk read_stream(unsigned stream);

  /// Abandons a streamed reply early (the client went away).
  void close_stream(unsigned stream);

  /// Runs one slice of background work (a CSV import's next rows, a large delete's next
  /// leads) of one of its workspaces in its own transaction. Hosts call it whenever no request
  /// is waiting, so long jobs never hold up requests by more than one slice.
  WorkSlice work();

  /// Copies a slice (a few megabytes) of the databases this engine holds — the catalog, its
  /// workspaces — into `directory` (`catalog.db`, `workspaces/ws_….db`), so requests are answered
  /// between steps. Call until `done`. Each copy is one consistent state of its database (writes
  /// made meanwhile are carried in); a file already in `directory` is refused.
  BackupStep backup_step(const std::string& directory);

  /// Routes, decodes and validates a request exactly as `handle` would, without
  /// authenticating or touching stored data. 200 `{"valid": true}` or the error `handle`
  /// would give for the same input.
  Response validate(const Request& request);

  /// A cluster node's replication commands (`replicate` on), `{"op": "...", ...}`; see
  /// api/replica_command.hpp for each op and its reply. Replies with the API's envelope.
  Response replicate(const std::string& command_json);

  /// Webhook delivery, which the host performs and the engine directs, `{"op": "...", ...}`; see
  /// api/webhook_delivery.hpp for the ops ("due", "report", "check-address"). Replies with the
  /// API's envelope; a "report" that committed says so (`committed`, `written`, or `held`).
  Response deliver(const std::string& command_json);

  /// Key and workspace administration for operators (the `npm run admin` CLI and first start).
  /// `command_json` is `{"command": "...", ...}`; see admin_commands.cpp for the commands.
  /// Replies with the same envelope as the API.
  Response admin(const std::string& command_json);

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadline
