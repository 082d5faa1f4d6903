#pragma once

// How a verification code reaches a phone. Production plugs in an SMS
// gateway; LogCodeSender is for development and tests only.

#include <string_view>

#include "core/error.h"
#include "core/secret.h"

namespace seald::identity {

enum class CodePurpose { register_account, change_mobile };

// "register" / "change_mobile": part of Redis keys and of the code hash.
std::string_view to_string(CodePurpose purpose);

class CodeSender {
 public:
  virtual ~CodeSender() = default;
  // Delivers the code; an error makes the caller forget the code again.
  virtual Status send(std::string_view mobile, CodePurpose purpose, const Secret& code) = 0;
};

// Development only: writes the masked number and the code to the log, at
// warn level so that it stands out if it is ever left on in production.
class LogCodeSender final : public CodeSender {
 public:
  Status send(std::string_view mobile, CodePurpose purpose, const Secret& code) override;
};

}  // namespace seald::identity
