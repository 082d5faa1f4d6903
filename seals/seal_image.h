#pragma once

// The round official-seal picture seald draws when the applicant gave none:
// a red ring, the org name along the upper rim, a five-pointed star in the
// centre and the seal type's Chinese name below it. SVG, so it stays sharp
// at any size and needs no image library.

#include <string>
#include <string_view>

namespace seald::seals {

// org_name and type_name are plain text (escaped here).
std::string render_seal_svg(std::string_view org_name, std::string_view type_name);

}  // namespace seald::seals
