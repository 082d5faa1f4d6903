#include "server/router.h"

#include <algorithm>

namespace seald::server {

namespace {

bool is_name_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (!first && c >= '0' && c <= '9');
}

// "/a/b" → {"a", "b"}; "/" → {""}. The caller has checked the leading '/'.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 1;
  while (true) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      parts.push_back(path.substr(start));
      return parts;
    }
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) {
      return false;
    }
    int hi = hex_value(in[i + 1]);
    int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) {
      return false;
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

}  // namespace

void Router::fail(std::string message) {
  if (status_) {
    status_ = make_error("route_invalid", std::move(message));
  }
}

Router& Router::add(http::verb method, std::string_view pattern, std::string_view name,
                    SyncHandler handler) {
  if (!handler) {
    fail("route " + std::string(name) + ": no handler");
    return *this;
  }
  return add_async(method, pattern, name,
                   [h = std::move(handler)](const Request& request, const RequestContext& context,
                                            Responder respond) { respond(h(request, context)); });
}

Router& Router::add_async(http::verb method, std::string_view pattern, std::string_view name,
                          AsyncHandler handler) {
  const std::string where = "route " + std::string(name) + " (" + std::string(pattern) + ")";
  if (name.empty() || !handler || method == http::verb::unknown) {
    fail(where + ": needs a name, a method and a handler");
    return *this;
  }
  if (pattern.empty() || pattern[0] != '/') {
    fail(where + ": pattern must start with '/'");
    return *this;
  }

  std::vector<Segment> segments;
  std::string shape;
  std::vector<std::string_view> param_names;
  for (std::string_view part : split_path(pattern)) {
    Segment segment;
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      std::string_view param = part.substr(1, part.size() - 2);
      bool ok = !param.empty();
      for (std::size_t i = 0; ok && i < param.size(); ++i) {
        ok = is_name_char(param[i], i == 0);
      }
      if (!ok || std::find(param_names.begin(), param_names.end(), param) != param_names.end()) {
        fail(where + ": bad or repeated parameter '" + std::string(part) + "'");
        return *this;
      }
      param_names.push_back(param);
      segment = {std::string(param), true};
      shape += "/{}";
    } else {
      if (part.find_first_of("{}%?#") != std::string_view::npos) {
        fail(where + ": literal segments may not contain { } % ? #");
        return *this;
      }
      segment = {std::string(part), false};
      shape += '/';
      shape += part;
    }
    segments.push_back(std::move(segment));
  }

  PathEntry* entry = nullptr;
  if (auto it = by_shape_.find(shape); it != by_shape_.end()) {
    entry = it->second;
    if (entry->pattern != pattern) {
      fail(where + ": same shape as " + entry->pattern + " with other parameter names");
      return *this;
    }
    for (const Route* r : entry->routes) {
      if (r->method == method) {
        fail(where + ": " + std::string(http::to_string(method)) + " is already routed");
        return *this;
      }
    }
  } else {
    auto owned = std::make_unique<PathEntry>();
    owned->pattern = std::string(pattern);
    owned->segments = std::move(segments);
    entry = owned.get();
    by_shape_.emplace(shape, entry);
    if (param_names.empty()) {
      literal_.emplace(entry->pattern, entry);
    } else {
      with_params_.push_back(entry);
    }
    paths_.push_back(std::move(owned));
  }

  auto route = std::make_unique<Route>(
      Route{method, std::string(pattern), std::string(name), std::move(handler), routes_.size()});
  entry->routes.push_back(route.get());
  routes_.push_back(std::move(route));
  return *this;
}

const Router::PathEntry* Router::find_path(std::string_view path,
                                           std::vector<std::string_view>& parts) const {
  if (auto it = literal_.find(path); it != literal_.end()) {
    return it->second;
  }
  if (with_params_.empty()) {
    return nullptr;
  }
  parts = split_path(path);
  const PathEntry* best = nullptr;
  for (const PathEntry* entry : with_params_) {
    if (entry->segments.size() != parts.size()) {
      continue;
    }
    bool matches = true;
    for (std::size_t i = 0; matches && i < parts.size(); ++i) {
      const Segment& s = entry->segments[i];
      matches = s.param ? !parts[i].empty() : s.text == parts[i];
    }
    if (!matches) {
      continue;
    }
    if (best == nullptr) {
      best = entry;
      continue;
    }
    // The more literal pattern wins at the first segment where they differ.
    for (std::size_t i = 0; i < parts.size(); ++i) {
      bool entry_param = entry->segments[i].param;
      bool best_param = best->segments[i].param;
      if (entry_param != best_param) {
        if (!entry_param) {
          best = entry;
        }
        break;
      }
    }
  }
  return best;
}

RouteMatch Router::match(http::verb method, std::string_view target) const {
  RouteMatch result;
  std::string_view path = target.substr(0, target.find('?'));
  if (path.empty() || path[0] != '/') {
    result.outcome = RouteMatch::Outcome::kBadTarget;
    return result;
  }
  std::vector<std::string_view> parts;
  const PathEntry* entry = find_path(path, parts);
  if (entry == nullptr) {
    result.outcome = RouteMatch::Outcome::kNotFound;
    return result;
  }
  for (const Route* r : entry->routes) {
    if (r->method == method) {
      result.route = r;
      break;
    }
  }
  if (result.route == nullptr) {
    result.outcome = RouteMatch::Outcome::kMethodNotAllowed;
    for (const Route* r : entry->routes) {
      if (!result.allow.empty()) {
        result.allow += ", ";
      }
      result.allow += http::to_string(r->method);
    }
    return result;
  }
  for (std::size_t i = 0; i < entry->segments.size(); ++i) {
    if (!entry->segments[i].param) {
      continue;
    }
    PathParam param{entry->segments[i].text, {}};
    if (!percent_decode(parts[i], param.value)) {
      result.outcome = RouteMatch::Outcome::kBadTarget;
      result.route = nullptr;
      return result;
    }
    result.params.push_back(std::move(param));
  }
  result.outcome = RouteMatch::Outcome::kFound;
  return result;
}

}  // namespace seald::server
