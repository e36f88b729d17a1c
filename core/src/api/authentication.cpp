#include "api/authentication.hpp"

#include "guards/sha256.hpp"

namespace leadline::api {

Result<guards::Principal> authenticate(const Request& request, const validation::QueryParams& query,
                                       store::KeyStore& keys, bool allow_query_key) {
  auto key = guards::read_presented_key(request, query, allow_query_key);
  if (!key) return key.take_error();
  // Looked up by its SHA-256: the stored value is never the key.
  const auto hash = guards::sha256(*key);
  auto record = keys.find_key_by_hash(hash);
  if (!record) return record.take_error();
  if (auto judged = guards::judge_key_record(hash, *record); !judged) return judged.take_error();
  const auto& found = **record;
  auto requested = guards::read_requested_workspace(request);
  if (!requested) return requested.take_error();
  bool member = false;
  if (found.kind == "platform" && *requested && found.user_id) {
    auto is_member = keys.is_member(*found.user_id, **requested);
    if (!is_member) return is_member.take_error();
    member = *is_member;
  }
  return guards::principal_for(found, *requested, member);
}

}  // namespace leadline::api
