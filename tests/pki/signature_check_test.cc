// What POST /api/v1/verify relies on: a signature seald made checks out
// against its seal certificate and hash, and nothing else does — another
// hash, another seal's certificate, an altered signature or CMS.

#include <algorithm>
#include <string>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "hsm/keys.h"
#include "hsm/signer.h"
#include "pki/cms_signed_data.h"
#include "pki/signature_check.h"
#include "tests/pki/ca_fixture.h"

namespace seald::pki::test {
namespace {

struct Case {
  const char* name;
  hsm::KeyAlgorithm key;
  hsm::SignScheme scheme;
  hsm::HashAlgorithm hash;
};

const Case kCases[] = {
    {"EcP256Sha256", hsm::KeyAlgorithm::ec_p256, hsm::SignScheme::ecdsa,
     hsm::HashAlgorithm::sha256},
    {"EcP384Sha384", hsm::KeyAlgorithm::ec_p384, hsm::SignScheme::ecdsa,
     hsm::HashAlgorithm::sha384},
    {"Rsa2048Pkcs1Sha256", hsm::KeyAlgorithm::rsa_2048, hsm::SignScheme::rsa_pkcs1_v15,
     hsm::HashAlgorithm::sha256},
    {"Rsa2048Pkcs1Sha512", hsm::KeyAlgorithm::rsa_2048, hsm::SignScheme::rsa_pkcs1_v15,
     hsm::HashAlgorithm::sha512},
    {"Rsa2048PssSha256", hsm::KeyAlgorithm::rsa_2048, hsm::SignScheme::rsa_pss,
     hsm::HashAlgorithm::sha256},
};

Bytes hash_of(const std::string& document, hsm::HashAlgorithm hash) {
  const EVP_MD* md = hash == hsm::HashAlgorithm::sha256   ? EVP_sha256()
                     : hash == hsm::HashAlgorithm::sha384 ? EVP_sha384()
                                                          : EVP_sha512();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EXPECT_EQ(EVP_Digest(document.data(), document.size(), out, &length, md, nullptr), 1);
  return Bytes(out, out + length);
}

struct Seal {
  std::string key_id;
  Bytes certificate;
};

class SignatureCheck : public CaTest {
 protected:
  void SetUp() override {
    ca_ = open_ca(options());
    ASSERT_TRUE(ca_);
  }

  Seal make_seal(hsm::KeyAlgorithm algorithm) {
    Seal seal{fresh_id("check-seal"), {}};
    EXPECT_TRUE(hsm::generate_key_pair(*token_, algorithm, seal.key_id, seal.key_id));
    auto issued = ca_->issue_seal_certificate(
        seal_request("测试印章", hsm::public_key_der(*token_, seal.key_id).value()));
    EXPECT_TRUE(issued) << issued.error().message;
    seal.certificate = issued ? issued->der : Bytes{};
    return seal;
  }

  Bytes sign(const Seal& seal, const Case& c, const Bytes& digest) const {
    return hsm::sign_hash(*token_, seal.key_id, c.scheme, c.hash, digest).value();
  }

  Bytes cms(const Seal& seal, const Case& c, const Bytes& digest) const {
    auto built = build_detached_cms(
        CmsInput{seal.certificate, c.hash, digest, c.scheme, std::chrono::system_clock::now()},
        [&](std::span<const std::uint8_t> h) {
          return hsm::sign_hash(*token_, seal.key_id, c.scheme, c.hash, h);
        });
    EXPECT_TRUE(built) << built.error().code << ": " << built.error().message;
    return built ? *built : Bytes{};
  }

  std::unique_ptr<CertificateAuthority> ca_;
};

class CheckForEachScheme : public SignatureCheck, public ::testing::WithParamInterface<Case> {};

TEST_P(CheckForEachScheme, RawSignatureHoldsOnlyForItsHashAndCertificate) {
  const Case& c = GetParam();
  auto seal = make_seal(c.key);
  auto stranger = make_seal(c.key);
  auto digest = hash_of("the contract", c.hash);
  auto signature = sign(seal, c, digest);

  EXPECT_EQ(check_raw_signature(seal.certificate, c.scheme, c.hash, digest, signature).value(),
            true);
  EXPECT_EQ(check_raw_signature(seal.certificate, c.scheme, c.hash,
                                hash_of("another contract", c.hash), signature)
                .value(),
            false);
  EXPECT_EQ(check_raw_signature(stranger.certificate, c.scheme, c.hash, digest, signature).value(),
            false);
  auto altered = signature;
  altered[altered.size() / 2] ^= 0x01;
  EXPECT_EQ(check_raw_signature(seal.certificate, c.scheme, c.hash, digest, altered).value(),
            false);
  // RSA's two schemes are not interchangeable.
  if (c.scheme != hsm::SignScheme::ecdsa) {
    auto other = c.scheme == hsm::SignScheme::rsa_pss ? hsm::SignScheme::rsa_pkcs1_v15
                                                      : hsm::SignScheme::rsa_pss;
    EXPECT_EQ(check_raw_signature(seal.certificate, other, c.hash, digest, signature).value(),
              false);
  }
}

TEST_P(CheckForEachScheme, CmsHoldsOnlyForItsHashAndCertificate) {
  const Case& c = GetParam();
  auto seal = make_seal(c.key);
  auto stranger = make_seal(c.key);
  auto digest = hash_of("the contract", c.hash);
  auto signed_data = cms(seal, c, digest);

  EXPECT_EQ(check_detached_cms(seal.certificate, c.hash, digest, signed_data).value(), true);
  EXPECT_EQ(
      check_detached_cms(seal.certificate, c.hash, hash_of("another contract", c.hash), signed_data)
          .value(),
      false);
  EXPECT_EQ(check_detached_cms(stranger.certificate, c.hash, digest, signed_data).value(), false);
  // The raw form of a CMS is not a raw signature of the document.
  EXPECT_EQ(check_raw_signature(seal.certificate, c.scheme, c.hash, digest, signed_data).value(),
            false);
}

TEST_P(CheckForEachScheme, AlteredCmsIsRejectedNeverAccepted) {
  const Case& c = GetParam();
  auto seal = make_seal(c.key);
  auto digest = hash_of("the contract", c.hash);
  auto good = cms(seal, c, digest);
  ASSERT_FALSE(good.empty());

  // The SignerInfo is the last thing in the DER; from its content-type
  // attribute on, every byte is covered by the signature or names how to
  // check it, so no single change there may leave a valid signature.
  const Bytes content_type_attribute{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                     0xf7, 0x0d, 0x01, 0x09, 0x03};
  auto at = std::search(good.begin(), good.end(), content_type_attribute.begin(),
                        content_type_attribute.end());
  ASSERT_NE(at, good.end());
  for (auto i = static_cast<std::size_t>(at - good.begin()); i < good.size(); ++i) {
    for (std::uint8_t flip : {0x01, 0x80, 0xff}) {
      auto altered = good;
      altered[i] ^= flip;
      auto result = check_detached_cms(seal.certificate, c.hash, digest, altered);
      if (result) {
        EXPECT_FALSE(*result) << "byte " << i << " ^ " << int{flip};
      } else {
        EXPECT_EQ(result.error().code, "cms_invalid") << "byte " << i;
      }
    }
  }

  // Anywhere else a change may or may not matter (e.g. inside the carried
  // certificate), but it must never be anything but an answer or cms_invalid.
  for (std::size_t i = 0; i < good.size(); ++i) {
    auto altered = good;
    altered[i] ^= 0x5a;
    auto result = check_detached_cms(seal.certificate, c.hash, digest, altered);
    if (!result) {
      EXPECT_EQ(result.error().code, "cms_invalid") << "byte " << i;
    }
  }
  for (std::size_t length = 0; length < good.size(); ++length) {
    auto result = check_detached_cms(seal.certificate, c.hash, digest,
                                     std::span<const std::uint8_t>(good.data(), length));
    ASSERT_FALSE(result) << "cut at " << length;
    EXPECT_EQ(result.error().code, "cms_invalid");
  }
  auto longer = good;
  longer.push_back(0x00);
  auto trailing = check_detached_cms(seal.certificate, c.hash, digest, longer);
  ASSERT_FALSE(trailing);
  EXPECT_EQ(trailing.error().code, "cms_invalid");
}

INSTANTIATE_TEST_SUITE_P(Schemes, CheckForEachScheme, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(SignatureCheck, UnusableInputIsAnErrorNotAnAnswer) {
  const Case c = kCases[0];
  auto seal = make_seal(c.key);
  auto digest = hash_of("the contract", c.hash);
  auto signature = sign(seal, c, digest);
  auto signed_data = cms(seal, c, digest);
  Bytes not_a_certificate(seal.certificate.begin(), seal.certificate.begin() + 40);

  auto raw_cert = check_raw_signature(not_a_certificate, c.scheme, c.hash, digest, signature);
  ASSERT_FALSE(raw_cert);
  EXPECT_EQ(raw_cert.error().code, "certificate_invalid");
  auto cms_cert = check_detached_cms(not_a_certificate, c.hash, digest, signed_data);
  ASSERT_FALSE(cms_cert);
  EXPECT_EQ(cms_cert.error().code, "certificate_invalid");

  auto raw_length = check_raw_signature(seal.certificate, c.scheme, hsm::HashAlgorithm::sha512,
                                        digest, signature);
  ASSERT_FALSE(raw_length);
  EXPECT_EQ(raw_length.error().code, "hash_length_mismatch");
  auto cms_length =
      check_detached_cms(seal.certificate, hsm::HashAlgorithm::sha384, digest, signed_data);
  ASSERT_FALSE(cms_length);
  EXPECT_EQ(cms_length.error().code, "hash_length_mismatch");

  // A raw signature is not a CMS.
  auto not_cms = check_detached_cms(seal.certificate, c.hash, digest, signature);
  ASSERT_FALSE(not_cms);
  EXPECT_EQ(not_cms.error().code, "cms_invalid");

  // An ECDSA certificate never vouches for an RSA signature: a plain no.
  EXPECT_EQ(
      check_raw_signature(seal.certificate, hsm::SignScheme::rsa_pss, c.hash, digest, signature)
          .value(),
      false);
}

TEST(SignatureAlgorithmOid, NamesWhatEachSchemeAndHashProduce) {
  using hsm::HashAlgorithm;
  using hsm::SignScheme;
  EXPECT_EQ(signature_algorithm_oid(SignScheme::ecdsa, HashAlgorithm::sha256),
            "1.2.840.10045.4.3.2");
  EXPECT_EQ(signature_algorithm_oid(SignScheme::ecdsa, HashAlgorithm::sha384),
            "1.2.840.10045.4.3.3");
  EXPECT_EQ(signature_algorithm_oid(SignScheme::ecdsa, HashAlgorithm::sha512),
            "1.2.840.10045.4.3.4");
  EXPECT_EQ(signature_algorithm_oid(SignScheme::rsa_pkcs1_v15, HashAlgorithm::sha256),
            "1.2.840.113549.1.1.11");
  EXPECT_EQ(signature_algorithm_oid(SignScheme::rsa_pkcs1_v15, HashAlgorithm::sha384),
            "1.2.840.113549.1.1.12");
  EXPECT_EQ(signature_algorithm_oid(SignScheme::rsa_pkcs1_v15, HashAlgorithm::sha512),
            "1.2.840.113549.1.1.13");
  for (auto hash : {HashAlgorithm::sha256, HashAlgorithm::sha384, HashAlgorithm::sha512}) {
    EXPECT_EQ(signature_algorithm_oid(SignScheme::rsa_pss, hash), "1.2.840.113549.1.1.10");
  }
}

}  // namespace
}  // namespace seald::pki::test
