#pragma once
// Input limits, in one place so the README and the error messages quote the same numbers.

#include <cstddef>

namespace leadline::validation {

inline constexpr std::size_t kMaxLeadsPerCreate = 5000;
inline constexpr std::size_t kMaxTextLength = 255;         ///< names, company, job title, externalId (code points)
inline constexpr std::size_t kMaxEmailLength = 254;
inline constexpr std::size_t kMaxTags = 50;
inline constexpr std::size_t kMaxTagLength = 64;
inline constexpr std::size_t kMaxCustomFields = 100;
inline constexpr std::size_t kMaxCustomFieldKeyLength = 64;
inline constexpr std::size_t kMaxCustomFieldValueLength = 2000;
inline constexpr std::size_t kMaxMetadataBytes = 16 * 1024;  ///< serialized JSON
inline constexpr std::size_t kMaxSearchLength = 200;
inline constexpr std::size_t kMaxFilterValues = 5000;        ///< entries in one filter list (e.g. leadIds)
inline constexpr std::size_t kMaxLeadsPerCampaignAdd = 5000;  ///< explicit entries in one add-to-campaign request
inline constexpr std::size_t kMaxExcludeIds = 10000;
inline constexpr std::size_t kMaxIdLength = 255;             ///< an id as a client may send it (ids are opaque)
inline constexpr std::size_t kMaxLeadsPerBulkDelete = 1000;  ///< Lupitor's bulk delete limit
inline constexpr std::size_t kMaxCampaignNameLength = 200;
inline constexpr std::size_t kMaxSuppressionsPerRequest = 10000;
inline constexpr std::size_t kMaxSuppressionReasonLength = 500;
inline constexpr std::size_t kMaxErasuresPerRequest = 1000;
inline constexpr std::size_t kMaxMergeDuplicates = 100;      ///< leads folded into one by one merge
inline constexpr std::size_t kMaxSubjectLength = 998;         ///< RFC 5322 line limit
inline constexpr std::size_t kMaxSequenceBodyLength = 100000;
inline constexpr int kMaxDelayDays = 365;
inline constexpr std::size_t kMaxUrlLength = 2048;
inline constexpr int kDefaultPageSize = 25;
inline constexpr int kMaxPageSize = 100;

}  // namespace leadline::validation
