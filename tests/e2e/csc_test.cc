// The CSC API door against a real seald, Redis and SoftHSMv2, played as a
// CSC client would: info, token, credentials/list, credentials/info,
// credentials/authorize and signatures/signHash, in v2 and v1.0.4 names;
// openssl checks every signature against the certificate credentials/info
// gave. Then the SAD's rules, and the refusals CSC shares with /api/v1/sign.

#include <gtest/gtest.h>

#include "core/base64.h"
#include "tests/e2e/signing_support.h"

namespace seald::testing {
namespace {

namespace json = boost::json;

// CSC names of the two dialects.
struct Dialect {
  std::string base, hashes, hash_algo;
  bool v2;
};
const Dialect kV2{"/csc/v2/", "hashes", "hashAlgorithmOID", true};
const Dialect kV1{"/csc/v1/", "hash", "hashAlgo", false};

const std::string kSha256 = "2.16.840.1.101.3.4.2.1";
const std::string kPss = "1.2.840.113549.1.1.10";

ApiReply csc(const SealdNode& node, const std::string& path, const std::string& token,
             const json::value& body) {
  std::vector<std::string> headers{"Content-Type: application/json"};
  if (!token.empty()) {
    headers.push_back("Authorization: Bearer " + token);
  }
  auto r = http_request("POST", node.url(path), json::serialize(body), headers);
  ApiReply reply{r.status, nullptr, r.body};
  boost::system::error_code ec;
  auto parsed = json::parse(r.body, ec);
  if (!ec) {
    reply.body = std::move(parsed);
  }
  return reply;
}

std::string bytes_of(const json::value& b64) {
  auto bytes = base64_decode(b64.as_string());
  EXPECT_TRUE(bytes);
  return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

json::array strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) {
    out.emplace_back(s);
  }
  return out;
}

// RSASSA-PSS-params: SHA-256, MGF1-SHA-256, salt `salt`.
std::string pss_params(std::uint8_t salt) {
  std::vector<std::uint8_t> der{0x30, 0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48,
                                0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0xa1, 0x1c, 0x30,
                                0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01,
                                0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
                                0x04, 0x02, 0x01, 0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, salt};
  return base64_encode(der);
}

// Sign records the audit log holds for door "csc", all pages.
int csc_sign_records(const SealdNode& node, const std::string& admin) {
  int n = 0;
  std::string cursor;
  do {
    auto page = api_call(node, "GET", "/audit?action=sign&limit=100&cursor=" + cursor, admin);
    EXPECT_EQ(page.status, 200) << page.raw;
    if (page.status != 200) {
      return -1;
    }
    for (const auto& item : page.body.at("items").as_array()) {
      const auto& details = item.at("details").as_object();
      if (item.at("result") == "ok" && details.contains("door") && details.at("door") == "csc") {
        ++n;
      }
    }
    const auto& next = page.body.at("next_cursor");
    cursor = next.is_string() ? std::string(next.as_string()) : "";
  } while (!cursor.empty());
  return n;
}

struct SignCase {
  std::string sign_algo, hash_oid, params, label;
  bool pss = false;
};

class CscClient : public ::testing::TestWithParam<Dialect> {};

TEST_P(CscClient, SignsHashesThatOpensslVerifiesWithTheCredentialsCertificate) {
  const Dialect& d = GetParam();
  SealdNode node;
  ASSERT_TRUE(node.start()) << node.log();
  SigningSetup s(node);
  RegisteredApp app = s.register_app("CSC客户端");
  std::string ec = s.make_seal("ec-p256");
  std::string rsa = s.make_seal("rsa-2048");
  s.grant(app, ec);
  s.grant(app, rsa);

  // info: no token needed, on GET and POST.
  auto got = http_request("GET", node.url(d.base + "info"));
  ASSERT_EQ(got.status, 200) << got.body;
  auto info = csc(node, d.base + "info", "", json::object{});
  ASSERT_EQ(info.status, 200) << info.raw;
  EXPECT_EQ(info.str("specs"), d.v2 ? "2.0.0.2" : "1.0.4.0");
  EXPECT_EQ(info.body.at("authType"), json::array{"oauth2client"});
  EXPECT_NE(json::serialize(info.body.at("methods")).find("signatures/signHash"),
            std::string::npos);
  EXPECT_EQ(info.body.as_object().contains("signAlgorithms"), d.v2);

  std::string token = s.token_for(app);
  ASSERT_FALSE(token.empty());

  auto list = csc(node, d.base + "credentials/list", token,
                  {{"credentialInfo", true}, {"certificates", "chain"}, {"certInfo", true}});
  ASSERT_EQ(list.status, 200) << list.raw;
  auto expected_ids = json::array{json::string(std::min(ec, rsa)), json::string(std::max(ec, rsa))};
  EXPECT_EQ(list.body.at("credentialIDs"), expected_ids);
  if (d.v2) {
    // The chain is the seal's certificate, then a CA that openssl trusts it by.
    const auto& chain = list.body.at("credentialInfos").at(0).at("cert").at("certificates");
    ASSERT_EQ(chain.as_array().size(), 2u);
    std::string ee = s.write("chain-ee.der", bytes_of(chain.at(0)));
    std::string ca = s.write("chain-ca.der", bytes_of(chain.at(1)));
    ASSERT_EQ(s.openssl({"x509", "-inform", "DER", "-in", ca, "-out", ca + ".pem"}), 0);
    ASSERT_EQ(s.openssl({"x509", "-inform", "DER", "-in", ee, "-out", ee + ".pem"}), 0);
    std::string out;
    EXPECT_EQ(s.openssl({"verify", "-CAfile", ca + ".pem", ee + ".pem"}, &out), 0) << out;
  }

  int signed_before = csc_sign_records(node, s.admin);
  int signed_now = 0;
  const std::vector<std::pair<std::string, std::vector<SignCase>>> seals{
      {ec, {{"1.2.840.10045.4.3.2", "", "", "ecdsa-with-SHA256"}}},
      {rsa,
       {{"1.2.840.113549.1.1.11", "", "", "sha256WithRSA"},
        {"1.2.840.113549.1.1.1", kSha256, "", "rsaEncryption"},
        {kPss, "", pss_params(32), "RSASSA-PSS", true}}}};
  int n = 0;
  for (const auto& [code, cases] : seals) {
    auto described = csc(node, d.base + "credentials/info", token,
                         {{"credentialID", code}, {"certInfo", true}, {"authInfo", true}});
    ASSERT_EQ(described.status, 200) << described.raw;
    const auto& key = described.body.at("key");
    const auto& cert = described.body.at("cert");
    EXPECT_EQ(key.at("status"), "enabled");
    EXPECT_EQ(key.at("len"), code == ec ? 256 : 2048);
    EXPECT_EQ(key.as_object().contains("curve"), code == ec);
    EXPECT_EQ(cert.at("status"), "valid");
    EXPECT_NE(std::string(cert.at("subjectDN").as_string()).find("CN="), std::string::npos);
    EXPECT_EQ(cert.at("validTo").as_string().size(), 15u);
    EXPECT_EQ(described.str("SCAL"), "1");
    if (d.v2) {
      EXPECT_EQ(described.body.at("auth").at("mode"), "implicit");
    } else {
      EXPECT_EQ(described.str("authMode"), "implicit");
      EXPECT_EQ(described.body.at("PIN").at("presence"), "false");
    }
    std::string cert_file =
        s.write("cert-" + code + ".der", bytes_of(cert.at("certificates").at(0)));
    std::string pub = cert_file + ".pub.pem";
    ASSERT_EQ(
        s.openssl({"x509", "-inform", "DER", "-in", cert_file, "-noout", "-pubkey", "-out", pub}),
        0);
    // The serial is the certificate's, as openssl prints it.
    std::string serial;
    s.openssl({"x509", "-inform", "DER", "-in", cert_file, "-noout", "-serial"}, &serial);
    EXPECT_NE(serial.find(std::string(cert.at("serialNumber").as_string())), std::string::npos)
        << serial;

    for (const auto& c : cases) {
      EXPECT_NE(json::serialize(key.at("algo")).find(c.sign_algo), std::string::npos) << c.label;
      std::vector<std::string> docs, hashes;
      for (int k = 0; k < 3; ++k) {
        std::string id = std::to_string(++n);
        docs.push_back(s.write("doc" + id, "合同 " + c.label + id));
        hashes.push_back(s.hash_b64(docs.back(), "sha256"));
      }
      auto sad = csc(node, d.base + "credentials/authorize", token,
                     {{"credentialID", code}, {"numSignatures", 3}, {d.hashes, strings(hashes)}});
      ASSERT_EQ(sad.status, 200) << sad.raw;
      EXPECT_EQ(sad.body.at("expiresIn"), 300);
      json::object body{{"credentialID", code},
                        {"SAD", sad.body.at("SAD")},
                        {d.hashes, strings(hashes)},
                        {"signAlgo", c.sign_algo}};
      if (!c.hash_oid.empty()) {
        body[d.hash_algo] = c.hash_oid;
      }
      if (!c.params.empty()) {
        body["signAlgoParams"] = c.params;
      }
      auto r = csc(node, d.base + "signatures/signHash", token, body);
      ASSERT_EQ(r.status, 200) << c.label << ": " << r.raw;
      const auto& sigs = r.body.at("signatures").as_array();
      ASSERT_EQ(sigs.size(), 3u);
      signed_now += 3;
      for (int k = 0; k < 3; ++k) {
        std::string sig = s.write("sig" + std::to_string(++n), bytes_of(sigs[k]));
        std::vector<std::string> args{"dgst", "-sha256", "-verify", pub, "-signature", sig};
        if (c.pss) {
          args.insert(args.end(),
                      {"-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:-1"});
        }
        std::string out;
        auto right = args;
        right.push_back(docs[k]);
        EXPECT_EQ(s.openssl(right, &out), 0) << c.label << " #" << k << ": " << out;
        // In order: signature k is of document k, not of the next one.
        args.push_back(docs[(k + 1) % 3]);
        EXPECT_NE(s.openssl(args, &out), 0) << c.label << " #" << k;
      }
    }
  }
  // One audit record per signature, each marked as coming through CSC.
  EXPECT_EQ(csc_sign_records(node, s.admin), signed_before + signed_now);
}

INSTANTIATE_TEST_SUITE_P(Dialects, CscClient, ::testing::Values(kV2, kV1),
                         [](const auto& info) { return info.param.v2 ? "v2" : "v1"; });

TEST(Csc, ASadSignsOnceAndOnlyWhatItWasIssuedFor) {
  SealdNode node;
  ASSERT_TRUE(node.start()) << node.log();
  SigningSetup s(node);
  RegisteredApp app = s.register_app("SAD应用");
  std::string a = s.make_seal("ec-p256");
  std::string b = s.make_seal("ec-p256");
  s.grant(app, a);
  s.grant(app, b);
  std::string token = s.token_for(app);
  std::string h1 = s.hash_b64(s.write("one.txt", "一"), "sha256");
  std::string h2 = s.hash_b64(s.write("two.txt", "二"), "sha256");
  auto authorize = [&](const std::string& code, int count, json::value hashes = nullptr) {
    json::object body{{"credentialID", code}, {"numSignatures", count}};
    if (!hashes.is_null()) {
      body["hashes"] = hashes;
    }
    auto r = csc(node, "/csc/v2/credentials/authorize", token, body);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.str("SAD");
  };
  auto sign = [&](const std::string& code, const std::string& sad,
                  const std::vector<std::string>& hashes) {
    json::object body{
        {"credentialID", code}, {"hashes", strings(hashes)}, {"signAlgo", "1.2.840.10045.4.3.2"}};
    if (!sad.empty()) {
      body["SAD"] = sad;
    }
    return csc(node, "/csc/v2/signatures/signHash", token, body);
  };
  auto refused_as_invalid_sad = [](const ApiReply& r) {
    EXPECT_EQ(r.status, 400) << r.raw;
    EXPECT_EQ(r.error(), "invalid_request") << r.raw;
    EXPECT_EQ(r.str("error_description"), "Invalid SAD") << r.raw;
    EXPECT_FALSE(r.body.as_object().contains("signatures"));
  };

  std::string sad = authorize(a, 2);
  EXPECT_EQ(sign(a, sad, {h1, h2}).status, 200);
  refused_as_invalid_sad(sign(a, sad, {h1, h2}));                         // used
  refused_as_invalid_sad(sign(b, authorize(a, 1), {h1}));                 // another credential
  refused_as_invalid_sad(sign(a, authorize(a, 1), {h1, h2}));             // more than authorised
  refused_as_invalid_sad(sign(a, authorize(a, 1, strings({h1})), {h2}));  // another hash
  refused_as_invalid_sad(sign(a, "made-up", {h1}));
  // A SAD bound to its hashes signs exactly those.
  EXPECT_EQ(sign(a, authorize(a, 2, strings({h1, h2})), {h1, h2}).status, 200);
  // Without a SAD the Bearer token alone authorises.
  EXPECT_EQ(sign(b, "", {h1}).status, 200);
  auto no_token =
      csc(node, "/csc/v2/signatures/signHash", "",
          {{"credentialID", a}, {"hashes", strings({h1})}, {"signAlgo", "1.2.840.10045.4.3.2"}});
  EXPECT_EQ(no_token.status, 401);
  EXPECT_EQ(no_token.error(), "invalid_token");
  // Parameters the HSM would not honour are refused, not approximated.
  auto wrong_pss = csc(node, "/csc/v2/signatures/signHash", token,
                       {{"credentialID", a},
                        {"hashes", strings({h1})},
                        {"signAlgo", kPss},
                        {"signAlgoParams", pss_params(20)}});
  EXPECT_EQ(wrong_pss.status, 400) << wrong_pss.raw;
  EXPECT_EQ(wrong_pss.error(), "invalid_request");
  auto unknown = sign("3301002026999999", "", {h1});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.str("error_description"), "Invalid parameter credentialID");
}

TEST(Csc, RevokedSuspendedAndUngrantedSealsAreRefusedAsThroughTheSignApi) {
  SealdNode node;
  ASSERT_TRUE(node.start()) << node.log();
  SigningSetup s(node);
  RegisteredApp app = s.register_app("拒绝CSC应用");
  std::string lost = s.make_seal("ec-p256");
  std::string gone = s.make_seal("ec-p256");
  std::string other = s.make_seal("ec-p256");
  s.grant(app, lost);
  s.grant(app, gone);
  std::string token = s.token_for(app);
  std::string h = s.hash_b64(s.write("doc.txt", "正文"), "sha256");
  for (auto [code, action] : {std::pair{lost, "report-loss"}, std::pair{gone, "revoke"}}) {
    auto seal = api_call(node, "GET", "/seals/" + code, s.admin);
    auto r = api_call(node, "POST", "/seals/" + code + "/" + action, s.admin,
                      {{"version", seal.body.at("version")}, {"reason", "测试"}});
    ASSERT_EQ(r.status, 200) << r.raw;
  }
  // A suspended seal is still listed, but not as valid.
  auto all = csc(node, "/csc/v2/credentials/list", token, json::object{});
  EXPECT_EQ(all.body.at("credentialIDs"), json::array{json::string(lost)}) << all.raw;
  auto valid = csc(node, "/csc/v2/credentials/list", token, {{"onlyValid", true}});
  EXPECT_EQ(valid.body.at("credentialIDs"), json::array{}) << valid.raw;
  auto described = csc(node, "/csc/v2/credentials/info", token, {{"credentialID", lost}});
  EXPECT_EQ(described.body.at("cert").at("status"), "suspended") << described.raw;
  EXPECT_EQ(described.body.at("key").at("status"), "disabled");

  int before = csc_sign_records(node, s.admin);
  for (auto [code, reason, csc_status, csc_error] :
       {std::tuple{lost, "seal_suspended", 400, "invalid_request"},
        std::tuple{gone, "seal_revoked", 400, "invalid_request"},
        std::tuple{other, "seal_not_granted", 403, "access_denied"}}) {
    auto api = s.sign(token, code, "SHA-256", {h});
    EXPECT_EQ(api.error(), reason) << api.raw;
    for (const Dialect& d : {kV2, kV1}) {
      auto authorized = csc(node, d.base + "credentials/authorize", token,
                            {{"credentialID", code}, {"numSignatures", 1}});
      EXPECT_EQ(authorized.status, csc_status) << authorized.raw;
      auto r = csc(
          node, d.base + "signatures/signHash", token,
          {{"credentialID", code}, {d.hashes, strings({h})}, {"signAlgo", "1.2.840.10045.4.3.2"}});
      EXPECT_EQ(r.status, csc_status) << d.base << reason << ": " << r.raw;
      EXPECT_EQ(r.error(), csc_error) << r.raw;
      EXPECT_EQ(r.str("seald_error"), reason) << r.raw;
      EXPECT_FALSE(r.body.as_object().contains("signatures"));
    }
  }
  EXPECT_EQ(csc_sign_records(node, s.admin), before);  // nothing was signed
}

}  // namespace
}  // namespace seald::testing
