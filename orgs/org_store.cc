#include "orgs/org_store.h"

#include <algorithm>

#include "orgs/credit_code.h"
#include "orgs/store_internal.h"
#include "orgs/tree_scripts.h"
#include "orgs/validation.h"

namespace seald::orgs {

using namespace internal;

Result<Organisation> OrgStore::create(const NewOrganisation& in) {
  auto code = parse_credit_code(in.credit_code);
  if (!code) {
    return code.error();
  }
  if (auto s = validate_org_name(in.name); !s) {
    return s.error();
  }
  if (auto s = validate_region(in.region); !s) {
    return s.error();
  }
  if (!in.parent_id.empty() && !well_formed_id(in.parent_id)) {
    return make_error("org_parent_not_found",
                      "parent organisation " + in.parent_id + " does not exist");
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply =
      eval(**lease, scripts::kCreate,
           {std::string(kNextIdKey), std::string(kByCodeKey), std::string(kPathsKey),
            std::string(kTreeKey), siblings_key(in.parent_id)},
           {in.name, *code, in.region, in.parent_id, std::to_string(now_ms()), org_key("")});
  if (!reply) {
    return reply.error();
  }
  if (auto s = script_status(*reply, {}, *code, in.parent_id); !s) {
    return s.error();
  }
  return read_org(**lease, text_of(reply->element(1)));
}

Result<Organisation> OrgStore::get(std::string_view id) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  return read_org(**lease, id);
}

Result<Organisation> OrgStore::get_by_credit_code(std::string_view code) {
  auto canonical = parse_credit_code(code);
  if (!canonical) {
    return canonical.error();
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto id = (*lease)->command({"HGET", kByCodeKey, *canonical});
  if (!id) {
    return id.error();
  }
  if (id->is_nil()) {
    return make_error("org_not_found",
                      "no organisation has unified social credit code " + *canonical);
  }
  return read_org(**lease, id->str());
}

Result<OrgPage> OrgStore::load_page(redis::Connection& conn, const std::vector<std::string>& ids,
                                    std::size_t total) {
  OrgPage page;
  page.total = total;
  if (ids.empty()) {
    return page;
  }
  std::vector<std::string> keys;
  std::vector<std::vector<std::string_view>> cmds;
  keys.reserve(ids.size());
  for (const auto& id : ids) {
    keys.push_back(org_key(id));
  }
  for (const auto& key : keys) {
    cmds.push_back({"HGETALL", key});
  }
  auto replies = conn.pipeline(cmds);
  if (!replies) {
    return replies.error();
  }
  for (const auto& r : *replies) {
    if (r->type == REDIS_REPLY_ERROR) {
      return make_error("redis_error", std::string(r->str, r->len));
    }
    if (r->elements > 0) {
      page.items.push_back(parse_org(r.get()));
    }
  }
  return page;
}

Result<OrgPage> OrgStore::list_children(std::string_view parent_id, std::size_t offset,
                                        std::size_t limit) {
  limit = std::min(limit, kMaxPageSize);
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  if (!parent_id.empty()) {
    auto parent = read_org(**lease, parent_id);
    if (!parent) {
      return parent.error();
    }
  }
  std::string key = siblings_key(parent_id);
  std::string from = std::to_string(offset);
  std::string to = std::to_string(offset + limit - 1);
  std::vector<std::vector<std::string_view>> cmds{{"ZCARD", key}};
  if (limit > 0) {
    cmds.push_back({"ZRANGE", key, from, to});
  }
  auto replies = (*lease)->pipeline(cmds);
  if (!replies) {
    return replies.error();
  }
  std::vector<std::string> ids;
  if (limit > 0) {
    const redisReply* members = (*replies)[1].get();
    for (std::size_t i = 0; i < members->elements; ++i) {
      ids.push_back(text_of(members->element[i]));
    }
  }
  return load_page(**lease, ids, static_cast<std::size_t>((*replies)[0]->integer));
}

Result<OrgPage> OrgStore::list_subtree(std::string_view root_id, std::size_t offset,
                                       std::size_t limit) {
  limit = std::min(limit, kMaxPageSize);
  if (!well_formed_id(root_id)) {
    return not_found(root_id);
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = eval(**lease, scripts::kSubtreePage, {std::string(kPathsKey), std::string(kTreeKey)},
                    {std::string(root_id), std::to_string(offset), std::to_string(limit)});
  if (!reply) {
    return reply.error();
  }
  if (auto s = script_status(*reply, root_id, {}, {}); !s) {
    return s.error();
  }
  std::vector<std::string> ids;
  for (std::size_t i = 2; i < reply->size(); ++i) {
    ids.push_back(text_of(reply->element(i)));
  }
  return load_page(**lease, ids, static_cast<std::size_t>(reply->element(1)->integer));
}

Result<std::vector<std::string>> OrgStore::ancestors(std::string_view id) {
  if (!well_formed_id(id)) {
    return not_found(id);
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto path = (*lease)->command({"HGET", kPathsKey, id});
  if (!path) {
    return path.error();
  }
  if (path->is_nil()) {
    return not_found(id);
  }
  std::string_view p = path->str();
  std::vector<std::string> chain;
  // Every segment but the last (the organisation itself), nearest first.
  std::size_t levels = p.size() / (kMaxIdDigits + 1);
  for (std::size_t level = levels - 1; level-- > 0;) {
    std::string_view seg = p.substr(level * (kMaxIdDigits + 1), kMaxIdDigits);
    chain.push_back(std::to_string(to_int(seg)));
  }
  return chain;
}

Result<bool> OrgStore::is_in_subtree(std::string_view org_id, std::string_view root_id) {
  if (!well_formed_id(org_id)) {
    return not_found(org_id);
  }
  if (!well_formed_id(root_id)) {
    return not_found(root_id);
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto paths = (*lease)->command({"HMGET", kPathsKey, org_id, root_id});
  if (!paths) {
    return paths.error();
  }
  const redisReply* org = paths->element(0);
  const redisReply* root = paths->element(1);
  if (org->type == REDIS_REPLY_NIL) {
    return not_found(org_id);
  }
  if (root->type == REDIS_REPLY_NIL) {
    return not_found(root_id);
  }
  return std::string_view(org->str, org->len).starts_with(std::string_view(root->str, root->len));
}

}  // namespace seald::orgs
