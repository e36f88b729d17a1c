#include "validation/normalise.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace leadline::validation {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Officially assigned ISO 3166-1 alpha-2 codes (249), sorted for binary search.
constexpr std::array<std::string_view, 249> kCountries{
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD",
    "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA",
    "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE",
    "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA",
    "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK",
    "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP",
    "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT",
    "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS",
    "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ",
    "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS",
    "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST",
    "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW",
    "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA",
    "ZM", "ZW"};

bool valid_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  std::size_t labels = 0;
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    const auto label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (unsigned char c : label) {
      // Letters, digits, hyphen, and raw UTF-8 for internationalised domains.
      if (!(std::isalnum(c) || c == '-' || c >= 0x80)) return false;
    }
    ++labels;
    start = end + 1;
  }
  return labels >= 2;
}

bool valid_local_part(std::string_view local) {
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.') return false;
  if (local.find("..") != std::string_view::npos) return false;
  static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~.";
  for (unsigned char c : local) {
    if (!(std::isalnum(c) || kSpecials.find(static_cast<char>(c)) != std::string_view::npos || c >= 0x80))
      return false;
  }
  return true;
}

}  // namespace

std::string_view trim(std::string_view raw) {
  while (!raw.empty() && is_space(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && is_space(raw.back())) raw.remove_suffix(1);
  return raw;
}

std::optional<std::string> normalise_email(std::string_view raw) {
  const auto trimmed = trim(raw);
  if (trimmed.size() > 254) return std::nullopt;
  std::string email;
  email.reserve(trimmed.size());
  for (char c : trimmed) email.push_back(lower(c));
  const auto at = email.find('@');
  if (at == std::string::npos || email.find('@', at + 1) != std::string::npos) return std::nullopt;
  if (!valid_local_part(std::string_view(email).substr(0, at)) || !valid_domain(std::string_view(email).substr(at + 1)))
    return std::nullopt;
  return email;
}

std::optional<std::string> normalise_phone(std::string_view raw) {
  const auto trimmed = trim(raw);
  if (trimmed.empty() || trimmed.size() > 40) return std::nullopt;
  std::string digits;
  bool plus = false;
  bool seen_digit = false;
  for (char c : trimmed) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      seen_digit = true;
    } else if (c == '+' && !seen_digit && !plus) {
      plus = true;
    } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/') {
      continue;  // common visual separators
    } else {
      return std::nullopt;
    }
  }
  if (!plus) {
    if (digits.rfind("00", 0) == 0) {
      digits.erase(0, 2);  // international call prefix
    } else if (digits.size() < 11) {
      return std::nullopt;  // national number: country code unknown
    }
  }
  // E.164: a country code never starts with 0, and a number has at most 15 digits.
  if (digits.size() < 8 || digits.size() > 15 || digits.front() == '0') return std::nullopt;
  return "+" + digits;
}

std::optional<std::string> normalise_country(std::string_view raw) {
  const auto trimmed = trim(raw);
  if (trimmed.size() != 2) return std::nullopt;
  std::string code{static_cast<char>(std::toupper(static_cast<unsigned char>(trimmed[0]))),
                   static_cast<char>(std::toupper(static_cast<unsigned char>(trimmed[1])))};
  if (!std::binary_search(kCountries.begin(), kCountries.end(), std::string_view(code))) return std::nullopt;
  return code;
}

namespace {

// Walks `text` as UTF-8; with `controls_allowed` false, C0 controls other than tab, CR and LF
// (and DEL) also fail it.
bool scan_utf8(std::string_view text, bool controls_allowed) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (!controls_allowed && ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)) return false;
      ++i;
      continue;
    }
    std::size_t length;
    std::uint32_t code;
    if ((c & 0xE0) == 0xC0) { length = 2; code = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { length = 3; code = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { length = 4; code = c & 0x07; }
    else return false;
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((length == 2 && code < 0x80) || (length == 3 && code < 0x800) || (length == 4 && code < 0x10000) ||
        (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF)
      return false;
    i += length;
  }
  return true;
}

}  // namespace

bool is_valid_utf8(std::string_view text) { return scan_utf8(text, true); }

bool is_clean_text(std::string_view text) { return scan_utf8(text, false); }

std::size_t code_point_count(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace leadline::validation
