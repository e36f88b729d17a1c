#pragma once
// What a merge makes of the primary lead's fields, decided on the leads alone before anything is
// written (the store moves the rows; api/lead_merge_routes.cpp puts the two together).

#include "leadline/lead.hpp"
#include "leadline/result.hpp"

#include <string>
#include <vector>

namespace leadline::batch {

/// The primary as the merge leaves it. Each field keeps the primary's value unless it is empty or
/// named in `fields` (API names: companyName, status, …); then it takes the first duplicate's
/// non-empty value. customFields and metadata fill key by key (the primary's keys win unless the
/// field is named). Tags are joined, the primary's first. Email and externalId stay the primary's.
/// A status that protects the person (unsubscribed, bounced) on any of the leads is the merged
/// lead's status whatever `fields` says. 400 when the result breaks a limit.
Result<Lead> merge_leads(const Lead& primary, const std::vector<Lead>& duplicates, const std::vector<std::string>& fields);

}  // namespace leadline::batch
