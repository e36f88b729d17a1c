#include "batch/campaign_lead_add.hpp"

#include "batch/lead_suppression.hpp"
#include "guards/campaign_status.hpp"
#include "validation/lead_input.hpp"
#include "validation/normalise.hpp"

#include <unordered_set>
#include <variant>

namespace leadline::batch {
namespace {

using json = nlohmann::json;

// SendKit's wording for an entry that names no usable lead (including an invalid email).
constexpr const char* kNeedsLeadIdOrEmail = "Either leadId or email is required";

struct EntryFailure {
  std::string message;
};

struct EntrySuppressed {};

constexpr const char* kLeadNotFound = "Lead not found";

using Reach = std::optional<std::vector<std::int64_t>>;

using Outcome = std::variant<std::int64_t, EntryFailure, EntrySuppressed>;

// Resolves an entry to a lead id, creating the lead from an unknown email (never for a key
// whose reach is limited to campaigns). `check_suppressions` is off when the workspace's list is
// empty, so an add costs no lookups then.
Result<Outcome> resolve_entry(const json& entry, const Campaign& campaign, store::LeadStore& leads,
                              store::MembershipStore& campaigns, store::SuppressionStore& suppressions,
                              bool check_suppressions, IdGenerator& ids, std::int64_t now, const Reach& reach,
                              bool& created) {
  // Outside the reach reads exactly like not existing, so a restricted key learns nothing; a
  // suppressed lead inside it is counted, never added.
  const auto stored = [&](const Lead& lead) -> Result<Outcome> {
    if (reach) {
      auto member = campaigns.is_member_of_any(*reach, lead.id);
      if (!member) return member.take_error();
      if (!*member) return Outcome{EntryFailure{kLeadNotFound}};
    }
    if (check_suppressions) {
      auto match = suppressions.match_lead(lead);
      if (!match) return match.take_error();
      if (*match) return Outcome{EntrySuppressed{}};
    }
    return Outcome{lead.id};
  };
  const auto load = [&](std::int64_t lead_id) -> Result<Outcome> {
    auto lead = leads.find(campaign.workspace_id, lead_id);
    if (!lead) return lead.take_error();
    if (!*lead) return Outcome{EntryFailure{kLeadNotFound}};
    return stored(**lead);
  };
  if (!entry.is_object()) return Outcome{EntryFailure{kNeedsLeadIdOrEmail}};

  if (entry.contains("leadId")) {
    if (entry.size() > 1) return Outcome{EntryFailure{"An entry with leadId takes no other fields"}};
    const auto id = entry["leadId"].is_string() ? parse_id(kLeadIdPrefix, entry["leadId"].get<std::string>())
                                                : std::nullopt;
    if (!id) return Outcome{EntryFailure{kLeadNotFound}};
    return load(*id);
  }

  const auto& email = entry.contains("email") ? entry["email"] : json();
  const auto normalised = email.is_string() ? validation::normalise_email(email.get<std::string>()) : std::nullopt;
  if (!normalised) return Outcome{EntryFailure{kNeedsLeadIdOrEmail}};
  auto existing = leads.find_id_by_email(campaign.workspace_id, *normalised);
  if (!existing) return existing.take_error();
  if (*existing) {
    if (check_suppressions) return load(**existing);  // the lead's phone number may be suppressed too
    Lead known;
    known.id = **existing;
    return stored(known);
  }
  if (reach) return Outcome{EntryFailure{kLeadNotFound}};

  validation::Problems problems;
  auto input = validation::decode_lead_input(entry, "", problems);
  auto lead = validation::lead_from_input(input, "", problems);
  if (!problems.empty()) return Outcome{EntryFailure{problems.to_error().message}};
  lead.workspace_id = campaign.workspace_id;
  if (check_suppressions) {
    auto match = suppressions.match_lead(lead);
    if (!match) return match.take_error();
    if (*match) return Outcome{EntrySuppressed{}};
  }
  if (lead.external_id) {
    auto taken = leads.find_id_by_external_id(campaign.workspace_id, *lead.external_id);
    if (!taken) return taken.take_error();
    if (*taken) return Outcome{EntryFailure{"A lead with this externalId already exists"}};
  }
  lead.id = ids.next(now);
  lead.created_at = now;
  lead.updated_at = now;
  if (auto status = leads.insert(lead); !status) return status.take_error();
  if (auto status = suppress_for_status(suppressions, lead, ids, now); !status) return status.take_error();
  created = true;
  return Outcome{lead.id};
}

}  // namespace

Result<ExplicitAddOutcome> add_explicit_entries(const Campaign& campaign, const json& entries,
                                                store::LeadStore& leads, store::MembershipStore& campaigns,
                                                store::SuppressionStore& suppressions, IdGenerator& ids,
                                                std::int64_t now, const Reach& reach) {
  ExplicitAddOutcome outcome;
  auto check_suppressions = suppressions.any(campaign.workspace_id);
  if (!check_suppressions) return check_suppressions.take_error();
  const auto membership_status = guards::initial_membership_status(campaign);
  std::unordered_set<std::int64_t> seen;
  for (std::size_t index = 0; index < entries.size(); ++index) {
    const auto& entry = entries[index];
    bool created = false;
    auto resolved = resolve_entry(entry, campaign, leads, campaigns, suppressions, *check_suppressions, ids, now, reach,
                                  created);
    if (!resolved) return resolved.take_error();
    if (std::holds_alternative<EntrySuppressed>(*resolved)) {
      ++outcome.suppressed;
      continue;
    }
    if (const auto* failure = std::get_if<EntryFailure>(&*resolved)) {
      outcome.errors.push_back({{"index", index}, {"entry", entry}, {"message", failure->message}});
      continue;
    }
    if (created) ++outcome.created;
    const auto lead_id = std::get<std::int64_t>(*resolved);
    if (!seen.insert(lead_id).second) {
      ++outcome.skipped;
      continue;
    }
    auto member = campaigns.has_member(campaign.id, lead_id);
    if (!member) return member.take_error();
    if (*member) {
      ++outcome.skipped;
      continue;
    }
    if (auto status = campaigns.add_member(campaign.id, lead_id, membership_status, now); !status)
      return status.take_error();
    ++outcome.added;
  }
  return outcome;
}

}  // namespace leadline::batch
