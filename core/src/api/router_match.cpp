#include "api/router.hpp"

namespace leadline::api {
namespace {

std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start < path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

bool matches(const Route& route, const std::vector<std::string_view>& segments, std::vector<std::string>& params) {
  const auto pattern = split_segments(route.pattern);
  if (pattern.size() != segments.size()) return false;
  params.clear();
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (!pattern[i].empty() && pattern[i].front() == ':') params.emplace_back(segments[i]);
    else if (pattern[i] != segments[i]) return false;
  }
  return true;
}

}  // namespace

Result<RouteMatch> match_route_in(const std::vector<Route>& table, std::string_view method, std::string_view path) {
  std::string_view rest;
  for (std::string_view prefix : {std::string_view("/api/v1"), std::string_view("/v1")}) {
    if (path.substr(0, prefix.size()) == prefix && (path.size() == prefix.size() || path[prefix.size()] == '/')) {
      rest = path.substr(prefix.size());
      break;
    }
  }
  const auto not_found = Error{ErrorCode::NotFound, "Route not found: " + std::string(method) + " " + std::string(path)};
  if (rest.empty()) return not_found;
  const auto segments = split_segments(rest);
  std::string allow;
  RouteMatch match;
  for (const auto& route : table) {
    if (!matches(route, segments, match.params)) continue;
    if (route.method == method) {
      match.route = &route;
      return match;
    }
    allow += (allow.empty() ? "" : ", ") + std::string(route.method);
  }
  if (allow.empty()) return not_found;
  return Error{ErrorCode::MethodNotAllowed, "Method " + std::string(method) + " is not allowed here",
               {{"allow", allow}}};
}

}  // namespace leadline::api
