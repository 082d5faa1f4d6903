#include "tests/support/softhsm_token.h"

#include <sys/stat.h>

#include <cstdlib>
#include <stdexcept>

#include <openssl/rand.h>

#include "hsm/init_token.h"

namespace seald::testing {
namespace {

constexpr const char* kDefaultModule = "/usr/lib/softhsm/libsofthsm2.so";

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : raw) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 0xf]);
  }
  return hex;
}

template <class T>
T must(Result<T> result, const std::string& what) {
  if (!result) {
    throw std::runtime_error(what + ": " + result.error().code + ": " + result.error().message);
  }
  return std::move(*result);
}

}  // namespace

const SoftHsmToken& SoftHsmToken::instance() {
  static SoftHsmToken token;
  return token;
}

SoftHsmToken::SoftHsmToken() : dir_("seald-softhsm") {
  const char* override_module = std::getenv("SEALD_TEST_PKCS11_MODULE");
  module_path_ = override_module != nullptr ? override_module : kDefaultModule;

  std::string token_dir = dir_.file("tokens");
  if (::mkdir(token_dir.c_str(), 0700) != 0) {
    throw std::runtime_error("cannot create " + token_dir);
  }
  conf_path_ = dir_.file("softhsm2.conf");
  write_file(conf_path_,
             "directories.tokendir = " + token_dir +
                 "\n"
                 "objectstore.backend = file\n"
                 "log.level = ERROR\n"
                 "slots.removable = false\n",
             0600);
  ::setenv("SOFTHSM2_CONF", conf_path_.c_str(), 1);

  label_ = "seald-test-" + random_hex(4);
  user_pin_ = Secret(random_hex(16));
  Secret so_pin(random_hex(16));
  pin_file_ = dir_.file("user.pin");
  so_pin_file_ = dir_.file("so.pin");
  write_file(pin_file_, std::string(user_pin_.reveal()), 0600);
  write_file(so_pin_file_, std::string(so_pin.reveal()), 0600);

  module_ = must(hsm::Module::load(module_path_), "loading " + module_path_);
  must(hsm::init_token(module_, label_, so_pin, user_pin_), "initialising the test token");
}

hsm::PinSource SoftHsmToken::pin_source() const {
  return [path = pin_file_] { return Secret::from_file(path); };
}

Result<hsm::TokenPtr> SoftHsmToken::open_token() const {
  return hsm::Token::open(module_, hsm::TokenSelector::by_label(label_), pin_source());
}

}  // namespace seald::testing
