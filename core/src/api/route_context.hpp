#pragma once
// What a route's decode and execute steps receive and return.

#include "api/decode_input.hpp"
#include "guards/api_key.hpp"
#include "leadline/http.hpp"
#include "leadline/ids.hpp"
#include "leadline/result.hpp"
#include "store/database.hpp"
#include "store/campaign_cascade.hpp"
#include "store/campaign_owned_store.hpp"
#include "store/campaign_store.hpp"
#include "store/membership_store.hpp"
#include "store/key_store.hpp"
#include "store/lead_deletion.hpp"
#include "store/lead_store.hpp"
#include "store/receipt_store.hpp"
#include "store/audit_store.hpp"
#include "store/idempotency_store.hpp"
#include "store/job_store.hpp"
#include "validation/query_params.hpp"
#include "validation/request_controls.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace leadline::api {

/// The engine's stores and shared state, owned by Engine::Impl.
struct Services {
  store::Database& db;
  store::KeyStore keys;
  store::LeadStore leads;
  store::CampaignStore campaigns;
  store::MembershipStore memberships;
  store::CampaignOwnedStore owned;
  store::CampaignCascade cascade;
  store::LeadDeletion deletion;
  store::ReceiptStore receipts;
  store::AuditStore audit;
  store::IdempotencyStore idempotency;
  store::JobStore jobs;
  IdGenerator& ids;
  std::int64_t receipt_retention_ms;  ///< how long a delete stays restorable
};

/// What a route's execute step receives besides its decoded request.
struct RouteContext {
  const Request& request;
  const validation::QueryParams& query;
  std::vector<std::string> path_params;    ///< captures of the route's ":param" segments, in order
  const nlohmann::json* body = nullptr;    ///< parsed JSON body, or null when the request had none
  const guards::Principal* principal = nullptr;  ///< the caller (a default one on public routes)
  Services& services;
  std::int64_t now = 0;                    ///< ms since epoch, one value per request
  validation::RequestControls controls{};  ///< dryRun / expectedCount / purge, already taken out of body and query
};

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
};

/// How many sample leads a dry run's preview shows.
inline constexpr int kPreviewSampleSize = 10;

/// What validate-only mode replies once the input has passed every check.
inline Reply validated_reply() { return Reply{200, {{"valid", true}}, std::nullopt}; }

}  // namespace leadline::api
