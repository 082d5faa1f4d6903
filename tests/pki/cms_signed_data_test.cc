// A detached CMS from seald as a relying party sees it: `openssl cms -verify`
// accepts it for the document whose hash was signed and for no other, it
// names the seal certificate and carries exactly the three signed
// attributes, and its signature is the seal key's, made in the HSM.

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
  const char* printed_algorithm;  // how `openssl cms -print` names the signatureAlgorithm
};

const Case kCases[] = {
    {"EcP256Sha256", hsm::KeyAlgorithm::ec_p256, hsm::SignScheme::ecdsa, hsm::HashAlgorithm::sha256,
     "ecdsa-with-SHA256"},
    {"EcP384Sha384", hsm::KeyAlgorithm::ec_p384, hsm::SignScheme::ecdsa, hsm::HashAlgorithm::sha384,
     "ecdsa-with-SHA384"},
    {"Rsa2048Pkcs1Sha256", hsm::KeyAlgorithm::rsa_2048, hsm::SignScheme::rsa_pkcs1_v15,
     hsm::HashAlgorithm::sha256, "rsaEncryption"},
    {"Rsa2048Pkcs1Sha512", hsm::KeyAlgorithm::rsa_2048, hsm::SignScheme::rsa_pkcs1_v15,
     hsm::HashAlgorithm::sha512, "rsaEncryption"},
    {"Rsa2048PssSha256", hsm::KeyAlgorithm::rsa_2048, hsm::SignScheme::rsa_pss,
     hsm::HashAlgorithm::sha256, "rsassaPss"},
};

const EVP_MD* md(hsm::HashAlgorithm hash) {
  return hash == hsm::HashAlgorithm::sha256   ? EVP_sha256()
         : hash == hsm::HashAlgorithm::sha384 ? EVP_sha384()
                                              : EVP_sha512();
}

Bytes hash_of(const std::string& document, hsm::HashAlgorithm hash) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EXPECT_EQ(EVP_Digest(document.data(), document.size(), out, &length, md(hash), nullptr), 1);
  return Bytes(out, out + length);
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

// 2026-03-04 05:06:07 UTC.
const auto kSigningTime = std::chrono::system_clock::time_point(std::chrono::seconds(1772600767));

class CmsSignedData : public CaTest {
 protected:
  // A key on the token and a certificate for it from a fresh test CA.
  void make_seal(hsm::KeyAlgorithm algorithm) {
    ca_ = open_ca(options());
    ASSERT_TRUE(ca_);
    key_id_ = fresh_id("cms-seal");
    ASSERT_TRUE(hsm::generate_key_pair(*token_, algorithm, key_id_, key_id_));
    auto issued = ca_->issue_seal_certificate(
        seal_request("测试市人民政府合同专用章", hsm::public_key_der(*token_, key_id_).value()));
    ASSERT_TRUE(issued) << issued.error().message;
    certificate_ = issued->der;
  }

  CmsInput input(hsm::SignScheme scheme, hsm::HashAlgorithm hash, Bytes digest) const {
    return CmsInput{certificate_, hash, std::move(digest), scheme, kSigningTime};
  }

  HashSigner hsm_signer(hsm::SignScheme scheme, hsm::HashAlgorithm hash) const {
    return [this, scheme, hash](std::span<const std::uint8_t> h) {
      return hsm::sign_hash(*token_, key_id_, scheme, hash, h);
    };
  }

  std::unique_ptr<CertificateAuthority> ca_;
  std::string key_id_;
  Bytes certificate_;
};

class CmsForEachScheme : public CmsSignedData, public ::testing::WithParamInterface<Case> {};

TEST_P(CmsForEachScheme, OpenSslVerifiesTheSignedDocumentOnly) {
  const Case& c = GetParam();
  ASSERT_NO_FATAL_FAILURE(make_seal(c.key));
  const std::string document = "合同第一页\r\nline two, with a CRLF above\n";
  auto cms = build_detached_cms(input(c.scheme, c.hash, hash_of(document, c.hash)),
                                hsm_signer(c.scheme, c.hash));
  ASSERT_TRUE(cms) << cms.error().code << ": " << cms.error().message;

  auto ca_pem = write("ca.pem", ca_->certificate_pem());
  auto signature = write("sig.der", *cms);
  auto verify = [&](const std::string& content) {
    return run({"openssl", "cms", "-verify", "-binary", "-content", content, "-inform", "DER",
                "-in", signature, "-CAfile", ca_pem, "-out", "/dev/null"});
  };
  auto good = verify(write("doc.txt", document));
  EXPECT_EQ(good.status, 0) << good.output;
  auto other = verify(write("other.txt", document + "."));
  EXPECT_NE(other.status, 0) << other.output;

  // Our own checker agrees with OpenSSL's.
  EXPECT_EQ(check_detached_cms(certificate_, c.hash, hash_of(document, c.hash), *cms).value(),
            true);
}

TEST_P(CmsForEachScheme, CarriesTheThreeSignedAttributesAndTheSchemesAlgorithm) {
  const Case& c = GetParam();
  ASSERT_NO_FATAL_FAILURE(make_seal(c.key));
  auto cms = build_detached_cms(input(c.scheme, c.hash, hash_of("document", c.hash)),
                                hsm_signer(c.scheme, c.hash));
  ASSERT_TRUE(cms) << cms.error().code << ": " << cms.error().message;
  auto printed =
      run({"openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", write("sig.der", *cms)});
  ASSERT_EQ(printed.status, 0) << printed.output;
  const auto& out = printed.output;

  auto attributes_at = out.find("signedAttrs:");
  auto attributes_end = out.find("signatureAlgorithm:", attributes_at);
  ASSERT_NE(attributes_at, std::string::npos) << out;
  ASSERT_NE(attributes_end, std::string::npos) << out;
  auto attributes = out.substr(attributes_at, attributes_end - attributes_at);
  EXPECT_EQ(count(attributes, "object:"), 3u) << attributes;
  for (const char* expected : {"object: contentType", "pkcs7-data", "object: messageDigest",
                               "object: signingTime", "Mar  4 05:06:07 2026 GMT"}) {
    EXPECT_NE(attributes.find(expected), std::string::npos) << expected << "\n" << attributes;
  }

  auto signature_algorithm = out.substr(attributes_end, out.find('\n', attributes_end + 40));
  EXPECT_NE(signature_algorithm.find(std::string("algorithm: ") + c.printed_algorithm),
            std::string::npos)
      << signature_algorithm;
  // What the sign API reports is what the CMS says (PKCS#1 v1.5 aside: CMS
  // names it rsaEncryption, RFC 3370 section 3.2).
  if (c.scheme != hsm::SignScheme::rsa_pkcs1_v15) {
    EXPECT_NE(signature_algorithm.find("(" + signature_algorithm_oid(c.scheme, c.hash) + ")"),
              std::string::npos)
        << signature_algorithm;
  }
  EXPECT_NE(out.find(std::string("algorithm: ") + std::string(hsm::name(c.hash))),
            std::string::npos)
      << out;
  // Detached: no content inside, and the content type is plain data.
  EXPECT_NE(out.find("eContent: <ABSENT>"), std::string::npos) << out;
  EXPECT_NE(out.find("eContentType: pkcs7-data"), std::string::npos) << out;
  // The signer is named by issuer and serial, and the certificate travels along.
  EXPECT_NE(out.find("issuerAndSerialNumber"), std::string::npos) << out;
  EXPECT_NE(out.find("certificates:"), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(Schemes, CmsForEachScheme, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(CmsSignedData, RefusesADigestOfTheWrongLengthWithoutSigning) {
  ASSERT_NO_FATAL_FAILURE(make_seal(hsm::KeyAlgorithm::ec_p256));
  bool signed_anything = false;
  auto cms =
      build_detached_cms(input(hsm::SignScheme::ecdsa, hsm::HashAlgorithm::sha384,
                               hash_of("document", hsm::HashAlgorithm::sha256)),
                         [&](std::span<const std::uint8_t>) -> Result<std::vector<std::uint8_t>> {
                           signed_anything = true;
                           return std::vector<std::uint8_t>{1};
                         });
  ASSERT_FALSE(cms);
  EXPECT_EQ(cms.error().code, "hash_length_mismatch");
  EXPECT_FALSE(signed_anything);
}

TEST_F(CmsSignedData, RefusesAnUnusableCertificate) {
  ASSERT_NO_FATAL_FAILURE(make_seal(hsm::KeyAlgorithm::ec_p256));
  auto digest = hash_of("document", hsm::HashAlgorithm::sha256);
  auto signer = hsm_signer(hsm::SignScheme::ecdsa, hsm::HashAlgorithm::sha256);

  auto garbage = input(hsm::SignScheme::ecdsa, hsm::HashAlgorithm::sha256, digest);
  garbage.certificate_der.resize(garbage.certificate_der.size() / 2);
  auto cut = build_detached_cms(garbage, signer);
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, "certificate_invalid");

  // An EC certificate cannot stand behind an RSA signature.
  auto mismatch =
      build_detached_cms(input(hsm::SignScheme::rsa_pss, hsm::HashAlgorithm::sha256, digest),
                         hsm_signer(hsm::SignScheme::rsa_pss, hsm::HashAlgorithm::sha256));
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, "certificate_invalid");
}

TEST_F(CmsSignedData, PassesTheSignersErrorThroughUnchanged) {
  ASSERT_NO_FATAL_FAILURE(make_seal(hsm::KeyAlgorithm::ec_p256));
  auto cms =
      build_detached_cms(input(hsm::SignScheme::ecdsa, hsm::HashAlgorithm::sha256,
                               hash_of("document", hsm::HashAlgorithm::sha256)),
                         [](std::span<const std::uint8_t>) -> Result<std::vector<std::uint8_t>> {
                           return make_error("hsm_unavailable", "the token went away");
                         });
  ASSERT_FALSE(cms);
  EXPECT_EQ(cms.error().code, "hsm_unavailable");
  EXPECT_EQ(cms.error().message, "the token went away");
}

TEST_F(CmsSignedData, SignsTheHashOfTheSignedAttributesNotTheDocument) {
  // The document hash goes into the message-digest attribute; what the key
  // signs is a different hash (of the attributes), so a CMS whose signature
  // is the raw document signature must not verify.
  ASSERT_NO_FATAL_FAILURE(make_seal(hsm::KeyAlgorithm::ec_p256));
  auto digest = hash_of("document", hsm::HashAlgorithm::sha256);
  Bytes seen;
  auto cms = build_detached_cms(input(hsm::SignScheme::ecdsa, hsm::HashAlgorithm::sha256, digest),
                                [&](std::span<const std::uint8_t> h) {
                                  seen.assign(h.begin(), h.end());
                                  return hsm::sign_hash(*token_, key_id_, hsm::SignScheme::ecdsa,
                                                        hsm::HashAlgorithm::sha256, digest);
                                });
  ASSERT_TRUE(cms);
  EXPECT_EQ(seen.size(), 32u);
  EXPECT_NE(seen, digest);
  EXPECT_EQ(check_detached_cms(certificate_, hsm::HashAlgorithm::sha256, digest, *cms).value(),
            false);
}

}  // namespace
}  // namespace seald::pki::test
