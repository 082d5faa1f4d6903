#pragma once

// An organisation in the org tree (组织机构树), as the rest of seald sees it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace seald::orgs {

struct Organisation {
  std::string id;           // opaque
  std::string name;         // 机构名称
  std::string credit_code;  // 统一社会信用代码, canonical upper case, unique system-wide
  std::string region;       // administrative division code, 6 digits ("330000")
  std::string parent_id;    // empty for a root
  std::int64_t version = 0;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;

  bool is_root() const { return parent_id.empty(); }
};

struct NewOrganisation {
  std::string name;
  std::string credit_code;
  std::string region;
  std::string parent_id;  // empty: a root
};

// What an approved org_update application changes; unset fields stay.
// parent_id holding "" moves the organisation to the top (a root).
struct OrgChange {
  std::optional<std::string> name{};
  std::optional<std::string> credit_code{};
  std::optional<std::string> region{};
  std::optional<std::string> parent_id{};
};

struct OrgPage {
  std::vector<Organisation> items;
  std::size_t total = 0;  // across all pages
};

// List functions return at most this many items whatever limit asks.
inline constexpr std::size_t kMaxPageSize = 100;

}  // namespace seald::orgs
