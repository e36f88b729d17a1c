#include "api/campaign_owned_routes.hpp"

#include "guards/webhook_signature.hpp"
#include "validation/webhook_input.hpp"

#include "api/campaign_routes.hpp"
#include "api/receipts.hpp"
#include "leadline/time_format.hpp"
#include "validation/campaign_input.hpp"

namespace leadline::api {
namespace {

using json = nlohmann::json;

json sequence_json(const store::SequenceStep& step) {
  return {{"id", format_id(kSequenceIdPrefix, step.id)},
          {"campaignId", format_id(kCampaignIdPrefix, step.campaign_id)},
          {"stepNumber", step.step_number},
          {"subject", step.subject ? json(*step.subject) : json(nullptr)},
          {"body", step.body},
          {"delayDays", step.delay_days},
          {"createdAt", format_timestamp(step.created_at)}};
}

json webhook_json(const store::Webhook& webhook) {
  return {{"id", format_id(kWebhookIdPrefix, webhook.id)},
          {"campaignId", format_id(kCampaignIdPrefix, webhook.campaign_id)},
          {"name", webhook.name ? json(*webhook.name) : json(nullptr)},
          {"url", webhook.url},
          {"events", webhook.events},
          {"createdAt", format_timestamp(webhook.created_at)}};
}

Error owned_not_found(const char* what, const std::string& id) {
  return Error{ErrorCode::NotFound, std::string(what) + " not found", {{"details", {{"id", id}}}}};
}

// What differs between deleting a sequence step and deleting a webhook.
struct OwnedRowKind {
  std::string_view id_prefix;
  const char* noun;     ///< for "… not found"
  const char* kind;     ///< the receipt's kind
  const char* table;
  Result<bool> (store::CampaignOwnedStore::*remove)(std::int64_t campaign_id, std::int64_t id);
  const char* message;  ///< the success message
};

// DELETE /campaigns/{id}/<owned>/{rowId}: the row goes into a receipt, then out of the table.
Result<Reply> delete_owned_row(RouteContext& context, const OwnedRowKind& owned) {
  auto campaign = load_campaign(context, context.path_params[0]);
  if (!campaign) return campaign.take_error();
  const auto& row_id = context.path_params[1];
  const auto id = parse_id(owned.id_prefix, row_id);
  if (!id) return owned_not_found(owned.noun, row_id);
  auto receipt = open_receipt(context, owned.kind);
  if (!receipt) return receipt.take_error();
  if (receipt->restorable) {
    auto captured = context.services.receipts.capture(receipt->id, owned.table, "id = ? AND campaign_id = ?",
                                                      {*id, campaign->id});
    if (!captured) return captured.take_error();
  }
  auto deleted = (context.services.owned.*owned.remove)(campaign->id, *id);
  if (!deleted) return deleted.take_error();
  if (!*deleted) return owned_not_found(owned.noun, row_id);  // the receipt rolls back with the request
  auto receipt_id = close_receipt(context, *receipt, {{owned.kind + std::string("s"), 1}});
  if (!receipt_id) return receipt_id.take_error();
  return Reply{200, {{"id", row_id}, {"deletedAt", format_timestamp(context.now)}, {"receiptId", *receipt_id}},
               owned.message};
}

}  // namespace

Result<Reply> create_sequence(RouteContext& context, validation::SequenceInput& decoded) {
  auto* input = &decoded;
  auto campaign = load_campaign(context, context.path_params[0]);
  if (!campaign) return campaign.take_error();
  store::SequenceStep step;
  step.id = context.services.ids.next(context.now);
  step.campaign_id = campaign->id;
  step.subject = input->subject;
  step.body = input->body;
  step.created_at = context.now;
  auto existing = context.services.owned.sequences(campaign->id);
  if (!existing) return existing.take_error();
  // Without an explicit delay the first step goes out at once and a follow-up waits a day.
  step.delay_days = input->delay_days.value_or(existing->empty() ? 0 : 1);
  if (auto status = context.services.owned.append_sequence(step); !status) return status.take_error();
  return Reply{201, sequence_json(step)};
}

Result<Reply> list_sequences(RouteContext& context, NothingDecoded&) {
  auto campaign = load_campaign(context, context.path_params[0]);
  if (!campaign) return campaign.take_error();
  auto steps = context.services.owned.sequences(campaign->id);
  if (!steps) return steps.take_error();
  json list = json::array();
  for (const auto& step : *steps) list.push_back(sequence_json(step));
  return Reply{200, {{"sequences", std::move(list)}}};
}

Result<Reply> delete_sequence(RouteContext& context, NothingDecoded&) {
  return delete_owned_row(context, {kSequenceIdPrefix, "Sequence step", "sequence", "campaign_sequences",
                                    &store::CampaignOwnedStore::delete_sequence, "Sequence step deleted"});
}

Result<Reply> create_webhook(RouteContext& context, validation::WebhookInput& decoded) {
  auto* input = &decoded;
  auto campaign = load_campaign(context, context.path_params[0]);
  if (!campaign) return campaign.take_error();
  // Deliveries go out for real: the same rule as workspace endpoints for where they may go,
  // except that plain http stays allowed here (Smartlead's campaign webhooks accept it).
  auto url = validation::parse_webhook_url(input->url);
  if (!url) return Error{ErrorCode::ValidationError, "url: " + url.error().message, {{"field", "url"}}};
  url->https = true;
  if (auto refusal = validation::webhook_url_refusal(*url, context.services.webhook_policy.allow_private))
    return Error{ErrorCode::ValidationError, "url: " + *refusal, {{"field", "url"}}};
  store::Webhook webhook{context.services.ids.next(context.now), campaign->id, input->name, input->url,
                         input->events, context.now, guards::new_webhook_secret()};
  if (auto status = context.services.owned.insert_webhook(webhook); !status) return status.take_error();
  auto out = webhook_json(webhook);
  out["secret"] = webhook.secret;
  return Reply{201, std::move(out), "Webhook created; store the secret now, it is not shown again"};
}

Result<Reply> list_webhooks(RouteContext& context, NothingDecoded&) {
  auto campaign = load_campaign(context, context.path_params[0]);
  if (!campaign) return campaign.take_error();
  auto hooks = context.services.owned.webhooks(campaign->id);
  if (!hooks) return hooks.take_error();
  json list = json::array();
  for (const auto& hook : *hooks) list.push_back(webhook_json(hook));
  return Reply{200, {{"webhooks", std::move(list)}}};
}

Result<Reply> delete_webhook(RouteContext& context, NothingDecoded&) {
  return delete_owned_row(context, {kWebhookIdPrefix, "Webhook", "webhook", "campaign_webhooks",
                                    &store::CampaignOwnedStore::delete_webhook, "Webhook deleted"});
}

}  // namespace leadline::api
