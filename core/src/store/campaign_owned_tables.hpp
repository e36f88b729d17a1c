#pragma once
// The tables a campaign owns, shared by the counts (campaign_owned_store) and the delete
// (campaign_cascade), so both always walk the same list.

#include "store/campaign_owned_store.hpp"

#include <cstdint>

namespace leadline::store {

// The tables a campaign owns, in the order a cascade removes them (dependents first).
struct OwnedTable {
  const char* table;
  std::int64_t OwnedCounts::*count;
};
inline constexpr OwnedTable kOwnedTables[] = {
    {"scheduled_emails", &OwnedCounts::scheduled_emails},
    {"email_statistics", &OwnedCounts::statistics},
    {"conversation_messages", &OwnedCounts::messages},
    {"campaign_webhooks", &OwnedCounts::webhooks},
    {"campaign_sequences", &OwnedCounts::sequences},
    {"campaign_leads", &OwnedCounts::lead_memberships},
};


}  // namespace leadline::store
