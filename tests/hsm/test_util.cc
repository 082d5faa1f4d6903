#include "tests/hsm/test_util.h"

#include <atomic>
#include <memory>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "hsm/keys.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace seald::hsm::test {
namespace {

const EVP_MD* evp_md(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::sha256:
      return EVP_sha256();
    case HashAlgorithm::sha384:
      return EVP_sha384();
    case HashAlgorithm::sha512:
      return EVP_sha512();
  }
  return nullptr;
}

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};

std::string bytes(std::span<const std::uint8_t> b) {
  return std::string(b.begin(), b.end());
}

}  // namespace

const testing::SoftHsmToken& softhsm() {
  return testing::SoftHsmToken::instance();
}

TokenPtr open_test_token() {
  return softhsm().open_token().value();
}

std::string fresh_key_id(std::string_view prefix) {
  static std::atomic<int> counter{0};
  return std::string(prefix) + "-" + std::to_string(counter.fetch_add(1));
}

std::vector<std::uint8_t> digest(HashAlgorithm hash, std::string_view data) {
  std::vector<std::uint8_t> out(EVP_MAX_MD_SIZE);
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &size, evp_md(hash), nullptr);
  out.resize(size);
  return out;
}

std::vector<std::uint8_t> make_key(const Token& token, KeyAlgorithm algorithm,
                                   const std::string& key_id) {
  generate_key_pair(token, algorithm, key_id, "test " + key_id).value();
  return public_key_der(token, key_id).value();
}

bool evp_verify(std::span<const std::uint8_t> public_key_der, SignScheme scheme,
                HashAlgorithm hash_algorithm, std::span<const std::uint8_t> hash,
                std::span<const std::uint8_t> signature) {
  const unsigned char* p = public_key_der.data();
  std::unique_ptr<EVP_PKEY, PkeyFree> key(
      d2i_PUBKEY(nullptr, &p, static_cast<long>(public_key_der.size())));
  if (!key) {
    return false;
  }
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new(key.get(), nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), evp_md(hash_algorithm)) != 1) {
    return false;
  }
  if (scheme == SignScheme::rsa_pss &&
      (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PSS_PADDING) != 1 ||
       EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), evp_md(hash_algorithm)) != 1 ||
       EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), RSA_PSS_SALTLEN_DIGEST) != 1)) {
    return false;
  }
  if (scheme == SignScheme::rsa_pkcs1_v15 &&
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) {
    return false;
  }
  return EVP_PKEY_verify(ctx.get(), signature.data(), signature.size(), hash.data(), hash.size()) ==
         1;
}

int openssl_cli_verify(std::span<const std::uint8_t> public_key_der, SignScheme scheme,
                       HashAlgorithm hash_algorithm, std::span<const std::uint8_t> hash,
                       std::span<const std::uint8_t> signature, std::string* output) {
  testing::TempDir dir("seald-verify");
  testing::write_file(dir.file("pub.der"), bytes(public_key_der));
  testing::write_file(dir.file("hash.bin"), bytes(hash));
  testing::write_file(dir.file("sig.bin"), bytes(signature));
  std::string md(name(hash_algorithm));
  std::vector<std::string> argv = {"openssl", "pkeyutl", "-verify", "-pubin"};
  argv.insert(argv.end(), {"-inkey", dir.file("pub.der"), "-keyform", "DER"});
  argv.insert(argv.end(), {"-in", dir.file("hash.bin"), "-sigfile", dir.file("sig.bin")});
  argv.insert(argv.end(), {"-pkeyopt", "digest:" + md});
  if (scheme == SignScheme::rsa_pkcs1_v15) {
    argv.insert(argv.end(), {"-pkeyopt", "rsa_padding_mode:pkcs1"});
  } else if (scheme == SignScheme::rsa_pss) {
    argv.insert(argv.end(), {"-pkeyopt", "rsa_padding_mode:pss", "-pkeyopt",
                             "rsa_pss_saltlen:digest", "-pkeyopt", "rsa_mgf1_md:" + md});
  }
  return testing::run_command(argv, output);
}

}  // namespace seald::hsm::test
