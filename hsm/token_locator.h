#pragma once

// Finding a token among a module's slots: by its label, or by an RFC 7512
// PKCS#11 URI ("pkcs11:token=seald;manufacturer=SoftHSM%20project"), matched
// by p11-kit's own URI code.

#include <p11-kit/pkcs11.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "hsm/module.h"

namespace seald::hsm {

struct TokenSelector {
  std::string label;  // the token's label (at most 32 bytes), or
  std::string uri;    // a PKCS#11 URI; it must not carry a PIN

  static TokenSelector by_label(std::string label) { return {std::move(label), {}}; }
  static TokenSelector by_uri(std::string uri) { return {{}, std::move(uri)}; }
  // For messages: `token "seald"` or `PKCS#11 URI pkcs11:token=seald`.
  std::string describe() const;
};

// The slot holding the one token the selector names. Errors:
// hsm_token_not_found, hsm_token_ambiguous (two tokens match),
// hsm_uri_invalid, or the CK_RV of a slot/token query.
Result<CK_SLOT_ID> find_token(const Module& module, const TokenSelector& selector);

// The slot of an initialised token with this label, if any.
Result<std::optional<CK_SLOT_ID>> find_token_by_label(const Module& module, std::string_view label);

// A slot whose token is present but not initialised (SoftHSM always keeps one).
Result<std::optional<CK_SLOT_ID>> find_uninitialized_slot(const Module& module);

// A token label as PKCS#11 stores it: 32 bytes, padded with spaces. Error
// hsm_label_invalid when empty or longer than 32 bytes.
Result<std::string> padded_token_label(std::string_view label);

}  // namespace seald::hsm
