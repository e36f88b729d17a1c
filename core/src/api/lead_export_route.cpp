#include "api/lead_export_route.hpp"

#include "api/csv_writer.hpp"
#include "leadline/time_format.hpp"
#include "validation/query_params.hpp"

namespace leadline::api {
namespace {

const std::vector<std::string> kColumns{
    "id",      "email",      "firstName", "lastName", "companyName", "jobTitle",     "phoneNumber", "externalId",
    "status",  "emailVerificationStatus", "country",  "tags",        "customFields", "metadata",    "createdAt",
    "updatedAt"};

std::vector<std::string> csv_cells(const Lead& lead) {
  const auto text = [](const std::optional<std::string>& value) { return value.value_or(""); };
  return {format_id(kLeadIdPrefix, lead.id), text(lead.email), text(lead.first_name), text(lead.last_name),
          text(lead.company_name), text(lead.job_title), text(lead.phone_number), text(lead.external_id),
          lead.status, lead.email_verification_status, text(lead.country), list_cell(lead.tags),
          json_cell(lead.custom_fields), json_cell(lead.metadata), format_timestamp(lead.created_at),
          format_timestamp(lead.updated_at)};
}

// One keyset query per chunk over the filter's selection, oldest first.
class LeadsExport final : public ChunkSource {
 public:
  LeadsExport(store::LeadStore& leads, std::int64_t workspace_id, validation::LeadFilters filters, bool csv)
      : leads_(leads), workspace_id_(workspace_id), filters_(std::move(filters)), csv_(csv) {}

  Result<std::optional<std::string>> next() override {
    if (finished_) return std::optional<std::string>{};
    std::string out;
    if (!started_) {
      if (csv_) {
        out = kUtf8Bom;
        append_csv_row(out, kColumns);
      } else {
        out = R"({"success":true,"data":{"leads":[)";
      }
      started_ = true;
    }
    auto page = leads_.list_ascending(workspace_id_, filters_, kLeadsPerChunk, last_id_);
    if (!page) return page.take_error();
    for (const auto& lead : page->leads) {
      if (csv_) {
        append_csv_row(out, csv_cells(lead));
      } else {
        if (written_ > 0) out.push_back(',');
        out += lead_to_json(lead).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
      ++written_;
    }
    if (!page->leads.empty()) last_id_ = page->leads.back().id;
    finished_ = !page->has_more;
    if (finished_ && !csv_) out += "]}}";
    return std::optional<std::string>{std::move(out)};
  }

 private:
  static constexpr int kLeadsPerChunk = 1000;
  store::LeadStore& leads_;
  std::int64_t workspace_id_;
  validation::LeadFilters filters_;
  bool csv_;
  std::optional<std::int64_t> last_id_;
  std::int64_t written_ = 0;
  bool started_ = false;
  bool finished_ = false;
};

}  // namespace

Result<Reply> export_leads(RouteContext& context, validation::LeadExportQuery& decoded) {
  auto* query = &decoded;
  Reply reply;
  reply.headers["content-type"] = query->csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
  reply.headers["content-disposition"] =
      std::string("attachment; filename=\"leads-export.") + (query->csv ? "csv" : "json") + "\"";
  reply.headers["cache-control"] = "no-store";
  reply.stream = std::make_unique<LeadsExport>(context.services.leads, context.principal->workspace_id,
                                               std::move(query->filters), query->csv);
  return reply;
}

}  // namespace leadline::api
