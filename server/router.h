#pragma once

// Method + path → handler. Paths are matched exactly, segment by segment; a
// segment written {name} matches any one non-empty segment and hands its
// percent-decoded value to the handler (RequestContext::param). Where a
// literal and a parameter both match, the literal wins, so /seals/search is
// not taken for /seals/{code}. The query string plays no part in routing.
//
// A route's name labels its metrics, so pick a short stable one
// ("seal_sign"); paths with parameters would make unbounded label sets.
//
// add() records the first problem (bad pattern, duplicate route) instead of
// failing at each call; Server::create refuses a router whose status() is an
// error, so a router that serves is a valid one.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "server/handler.h"
#include "server/http.h"
#include "server/request_context.h"

namespace seald::server {

struct Route {
  http::verb method;
  std::string pattern;
  std::string name;
  AsyncHandler handler;
  std::size_t id;  // dense, from 0, in the order added
};

struct RouteMatch {
  enum class Outcome { kFound, kNotFound, kMethodNotAllowed, kBadTarget };
  Outcome outcome = Outcome::kNotFound;
  const Route* route = nullptr;   // kFound
  std::vector<PathParam> params;  // kFound
  std::string allow;              // kMethodNotAllowed: "GET, POST"
};

class Router {
 public:
  Router() = default;
  Router(Router&&) noexcept = default;
  Router& operator=(Router&&) noexcept = default;

  Router& add(http::verb method, std::string_view pattern, std::string_view name,
              SyncHandler handler);
  Router& add_async(http::verb method, std::string_view pattern, std::string_view name,
                    AsyncHandler handler);

  // Ok, or the first problem add() found.
  const Status& status() const { return status_; }

  RouteMatch match(http::verb method, std::string_view target) const;

  std::size_t size() const { return routes_.size(); }
  const Route& route(std::size_t id) const { return *routes_[id]; }

 private:
  struct Segment {
    std::string text;  // the literal, or the parameter's name
    bool param = false;
  };
  // Every route sharing one pattern, for 405's Allow header.
  struct PathEntry {
    std::string pattern;
    std::vector<Segment> segments;
    std::vector<const Route*> routes;
  };

  void fail(std::string message);
  const PathEntry* find_path(std::string_view path, std::vector<std::string_view>& parts) const;

  Status status_;
  std::vector<std::unique_ptr<Route>> routes_;
  std::vector<std::unique_ptr<PathEntry>> paths_;
  // Keyed by the pattern with parameter names erased ("/seals/{}"), so two
  // spellings of one shape cannot both be added.
  std::unordered_map<std::string, PathEntry*> by_shape_;
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Patterns without parameters, for a single lookup on the common case.
  std::unordered_map<std::string, const PathEntry*, StringHash, std::equal_to<>> literal_;
  std::vector<const PathEntry*> with_params_;
};

}  // namespace seald::server
