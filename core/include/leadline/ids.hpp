#pragma once
/// Public identifiers: a prefix and 16 lower-case hex digits ("lead_0123456789abcdef").
/// The number behind is time-ordered (milliseconds in the high bits) so inserts append to
/// indexes; it is the row's INTEGER PRIMARY KEY.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leadline {

inline constexpr std::string_view kLeadIdPrefix = "lead_";
inline constexpr std::string_view kCampaignIdPrefix = "cmp_";
inline constexpr std::string_view kWorkspaceIdPrefix = "ws_";
inline constexpr std::string_view kKeyIdPrefix = "key_";
inline constexpr std::string_view kUserIdPrefix = "usr_";
inline constexpr std::string_view kSequenceIdPrefix = "seq_";
inline constexpr std::string_view kWebhookIdPrefix = "whk_";
inline constexpr std::string_view kReceiptIdPrefix = "rcp_";
inline constexpr std::string_view kAuditIdPrefix = "aud_";
inline constexpr std::string_view kJobIdPrefix = "job_";
inline constexpr std::string_view kSuppressionIdPrefix = "sup_";
inline constexpr std::string_view kWebhookEndpointIdPrefix = "whe_";
inline constexpr std::string_view kWebhookEventIdPrefix = "evt_";
inline constexpr std::string_view kWebhookDeliveryIdPrefix = "whd_";

/// "prefix" + 16 hex digits of `value`.
std::string format_id(std::string_view prefix, std::int64_t value);

/// The number behind an id, or nullopt when `text` is not `prefix` + 16 lower-case hex digits
/// encoding a positive 63-bit value. Malformed ids are simply ids that match nothing.
std::optional<std::int64_t> parse_id(std::string_view prefix, std::string_view text);

/// Hands out strictly increasing time-ordered ids. Bits: milliseconds << 16, then a 4-bit
/// origin (which engine handed the id out, so engines sharing a store never collide), then a
/// 12-bit sequence. The sequence starts each millisecond at a scrambled offset rather than 0: ids
/// whose low bits are all zero hash into a handful of buckets in SQLite's session extension
/// (whose change capture then slows down quadratically), and spread workspaces unevenly over
/// engines. Within a millisecond ids stay ordered and unique; past 2,048 more they borrow the
/// next millisecond.
class IdGenerator {
 public:
  static constexpr unsigned kOrigins = 16;
  /// `origin` below kOrigins.
  explicit IdGenerator(unsigned origin = 0) : origin_(origin % kOrigins) {}
  /// The next id for a row created at `now_ms`.
  std::int64_t next(std::int64_t now_ms);
  /// Raises the floor to an id already stored, so no id at or below it is handed out.
  void observe(std::int64_t used_id);

 private:
  std::int64_t origin_;
  std::int64_t last_ = 0;
};

}  // namespace leadline
