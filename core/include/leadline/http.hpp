#pragma once
/// The transport-neutral request and response the engine handles. Hosts translate to these.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace leadline {

/// One API request. Header names are compared case-insensitively (hosts may pass any case).
struct Request {
  std::string method;                          ///< "GET", "POST", ...
  std::string path;                            ///< e.g. "/api/v1/leads/lead_0123456789abcdef"
  std::string query;                           ///< raw query string without '?', percent-encoded
  std::map<std::string, std::string> headers;  ///< name -> value
  std::string body;                            ///< raw body bytes (JSON for writes)
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
};

/// One piece of a streamed body.
struct StreamChunk {
  std::string data;
  bool done = false;            ///< no more pieces; the stream is closed
  std::string failure;          ///< non-empty when the stream broke off (the body is incomplete)
};

/// Set by a host whose transport carries bodies as text (the wasm boundary is JSON strings) when
/// the bytes it received were not UTF-8, so the engine refuses the body instead of reading a
/// silently repaired copy. Hosts drop any client-sent header starting with "x-leadline-".
inline constexpr std::string_view kBodyNotUtf8Header = "x-leadline-body-not-utf8";

/// The value of header `name`, compared case-insensitively, if present.
std::optional<std::string> find_header(const Request& request, std::string_view name);

}  // namespace leadline
