#pragma once
// How a suppression entry is written and what it matches. Emails and phone numbers compare in
// their normal forms (normalise.hpp), like leads; a domain entry matches addresses at that domain
// and at every subdomain of it ("example.com" suppresses a@example.com and a@mail.example.com,
// never a@example.co or a@notexample.com), because a company's mail hosts share its domain.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadline::validation {

/// A domain entry's normal form: trimmed, lower-cased, one leading '@' dropped; nullopt unless it
/// is two or more dot-separated labels of letters, digits and inner hyphens (1–63 each, ≤ 253 in
/// all) ending in a label that is not all digits.
std::optional<std::string> normalise_domain(std::string_view raw);

/// The domain part of a normalised email (after its '@').
std::string_view email_domain(std::string_view normalised_email);

/// Whether the domain entry `entry` (normalised) covers `domain` (normalised): the same domain, or
/// a subdomain of it.
bool domain_covers(std::string_view entry, std::string_view domain);

/// Every domain entry that would cover `domain` (normalised): the domain itself and each parent
/// of two or more labels, longest first — what a lookup by exact value has to ask for.
std::vector<std::string> covering_domains(std::string_view domain);

}  // namespace leadline::validation
