#pragma once
/// The transport-neutral request and response the engine handles. Hosts translate to these.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadline {

/// One API request. Header names are compared case-insensitively (hosts may pass any case).
struct Request {
  std::string method;                          ///< "GET", "POST", ...
  std::string path;                            ///< e.g. "/api/v1/leads/lead_0123456789abcdef"
  std::string query;                           ///< raw query string without '?', percent-encoded
  std::map<std::string, std::string> headers;  ///< name -> value
  std::string body;                            ///< raw body bytes (JSON for writes)

  // Facts only the host knows, passed beside the request (never as headers a client could send).
  /// The bytes received were not UTF-8 (a host whose transport carries bodies as text sets
  /// this instead of handing over a silently repaired copy); the engine refuses the body.
  bool body_not_utf8 = false;
  /// Another request with the same credential and Idempotency-Key is still being answered.
  bool idempotency_key_in_flight = false;
  /// The id the host gave this request (also its X-Request-Id reply header); an INTERNAL
  /// error names it so an operator can find the log line with the detail.
  std::string request_id = {};
  /// Tests only: "sqlite-error" makes the request fail inside SQLite (a real error from the
  /// library), proving that its text reaches the log and never the client. Hosts pass it only
  /// when started with the fault switched on.
  std::string test_fault = {};
  /// Set by a host whose catalog engine admitted the request (Response::forward): the
  /// principal token it resolved. The workspace engine then acts for that caller without
  /// authenticating again. Never taken from anything a client sent.
  std::string principal = {};
};

/// What authentication made of a request's credential. Hosts charge quotas and queue turns to
/// a credential only once it is verified; anything else counts against the client's address,
/// so made-up keys cannot claim lanes or quotas of their own.
enum class CredentialCheck {
  NotChecked,  ///< the route needs no key, or the request was refused before authentication
  Verified,    ///< the key is real and active (even if the request was then refused for scope)
  Refused,     ///< missing, unknown, revoked, malformed or repeated: answered 401
};

/// One API reply: status, headers and a serialized JSON (or CSV) body.
struct Response {
  int status = 200;
  std::map<std::string, std::string> headers;
  std::string body;
  /// Non-zero when the body continues in pieces: read them with Engine::read_stream(stream)
  /// until `done` (used by exports, which may be far larger than memory should hold).
  unsigned stream = 0;
  CredentialCheck credential = CredentialCheck::NotChecked;
  /// The request's transaction committed: the host must make it durable before replying.
  bool committed = false;
  /// With EngineOptions::replicate: the write is done but its transaction is still open, its
  /// changes in `changeset`; nothing may be answered until Engine::replicate settles it.
  bool held = false;
  /// The write erased personal data (an erasure, a purge): a replicated log's history of the
  /// workspace still holds it, so the host replaces that history with a snapshot.
  bool erased = false;
  /// The write queued webhook deliveries: the host's sender asks for due deliveries now rather
  /// than at its next scheduled look (Engine::deliver).
  bool webhooks_due = false;
  /// The pattern of the route the request matched, after the version prefix ("/leads/:id"); empty
  /// when none did. A label for the host's metrics: it names no lead, key or other value.
  std::string route;
  /// For the server log only, never for the client: what an INTERNAL error really was.
  std::string log_detail;
  /// The database files this call committed to: the host makes each durable before replying.
  std::vector<std::string> written;
  /// With EngineOptions::capture_changes, what the committed transaction changed in its
  /// workspace's database: a changeset of SQLite's session extension (bytes).
  std::string changeset;
  /// A catalog engine's answer for a request it authenticated but whose workspace another
  /// engine owns: send the request to engine `worker` with `principal` as Request::principal.
  /// `workspace_id`: whose request it is (a cluster host first finds the node that owns it).
  struct Forward {
    unsigned worker = 0;
    std::string principal;
    std::int64_t workspace_id = 0;
  };
  std::optional<Forward> forward;
};

/// One piece of a streamed body.
struct StreamChunk {
  std::string data;
  bool done = false;            ///< no more pieces; the stream is closed
  std::string failure;          ///< non-empty when the stream broke off (the body is incomplete)
};

/// The value of header `name`, compared case-insensitively, if present.
std::optional<std::string> find_header(const Request& request, std::string_view name);

}  // namespace leadline
