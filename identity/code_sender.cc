#include "identity/code_sender.h"

#include <spdlog/spdlog.h>

#include "identity/validation.h"

namespace seald::identity {

std::string_view to_string(CodePurpose purpose) {
  switch (purpose) {
    case CodePurpose::register_account:
      return "register";
    case CodePurpose::change_mobile:
      return "change_mobile";
  }
  return "unknown";
}

Status LogCodeSender::send(std::string_view mobile, CodePurpose purpose, const Secret& code) {
  spdlog::warn("development code sender: {} code for {} is {}", to_string(purpose),
               mask_mobile(mobile), code.reveal());
  return {};
}

}  // namespace seald::identity
