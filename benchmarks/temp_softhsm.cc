#include "benchmarks/temp_softhsm.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "hsm/init_token.h"

namespace seald::bench {
namespace {

// Random hex, as a Secret so that PINs made from it are wiped after use.
Result<Secret> random_hex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
    return make_error("random_failed", "RAND_bytes failed");
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * bytes);
  for (unsigned char c : raw) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 0xf]);
  }
  OPENSSL_cleanse(raw.data(), raw.size());
  return Secret(std::move(hex));
}

}  // namespace

Result<std::unique_ptr<TempSoftHsm>> TempSoftHsm::create(const std::string& module_path) {
  std::unique_ptr<TempSoftHsm> hsm(new TempSoftHsm());
  std::string templ = std::filesystem::temp_directory_path().string() + "/seald-bench-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) {
    return make_error("temp_dir_failed", "cannot create a folder like " + templ);
  }
  hsm->dir_ = templ;
  std::string tokens = hsm->dir_ + "/tokens";
  std::string conf = hsm->dir_ + "/softhsm2.conf";
  if (::mkdir(tokens.c_str(), 0700) != 0) {
    return make_error("temp_dir_failed", "cannot create " + tokens);
  }
  {
    std::ofstream out(conf);
    out << "directories.tokendir = " << tokens << "\n"
        << "objectstore.backend = file\n"
        << "log.level = ERROR\n";
    if (!out) {
      return make_error("temp_dir_failed", "cannot write " + conf);
    }
  }
  ::setenv("SOFTHSM2_CONF", conf.c_str(), 1);

  auto label = random_hex(4);
  auto user_pin = random_hex(16);
  auto so_pin = random_hex(16);
  if (!label || !user_pin || !so_pin) {
    return make_error("random_failed", "RAND_bytes failed");
  }
  hsm->label_ = "seald-bench-" + std::string(label->reveal());
  hsm->user_pin_ = std::move(*user_pin);
  auto module = hsm::Module::load(module_path);
  if (!module) {
    return module.error();
  }
  hsm->module_ = *module;
  auto made = hsm::init_token(hsm->module_, hsm->label_, *so_pin, hsm->user_pin_);
  if (!made) {
    return made.error();
  }
  return hsm;
}

TempSoftHsm::~TempSoftHsm() {
  module_.reset();  // finalise (if no one else holds it) before the files go
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

hsm::PinSource TempSoftHsm::pin_source() const {
  return [pin = user_pin_] { return Result<Secret>(pin); };
}

}  // namespace seald::bench
