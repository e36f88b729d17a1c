#pragma once
// What the suppression routes accept: a list of entries to add (each an email, a domain or a
// phone number, with an optional reason), the list's filters, and the question "is this person
// suppressed". Entries are checked one by one: a bad entry is reported with its index and never
// stops the good ones (the reply counts both); a bad body or query is a 400.

#include "domain/vocabulary.hpp"
#include "leadline/result.hpp"
#include "validation/query_params.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace leadline::validation {

/// One valid entry, its value in normal form.
struct SuppressionEntryInput {
  std::size_t index = 0;  ///< its place in the request's `entries`
  domain::SuppressionKind kind = domain::SuppressionKind::Email;
  std::string value;
  std::optional<std::string> reason;
  /// Who reported it: `api` unless the entry says `unsubscribed`, `bounced` or `complaint` (a
  /// sending system passing on what it saw); `erased` is only ever written by an erasure.
  domain::SuppressionSource source = domain::SuppressionSource::Api;
};

/// `POST /suppressions`.
struct AddSuppressionsRequest {
  std::vector<SuppressionEntryInput> entries;            ///< the valid ones, in request order
  nlohmann::json invalid = nlohmann::json::array();     ///< [{index, entry, message}] for the others
  std::size_t total = 0;                                 ///< entries in the request
  bool unsubscribe_memberships = false;                  ///< set the memberships they hit to unsubscribed
};

/// The body of `POST /suppressions`: `entries` (1–10,000) and `unsubscribeMemberships`.
Result<AddSuppressionsRequest> decode_add_suppressions_body(const nlohmann::json& body);

/// `GET /suppressions`: a page, optionally of one kind or source, or whose value contains `search`.
struct SuppressionListQuery {
  PageRequest page;
  std::optional<std::string> kind;
  std::optional<std::string> source;
  std::optional<std::string> search;  ///< lower-cased
};
Result<SuppressionListQuery> decode_suppression_list_query(const QueryParams& params);

/// `GET /suppressions/check`: exactly one of `email` or `phoneNumber`, in normal form.
struct SuppressionCheckQuery {
  domain::SuppressionKind kind = domain::SuppressionKind::Email;
  std::string value;
};
Result<SuppressionCheckQuery> decode_suppression_check_query(const QueryParams& params);

}  // namespace leadline::validation
