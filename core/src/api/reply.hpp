#pragma once
// What a route's execute step returns (and what validate-only mode replies).

#include "api/webhook_event.hpp"
#include "leadline/result.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace leadline::api {

/// A reply body produced piece by piece (CSV exports), so a large export never sits in
/// memory whole. Each piece runs its own short query; other requests interleave between them.
class ChunkSource {
 public:
  virtual ~ChunkSource() = default;
  /// The next piece of the body, or nullopt when the body is complete.
  virtual Result<std::optional<std::string>> next() = 0;
};

/// A handler's successful outcome: JSON data wrapped in the success envelope by the engine,
/// or (when `stream` is set) a streamed body with the given headers.
struct Reply {
  Reply() = default;
  Reply(int status_code, nlohmann::json reply_data, std::optional<std::string> reply_message = std::nullopt)
      : status(status_code), data(std::move(reply_data)), message(std::move(reply_message)) {}

  int status = 200;
  nlohmann::json data;
  std::optional<std::string> message;
  std::map<std::string, std::string> headers;  ///< extra headers (a streamed body sets content-type)
  std::unique_ptr<ChunkSource> stream;
  /// How many things the request changed (leads deleted, memberships added, ...): what
  /// `expectedCount` is compared with. Set by every route that accepts previews.
  std::optional<std::int64_t> affected;
  /// Detail only a dry run shows (samples, protected leads); merged into `data.preview`.
  nlohmann::json preview = nlohmann::json::object();
  /// The request named people who were just erased: its audit entry keeps no request detail.
  bool keeps_no_request = false;
  /// What the change reports to webhooks; written to the outbox only if it commits.
  std::vector<PendingEvent> events;
};

/// How many sample leads a dry run's preview shows.
inline constexpr int kPreviewSampleSize = 10;

/// What validate-only mode replies once the input has passed every check.
inline Reply validated_reply() { return Reply{200, {{"valid", true}}, std::nullopt}; }

}  // namespace leadline::api
