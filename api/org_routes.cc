// The org tree: system admins create organisations; any signed-in user reads
// the tree (applicants pick their org and its approving org from it).
// Changes to an existing org go through an org_update application.

#include <string>
#include <utility>

#include "api/account_access.h"
#include "api/handler_kit.h"
#include "api/json_body.h"
#include "api/org_view.h"
#include "api/request_parts.h"
#include "api/routes.h"

namespace seald::api {
namespace {

using server::Request;
using server::RequestContext;
using server::Response;
using server::http::status;
using server::http::verb;

Result<Response> create_org(Services& services, const Request& request,
                            const RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  if (auto allowed = require_role(services, context, *principal, authz::Role::system_admin,
                                  "org.create", "orgs");
      !allowed) {
    return allowed.error();
  }
  auto body = parse_object(request.body(), {"name", "credit_code", "region", "parent_id"});
  if (!body) {
    return body.error();
  }
  orgs::NewOrganisation org;
  for (auto [field, into] :
       {std::pair{"name", &org.name}, std::pair{"credit_code", &org.credit_code},
        std::pair{"region", &org.region}}) {
    auto value = required_string(*body, field, 256);
    if (!value) {
      return value.error();
    }
    *into = std::move(*value);
  }
  auto parent_id = optional_string(*body, "parent_id", 128);
  if (!parent_id) {
    return parent_id.error();
  }
  org.parent_id = parent_id->value_or("");
  auto created = services.orgs.create(org);
  if (!created) {
    return created.error();
  }
  if (auto a =
          audit_change(services, context, actor_of(*principal), "org.create", "org:" + created->id,
                       {{"name", created->name},
                        {"credit_code", created->credit_code},
                        {"region", created->region},
                        {"parent_id", created->parent_id}});
      !a) {
    return a.error();
  }
  return json_ok(status::created, org_json(*created));
}

Result<Response> page_answer(const Result<orgs::OrgPage>& page, const Paging& paging) {
  if (!page) {
    return page.error();
  }
  boost::json::array items;
  for (const auto& org : page->items) {
    items.push_back(org_json(org));
  }
  return json_ok(status::ok, page_json(std::move(items), page->total, paging));
}

// The read routes differ only in what they list.
template <class List>
Result<Response> read_page(Services& services, const Request& request, List list) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto paging = parse_paging(request.target());
  if (!paging) {
    return paging.error();
  }
  return page_answer(list(*paging), *paging);
}

}  // namespace

void add_org_routes(server::Router& router, Services& services) {
  router.add_async(verb::post, "/api/v1/orgs", "org_create",
                   offload(services, [&services](const Request& r, const RequestContext& c) {
                     return create_org(services, r, c);
                   }));
  router.add_async(verb::get, "/api/v1/orgs", "org_roots",
                   offload(services, [&services](const Request& r, const RequestContext&) {
                     return read_page(services, r, [&](const Paging& p) {
                       return services.orgs.list_children("", p.offset, p.limit);
                     });
                   }));
  router.add_async(verb::get, "/api/v1/orgs/{id}", "org_get",
                   offload(services, [&services](const Request& r, const RequestContext& c) {
                     auto principal = authenticate(services, r);
                     if (!principal) {
                       return Result<Response>(principal.error());
                     }
                     auto org = services.orgs.get(c.param("id"));
                     if (!org) {
                       return Result<Response>(org.error());
                     }
                     return Result<Response>(json_ok(status::ok, org_json(*org)));
                   }));
  router.add_async(verb::get, "/api/v1/orgs/{id}/children", "org_children",
                   offload(services, [&services](const Request& r, const RequestContext& c) {
                     return read_page(services, r, [&](const Paging& p) {
                       return services.orgs.list_children(c.param("id"), p.offset, p.limit);
                     });
                   }));
  router.add_async(verb::get, "/api/v1/orgs/{id}/subtree", "org_subtree",
                   offload(services, [&services](const Request& r, const RequestContext& c) {
                     return read_page(services, r, [&](const Paging& p) {
                       return services.orgs.list_subtree(c.param("id"), p.offset, p.limit);
                     });
                   }));
}

}  // namespace seald::api
