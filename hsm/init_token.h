#pragma once

// Setting a token up for seald: for installation scripts (sealdctl) and
// tests, not for the running service.

#include <string_view>

#include "core/error.h"
#include "core/secret.h"
#include "hsm/module.h"

namespace seald::hsm {

enum class InitTokenOutcome { created, already_exists };

// Initialises a free slot's token with this label and SO PIN, then sets the
// user PIN (C_InitToken, C_Login as SO, C_InitPIN). When a token with this
// label already exists nothing is done, so set-up can be re-run safely.
// Errors: hsm_label_invalid, hsm_no_free_slot, or the CK_RV of a call.
Result<InitTokenOutcome> init_token(const ModulePtr& module, std::string_view label,
                                    const Secret& so_pin, const Secret& user_pin);

}  // namespace seald::hsm
