#include "validation/suppression_match.hpp"

#include "validation/normalise.hpp"

#include <algorithm>
#include <cctype>

namespace leadline::validation {

namespace {

bool is_label_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-'; }

bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(), is_label_char);
}

}  // namespace

std::optional<std::string> normalise_domain(std::string_view raw) {
  auto text = trim(raw);
  if (!text.empty() && text.front() == '@') text.remove_prefix(1);
  if (text.empty() || text.size() > 253) return std::nullopt;
  std::string domain(text);
  std::transform(domain.begin(), domain.end(), domain.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::size_t labels = 0;
  std::string_view last;
  std::string_view rest = domain;
  for (;;) {
    const auto dot = rest.find('.');
    const auto label = rest.substr(0, dot);
    if (!valid_label(label)) return std::nullopt;
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  const bool numeric_top = std::all_of(last.begin(), last.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
  if (labels < 2 || numeric_top) return std::nullopt;
  return domain;
}

std::string_view email_domain(std::string_view normalised_email) {
  const auto at = normalised_email.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : normalised_email.substr(at + 1);
}

bool domain_covers(std::string_view entry, std::string_view domain) {
  if (entry.empty() || domain.size() < entry.size()) return false;
  if (domain == entry) return true;
  return domain.size() > entry.size() && domain.substr(domain.size() - entry.size()) == entry &&
         domain[domain.size() - entry.size() - 1] == '.';
}

std::vector<std::string> covering_domains(std::string_view domain) {
  std::vector<std::string> covering;
  if (domain.empty()) return covering;
  for (;;) {
    if (domain.find('.') == std::string_view::npos) break;  // a single label is never an entry
    covering.emplace_back(domain);
    domain.remove_prefix(domain.find('.') + 1);
  }
  return covering;
}

}  // namespace leadline::validation
