// OrgStore::apply_change: what an approved org_update application does.

#include "orgs/credit_code.h"
#include "orgs/org_store.h"
#include "orgs/store_internal.h"
#include "orgs/tree_scripts.h"
#include "orgs/validation.h"

namespace seald::orgs {

using namespace internal;

namespace {

// Checks and canonicalises every requested field before Redis is touched.
Result<OrgChange> validate_change(std::string_view id, const OrgChange& change) {
  if (!change.name && !change.credit_code && !change.region && !change.parent_id) {
    return make_error("org_change_empty", "the change sets no field");
  }
  OrgChange out = change;
  if (change.name) {
    if (auto s = validate_org_name(*change.name); !s) {
      return s.error();
    }
  }
  if (change.region) {
    if (auto s = validate_region(*change.region); !s) {
      return s.error();
    }
  }
  if (change.credit_code) {
    auto code = parse_credit_code(*change.credit_code);
    if (!code) {
      return code.error();
    }
    out.credit_code = *code;
  }
  if (change.parent_id && !change.parent_id->empty()) {
    if (*change.parent_id == id) {
      return make_error("org_cycle", "organisation " + std::string(id) +
                                         " cannot move under itself or its own subtree");
    }
    if (!well_formed_id(*change.parent_id)) {
      return make_error("org_parent_not_found",
                        "parent organisation " + *change.parent_id + " does not exist");
    }
  }
  return out;
}

std::string flag(bool set) {
  return set ? "1" : "0";
}

}  // namespace

Result<Organisation> OrgStore::apply_change(std::string_view id, std::int64_t expected_version,
                                            const OrgChange& requested) {
  auto change = validate_change(id, requested);
  if (!change) {
    return change.error();
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  // The script needs the current parent's children set as a declared key; it
  // re-checks the version, so a parent read here that moved since is refused.
  auto current = read_org(**lease, id);
  if (!current) {
    return current.error();
  }
  if (current->version != expected_version) {
    return make_error("org_version_conflict",
                      "organisation " + std::string(id) + " has changed (now version " +
                          std::to_string(current->version) + "); reload it and retry");
  }
  std::string new_parent = change->parent_id.value_or(current->parent_id);
  auto reply =
      eval(**lease, scripts::kChange,
           {org_key(id), std::string(kByCodeKey), std::string(kPathsKey), std::string(kTreeKey),
            siblings_key(current->parent_id), siblings_key(new_parent)},
           {std::string(id), std::to_string(expected_version), current->parent_id,
            flag(change->name.has_value()), change->name.value_or(""),
            flag(change->credit_code.has_value()), change->credit_code.value_or(""),
            flag(change->region.has_value()), change->region.value_or(""),
            flag(change->parent_id.has_value()), new_parent, std::to_string(now_ms()),
            path_segment(id)});
  if (!reply) {
    return reply.error();
  }
  if (auto s = script_status(*reply, id, change->credit_code.value_or(""), new_parent); !s) {
    return s.error();
  }
  return read_org(**lease, id);
}

}  // namespace seald::orgs
