#include "api/lead_deletion_unit.hpp"

#include "guards/active_campaign_guard.hpp"

namespace leadline::api {

Result<DeletionDone> delete_selected_leads(Services& services, const DeletionRules& rules) {
  auto& deletion = services.deletion;
  DeletionDone done;
  if (rules.protection == Protection::Refuse) {
    auto impact = deletion.active_campaign_impact();
    if (!impact) return impact.take_error();
    if (auto allowed = guards::check_active_campaigns(*impact, rules.force); !allowed) return allowed.take_error();
    if (rules.preview) {
      rules.preview->preview["protected"] = {{"affectedLeads", impact->affected_leads}, {"campaigns", impact->campaign_names}};
    }
  } else if (rules.protection == Protection::Skip && !rules.force) {
    auto dropped = deletion.drop_protected();
    if (!dropped) return dropped.take_error();
    done.skipped_protected = *dropped;
  }
  if (rules.preview) {
    auto sample = deletion.sample_selected(kPreviewSampleSize);
    if (!sample) return sample.take_error();
    rules.preview->preview["sample"] = leads_to_json(*sample);
  }
  if (rules.capture_into) {
    auto captured = deletion.capture_selected(services.receipts, *rules.capture_into);
    if (!captured) return captured.take_error();
    done.captured = std::move(*captured);
  }
  auto deleted = deletion.delete_selected(rules.capture_into);
  if (!deleted) return deleted.take_error();
  done.deleted = *deleted;
  return done;
}

}  // namespace leadline::api
