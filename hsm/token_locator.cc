#include "hsm/token_locator.h"

#include <p11-kit/uri.h>

#include <memory>
#include <vector>

#include "hsm/ck_error.h"

namespace seald::hsm {
namespace {

constexpr std::size_t kLabelSize = sizeof(CK_TOKEN_INFO{}.label);

struct UriFree {
  void operator()(P11KitUri* uri) const { p11_kit_uri_free(uri); }
};
using UriPtr = std::unique_ptr<P11KitUri, UriFree>;

struct SlotToken {
  CK_SLOT_ID slot;
  CK_SLOT_INFO slot_info;
  CK_TOKEN_INFO token_info;
};

// Every slot with a token present, with its slot and token information.
// Slots that fail to answer (a token pulled mid-scan) are skipped.
Result<std::vector<SlotToken>> present_tokens(const Module& module) {
  CK_FUNCTION_LIST* f = module.functions();
  std::vector<CK_SLOT_ID> slots;
  for (;;) {
    CK_ULONG count = 0;
    CK_RV rv = f->C_GetSlotList(CK_TRUE, nullptr, &count);
    if (rv != CKR_OK) {
      return ck_error("C_GetSlotList", rv);
    }
    slots.resize(count);
    rv = f->C_GetSlotList(CK_TRUE, slots.data(), &count);
    if (rv == CKR_BUFFER_TOO_SMALL) {
      continue;  // a token appeared between the two calls
    }
    if (rv != CKR_OK) {
      return ck_error("C_GetSlotList", rv);
    }
    slots.resize(count);
    break;
  }
  std::vector<SlotToken> out;
  for (CK_SLOT_ID slot : slots) {
    SlotToken st{slot, {}, {}};
    if (f->C_GetSlotInfo(slot, &st.slot_info) != CKR_OK ||
        f->C_GetTokenInfo(slot, &st.token_info) != CKR_OK) {
      continue;
    }
    out.push_back(st);
  }
  return out;
}

bool label_equals(const CK_TOKEN_INFO& info, const std::string& padded) {
  return std::string_view(reinterpret_cast<const char*>(info.label), kLabelSize) == padded;
}

Result<UriPtr> parse_uri(const std::string& text) {
  UriPtr uri(p11_kit_uri_new());
  if (!uri) {
    return make_error("hsm_uri_invalid", "out of memory parsing a PKCS#11 URI");
  }
  // The text is not echoed in these messages: a malformed URI might hold a PIN.
  int rc = p11_kit_uri_parse(text.c_str(), P11_KIT_URI_FOR_ANY, uri.get());
  if (rc != P11_KIT_URI_OK) {
    return make_error("hsm_uri_invalid",
                      std::string("cannot parse the PKCS#11 URI: ") + p11_kit_uri_message(rc));
  }
  if (p11_kit_uri_get_pin_value(uri.get()) != nullptr ||
      p11_kit_uri_get_pin_source(uri.get()) != nullptr) {
    return make_error("hsm_uri_invalid",
                      "the PKCS#11 URI carries a PIN (pin-value/pin-source); give the PIN in a "
                      "0600 file instead");
  }
  if (p11_kit_uri_any_unrecognized(uri.get()) != 0) {
    return make_error("hsm_uri_invalid", "the PKCS#11 URI " + text +
                                             " has attributes p11-kit does not know, so it "
                                             "would match nothing");
  }
  return uri;
}

}  // namespace

std::string TokenSelector::describe() const {
  if (!uri.empty()) {
    return "PKCS#11 URI " + uri;
  }
  return "token \"" + label + "\"";
}

Result<std::string> padded_token_label(std::string_view label) {
  if (label.empty() || label.size() > kLabelSize) {
    return make_error("hsm_label_invalid", "a token label must be 1 to 32 bytes long");
  }
  std::string padded(label);
  padded.resize(kLabelSize, ' ');
  // Error is constructible from a string too, so say which side this is.
  return Result<std::string>(boost::system::in_place_value, std::move(padded));
}

Result<CK_SLOT_ID> find_token(const Module& module, const TokenSelector& selector) {
  if (selector.label.empty() == selector.uri.empty()) {
    return make_error("hsm_token_selector_invalid", "name a token by label or by URI (not both)");
  }
  auto tokens = present_tokens(module);
  if (!tokens) {
    return tokens.error();
  }
  std::vector<CK_SLOT_ID> matches;
  if (!selector.uri.empty()) {
    auto uri = parse_uri(selector.uri);
    if (!uri) {
      return uri.error();
    }
    CK_INFO module_info{};
    if (CK_RV rv = module.functions()->C_GetInfo(&module_info); rv != CKR_OK) {
      return ck_error("C_GetInfo", rv);
    }
    CK_SLOT_ID wanted_slot = p11_kit_uri_get_slot_id(uri->get());
    for (const SlotToken& t : *tokens) {
      bool slot_ok = wanted_slot == static_cast<CK_SLOT_ID>(-1) || wanted_slot == t.slot;
      if (slot_ok && p11_kit_uri_match_module_info(uri->get(), &module_info) != 0 &&
          p11_kit_uri_match_slot_info(uri->get(), &t.slot_info) != 0 &&
          p11_kit_uri_match_token_info(uri->get(), &t.token_info) != 0 &&
          (t.token_info.flags & CKF_TOKEN_INITIALIZED) != 0) {
        matches.push_back(t.slot);
      }
    }
  } else {
    auto padded = padded_token_label(selector.label);
    if (!padded) {
      return padded.error();
    }
    for (const SlotToken& t : *tokens) {
      if ((t.token_info.flags & CKF_TOKEN_INITIALIZED) != 0 &&
          label_equals(t.token_info, *padded)) {
        matches.push_back(t.slot);
      }
    }
  }
  if (matches.empty()) {
    return make_error("hsm_token_not_found", "no initialised token matches " + selector.describe() +
                                                 " in " + module.path());
  }
  if (matches.size() > 1) {
    return make_error("hsm_token_ambiguous", std::to_string(matches.size()) + " tokens match " +
                                                 selector.describe() + "; be more specific");
  }
  return matches.front();
}

Result<std::optional<CK_SLOT_ID>> find_token_by_label(const Module& module,
                                                      std::string_view label) {
  auto slot = find_token(module, TokenSelector::by_label(std::string(label)));
  if (!slot) {
    if (slot.error().code == "hsm_token_not_found") {
      return std::optional<CK_SLOT_ID>();
    }
    return slot.error();
  }
  return std::optional<CK_SLOT_ID>(*slot);
}

Result<std::optional<CK_SLOT_ID>> find_uninitialized_slot(const Module& module) {
  auto tokens = present_tokens(module);
  if (!tokens) {
    return tokens.error();
  }
  for (const SlotToken& t : *tokens) {
    if ((t.token_info.flags & CKF_TOKEN_INITIALIZED) == 0) {
      return std::optional<CK_SLOT_ID>(t.slot);
    }
  }
  return std::optional<CK_SLOT_ID>();
}

}  // namespace seald::hsm
