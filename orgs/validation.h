#pragma once

// Checks on the plain fields of an organisation, shared by create and change.

#include <string_view>

#include "core/error.h"

namespace seald::orgs {

// Non-empty after trimming, at most 200 bytes, valid UTF-8, no control
// characters: the name is printed on forms and seal certificates.
Status validate_org_name(std::string_view name);

// An administrative division code (行政区划代码): exactly 6 ASCII digits,
// the first not 0.
Status validate_region(std::string_view region);

}  // namespace seald::orgs
