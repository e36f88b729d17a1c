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

/// One API reply: status, headers and a serialized JSON (or CSV) body.
struct Response {
  int status = 200;
  std::map<std::string, std::string> headers;
  std::string body;
};

/// The value of header `name`, compared case-insensitively, if present.
std::optional<std::string> find_header(const Request& request, std::string_view name);

}  // namespace leadline
