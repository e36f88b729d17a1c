#pragma once
// The product's vocabulary, defined once: every status, transition, filter key, job kind and
// event name the API speaks. Validation, guards, the store, `GET /meta` (and through it the
// console and the OpenAPI test) read these tables; nothing else spells the values out.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadline::domain {

/// One value of a vocabulary and its wire name.
template <class E>
struct Term {
  E value;
  std::string_view name;
};

enum class LeadStatus { New, Contacted, Replied, Interested, NotInterested, Won, Lost, Unsubscribed, Bounced };
inline constexpr std::array kLeadStatuses{
    Term<LeadStatus>{LeadStatus::New, "new"},
    Term<LeadStatus>{LeadStatus::Contacted, "contacted"},
    Term<LeadStatus>{LeadStatus::Replied, "replied"},
    Term<LeadStatus>{LeadStatus::Interested, "interested"},
    Term<LeadStatus>{LeadStatus::NotInterested, "not_interested"},
    Term<LeadStatus>{LeadStatus::Won, "won"},
    Term<LeadStatus>{LeadStatus::Lost, "lost"},
    Term<LeadStatus>{LeadStatus::Unsubscribed, "unsubscribed"},
    Term<LeadStatus>{LeadStatus::Bounced, "bounced"},
};

enum class VerificationStatus { Unverified, Valid, Invalid, Risky, Unknown };
inline constexpr std::array kVerificationStatuses{
    Term<VerificationStatus>{VerificationStatus::Unverified, "unverified"},
    Term<VerificationStatus>{VerificationStatus::Valid, "valid"},
    Term<VerificationStatus>{VerificationStatus::Invalid, "invalid"},
    Term<VerificationStatus>{VerificationStatus::Risky, "risky"},
    Term<VerificationStatus>{VerificationStatus::Unknown, "unknown"},
};

enum class CampaignStatus { Draft, Active, Paused, Stopped, Completed, Archived };
inline constexpr std::array kCampaignStatuses{
    Term<CampaignStatus>{CampaignStatus::Draft, "draft"},
    Term<CampaignStatus>{CampaignStatus::Active, "active"},
    Term<CampaignStatus>{CampaignStatus::Paused, "paused"},
    Term<CampaignStatus>{CampaignStatus::Stopped, "stopped"},
    Term<CampaignStatus>{CampaignStatus::Completed, "completed"},
    Term<CampaignStatus>{CampaignStatus::Archived, "archived"},
};

/// Smartlead's names for the statuses a client may ask for (any case is accepted; these are the
/// documented spellings). `START` is Smartlead's word for active.
inline constexpr std::array kSmartleadStatusAliases{
    Term<CampaignStatus>{CampaignStatus::Active, "START"},
    Term<CampaignStatus>{CampaignStatus::Paused, "PAUSED"},
    Term<CampaignStatus>{CampaignStatus::Stopped, "STOPPED"},
    Term<CampaignStatus>{CampaignStatus::Completed, "COMPLETED"},
    Term<CampaignStatus>{CampaignStatus::Archived, "ARCHIVED"},
};

/// The campaign state machine: from a status, the statuses it may move to. Archived is apart:
/// its only way out is the status it had before (guards/campaign_status.cpp).
struct CampaignTransition {
  CampaignStatus from;
  std::array<std::optional<CampaignStatus>, 4> to;
};
// A draft may be stopped so that Smartlead's "stop it first, then delete" works on a campaign
// that never started.
inline constexpr std::array kCampaignTransitions{
    CampaignTransition{CampaignStatus::Draft, {CampaignStatus::Active, CampaignStatus::Stopped, CampaignStatus::Archived}},
    CampaignTransition{CampaignStatus::Active,
                       {CampaignStatus::Paused, CampaignStatus::Stopped, CampaignStatus::Completed, CampaignStatus::Archived}},
    CampaignTransition{CampaignStatus::Paused,
                       {CampaignStatus::Active, CampaignStatus::Stopped, CampaignStatus::Completed, CampaignStatus::Archived}},
    CampaignTransition{CampaignStatus::Stopped, {CampaignStatus::Archived}},
    CampaignTransition{CampaignStatus::Completed, {CampaignStatus::Archived}},
};

enum class MembershipStatus { Pending, Active, Paused, Completed, Replied, Bounced, Unsubscribed, Removed };
inline constexpr std::array kMembershipStatuses{
    Term<MembershipStatus>{MembershipStatus::Pending, "pending"},
    Term<MembershipStatus>{MembershipStatus::Active, "active"},
    Term<MembershipStatus>{MembershipStatus::Paused, "paused"},
    Term<MembershipStatus>{MembershipStatus::Completed, "completed"},
    Term<MembershipStatus>{MembershipStatus::Replied, "replied"},
    Term<MembershipStatus>{MembershipStatus::Bounced, "bounced"},
    Term<MembershipStatus>{MembershipStatus::Unsubscribed, "unsubscribed"},
    Term<MembershipStatus>{MembershipStatus::Removed, "removed"},
};

/// When two leads merge and both are in a campaign, the membership whose status ranks higher stays:
/// a status that protects the person first, then how far the sequence got; `removed` last.
constexpr int merge_precedence(MembershipStatus status) {
  switch (status) {
    case MembershipStatus::Unsubscribed: return 7;
    case MembershipStatus::Bounced: return 6;
    case MembershipStatus::Replied: return 5;
    case MembershipStatus::Completed: return 4;
    case MembershipStatus::Active: return 3;
    case MembershipStatus::Paused: return 2;
    case MembershipStatus::Pending: return 1;
    case MembershipStatus::Removed: return 0;
  }
  return 0;
}

/// Whether a membership in this status may still be sent email (what a new suppression entry
/// stops, and what "active memberships" counts).
constexpr bool membership_receives_email(MembershipStatus status) {
  return status == MembershipStatus::Pending || status == MembershipStatus::Active || status == MembershipStatus::Paused;
}

/// The lead filter keys shared by every selection; `list` ones take several values.
struct FilterKey {
  std::string_view name;
  bool list;
};
inline constexpr std::array kLeadFilterKeys{
    FilterKey{"tags", true},     FilterKey{"search", false},   FilterKey{"status", true},
    FilterKey{"emailVerificationStatus", true}, FilterKey{"country", true}, FilterKey{"leadIds", true},
    FilterKey{"campaignId", false}, FilterKey{"createdAfter", false}, FilterKey{"createdBefore", false},
};

enum class JobKind { LeadImport, LeadDelete, LeadUpdate };
inline constexpr std::array kJobKinds{
    Term<JobKind>{JobKind::LeadImport, "lead_import"},
    Term<JobKind>{JobKind::LeadDelete, "lead_delete"},
    Term<JobKind>{JobKind::LeadUpdate, "lead_update"},
};

enum class JobStatus { Queued, Running, Succeeded, Cancelled, Failed };
inline constexpr std::array kJobStatuses{
    Term<JobStatus>{JobStatus::Queued, "queued"},
    Term<JobStatus>{JobStatus::Running, "running"},
    Term<JobStatus>{JobStatus::Succeeded, "succeeded"},
    Term<JobStatus>{JobStatus::Cancelled, "cancelled"},
    Term<JobStatus>{JobStatus::Failed, "failed"},
};

/// What happened to one entry of a lead batch.
enum class EntryOutcome { Created, Updated, Skipped, Suppressed, Error };
inline constexpr std::array kEntryOutcomes{
    Term<EntryOutcome>{EntryOutcome::Created, "created"},
    Term<EntryOutcome>{EntryOutcome::Updated, "updated"},
    Term<EntryOutcome>{EntryOutcome::Skipped, "skipped"},
    Term<EntryOutcome>{EntryOutcome::Suppressed, "suppressed"},
    Term<EntryOutcome>{EntryOutcome::Error, "error"},
};

/// What creating a lead does when one with its email or externalId exists (`onDuplicate`):
/// leave it (skip), fill and overwrite the fields given (update), or report the entry (error).
enum class DuplicatePolicy { Skip, Update, Error };
inline constexpr std::array kDuplicatePolicies{
    Term<DuplicatePolicy>{DuplicatePolicy::Skip, "skip"},
    Term<DuplicatePolicy>{DuplicatePolicy::Update, "update"},
    Term<DuplicatePolicy>{DuplicatePolicy::Error, "error"},
};

/// The events a campaign webhook may subscribe to.
enum class CampaignEvent { EmailSent, EmailOpened, EmailClicked, EmailReplied, EmailBounced, LeadAdded, LeadUnsubscribed, StatusChanged };
inline constexpr std::array kCampaignEvents{
    Term<CampaignEvent>{CampaignEvent::EmailSent, "email.sent"},
    Term<CampaignEvent>{CampaignEvent::EmailOpened, "email.opened"},
    Term<CampaignEvent>{CampaignEvent::EmailClicked, "email.clicked"},
    Term<CampaignEvent>{CampaignEvent::EmailReplied, "email.replied"},
    Term<CampaignEvent>{CampaignEvent::EmailBounced, "email.bounced"},
    Term<CampaignEvent>{CampaignEvent::LeadAdded, "lead.added"},
    Term<CampaignEvent>{CampaignEvent::LeadUnsubscribed, "lead.unsubscribed"},
    Term<CampaignEvent>{CampaignEvent::StatusChanged, "campaign.status_changed"},
};

/// The events a workspace webhook endpoint may subscribe to. A bulk operation emits one event
/// with its counts, never one per lead.
enum class WebhookEvent {
  LeadCreated, LeadUpdated, LeadDeleted, LeadRestored, LeadErased,
  CampaignCreated, CampaignStatusChanged, CampaignDeleted, CampaignLeadsAdded, CampaignLeadsRemoved,
  ImportCompleted, JobFailed, SuppressionAdded, SuppressionLifted, WebhookDisabled, WebhookTest,
};
inline constexpr std::array kWebhookEvents{
    Term<WebhookEvent>{WebhookEvent::LeadCreated, "lead.created"},
    Term<WebhookEvent>{WebhookEvent::LeadUpdated, "lead.updated"},
    Term<WebhookEvent>{WebhookEvent::LeadDeleted, "lead.deleted"},
    Term<WebhookEvent>{WebhookEvent::LeadRestored, "lead.restored"},
    Term<WebhookEvent>{WebhookEvent::LeadErased, "lead.erased"},
    Term<WebhookEvent>{WebhookEvent::CampaignCreated, "campaign.created"},
    Term<WebhookEvent>{WebhookEvent::CampaignStatusChanged, "campaign.status_changed"},
    Term<WebhookEvent>{WebhookEvent::CampaignDeleted, "campaign.deleted"},
    Term<WebhookEvent>{WebhookEvent::CampaignLeadsAdded, "campaign.leads_added"},
    Term<WebhookEvent>{WebhookEvent::CampaignLeadsRemoved, "campaign.leads_removed"},
    Term<WebhookEvent>{WebhookEvent::ImportCompleted, "import.completed"},
    Term<WebhookEvent>{WebhookEvent::JobFailed, "job.failed"},
    Term<WebhookEvent>{WebhookEvent::SuppressionAdded, "suppression.added"},
    Term<WebhookEvent>{WebhookEvent::SuppressionLifted, "suppression.lifted"},
    Term<WebhookEvent>{WebhookEvent::WebhookDisabled, "webhook.disabled"},
    Term<WebhookEvent>{WebhookEvent::WebhookTest, "webhook.test"},
};

/// Which workspace events a campaign webhook (subscribed in the campaign vocabulary above) gets:
/// those of its own campaign that name one of its events. The others have no campaign event.
constexpr std::optional<CampaignEvent> campaign_event_for(WebhookEvent event) {
  switch (event) {
    case WebhookEvent::CampaignLeadsAdded: return CampaignEvent::LeadAdded;
    case WebhookEvent::CampaignStatusChanged: return CampaignEvent::StatusChanged;
    default: return std::nullopt;
  }
}

/// Where one event's delivery to one receiver stands: waiting for its next attempt, accepted
/// (a 2xx reply), or given up after its last scheduled attempt.
enum class DeliveryState { Pending, Delivered, Failed };
inline constexpr std::array kDeliveryStates{
    Term<DeliveryState>{DeliveryState::Pending, "pending"},
    Term<DeliveryState>{DeliveryState::Delivered, "delivered"},
    Term<DeliveryState>{DeliveryState::Failed, "failed"},
};

/// What a suppression entry names: one address, every address of a domain, or one phone number.
enum class SuppressionKind { Email, Domain, PhoneNumber };
inline constexpr std::array kSuppressionKinds{
    Term<SuppressionKind>{SuppressionKind::Email, "email"},
    Term<SuppressionKind>{SuppressionKind::Domain, "domain"},
    Term<SuppressionKind>{SuppressionKind::PhoneNumber, "phoneNumber"},
};

/// Why a suppression entry exists. Entries from `complaint` and `erased` protect the person from
/// the workspace itself and cannot be lifted with an API key.
enum class SuppressionSource { Api, Unsubscribed, Bounced, Complaint, Erased };
inline constexpr std::array kSuppressionSources{
    Term<SuppressionSource>{SuppressionSource::Api, "api"},
    Term<SuppressionSource>{SuppressionSource::Unsubscribed, "unsubscribed"},
    Term<SuppressionSource>{SuppressionSource::Bounced, "bounced"},
    Term<SuppressionSource>{SuppressionSource::Complaint, "complaint"},
    Term<SuppressionSource>{SuppressionSource::Erased, "erased"},
};

/// Whether an API key may lift (delete) an entry of `source`.
constexpr bool liftable_with_api_key(SuppressionSource source) {
  return source != SuppressionSource::Complaint && source != SuppressionSource::Erased;
}

/// The entry a lead's own status adds to the suppression list (an unsubscribe or a bounce), if any.
constexpr std::optional<SuppressionSource> suppression_source_for(LeadStatus status) {
  if (status == LeadStatus::Unsubscribed) return SuppressionSource::Unsubscribed;
  if (status == LeadStatus::Bounced) return SuppressionSource::Bounced;
  return std::nullopt;
}

/// The formats of `GET /leads/export`.
inline constexpr std::array<std::string_view, 2> kExportFormats{"json", "csv"};

/// The wire name of `value` in `table`.
template <class E, std::size_t N>
constexpr std::string_view name_of(const std::array<Term<E>, N>& table, E value) {
  for (const auto& term : table) {
    if (term.value == value) return term.name;
  }
  return {};
}

/// The value named `name` in `table`, if any (exact match).
template <class E, std::size_t N>
constexpr std::optional<E> parse_term(const std::array<Term<E>, N>& table, std::string_view name) {
  for (const auto& term : table) {
    if (term.name == name) return term.value;
  }
  return std::nullopt;
}

/// Whether a lead in `status` must not be contacted (unsubscribed, bounced: the statuses with a
/// suppression source). No bulk edit, upsert or merge takes a lead out of one.
constexpr bool protects_person(std::string_view status) {
  const auto parsed = parse_term(kLeadStatuses, status);
  return parsed && suppression_source_for(*parsed).has_value();
}

/// Every name of `table`, in its order.
template <class E, std::size_t N>
std::vector<std::string> names_of(const std::array<Term<E>, N>& table) {
  std::vector<std::string> names;
  names.reserve(N);
  for (const auto& term : table) names.emplace_back(term.name);
  return names;
}

/// The campaign statuses and membership statuses as lists of names (for messages and replies).
inline const std::vector<std::string>& campaign_status_names() {
  static const std::vector<std::string> names = names_of(kCampaignStatuses);
  return names;
}
inline const std::vector<std::string>& membership_status_names() {
  static const std::vector<std::string> names = names_of(kMembershipStatuses);
  return names;
}

inline std::string_view to_string(LeadStatus value) { return name_of(kLeadStatuses, value); }
inline std::string_view to_string(CampaignStatus value) { return name_of(kCampaignStatuses, value); }
inline std::string_view to_string(MembershipStatus value) { return name_of(kMembershipStatuses, value); }
inline std::string_view to_string(JobKind value) { return name_of(kJobKinds, value); }
inline std::string_view to_string(JobStatus value) { return name_of(kJobStatuses, value); }

}  // namespace leadline::domain
