// The signing API against a real seald, Redis and SoftHSMv2: an app gets a
// token and signs single and batch requests with each key algorithm, raw
// and CMS; openssl checks every signature against the seal certificate (raw)
// or the CA (CMS). Then every refusal code of the public contract, and what
// an audit outage does.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/base64.h"
#include "tests/e2e/signing_support.h"
#include "tests/support/child_process.h"

namespace seald::testing {
namespace {

namespace json = boost::json;

std::string decoded(const json::value& b64) {
  auto bytes = base64_decode(b64.as_string());
  EXPECT_TRUE(bytes);
  return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

struct Case {
  const char* key_algorithm;
  const char* hash_algorithm;  // as the API names it
  const char* dgst;            // as openssl names it
  const char* oid;             // signature_algorithm for raw/PKCS#1 v1.5
};

TEST(Signing, EveryKeyAlgorithmRawAndCmsChecksOutWithOpenssl) {
  SealdNode node;
  ASSERT_TRUE(node.start()) << node.log();
  SigningSetup s(node);
  RegisteredApp app = s.register_app("电子签章应用");
  std::string ca = s.ca_pem_path();
  const Case cases[] = {
      {"ec-p256", "SHA-256", "sha256", "1.2.840.10045.4.3.2"},
      {"ec-p384", "SHA-384", "sha384", "1.2.840.10045.4.3.3"},
      {"rsa-2048", "SHA-512", "sha512", "1.2.840.113549.1.1.13"},
      {"rsa-3072", "SHA-256", "sha256", "1.2.840.113549.1.1.11"},
  };
  std::vector<std::string> codes;
  for (const auto& c : cases) {
    codes.push_back(s.make_seal(c.key_algorithm));
    s.grant(app, codes.back());
  }
  std::string token = s.token_for(app);
  ASSERT_FALSE(token.empty());

  int n = 0;
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    const Case& c = cases[i];
    std::vector<std::string> docs, hashes;
    for (int d = 0; d < 3; ++d) {
      std::string id = std::to_string(++n);
      docs.push_back(s.write("doc" + id + ".txt", "合同正文 " + id + " for " + c.key_algorithm));
      hashes.push_back(s.hash_b64(docs.back(), c.dgst));
    }
    for (const char* format : {"raw", "cms"}) {
      // One single request, then one batch of three.
      for (std::size_t batch : {1u, 3u}) {
        std::vector<std::string> sent(hashes.begin(), hashes.begin() + batch);
        auto r = s.sign(token, codes[i], c.hash_algorithm, sent, format);
        ASSERT_EQ(r.status, 200) << c.key_algorithm << " " << format << ": " << r.raw;
        auto sigs = r.body.at("signatures").as_array();
        ASSERT_EQ(sigs.size(), batch);
        ASSERT_EQ(r.body.at("audit_ids").as_array().size(), batch);
        EXPECT_EQ(r.str("signature_algorithm"), c.oid);
        std::string cert =
            s.write("cert" + std::to_string(i) + ".der", decoded(r.body.at("certificate")));
        std::string pub = s.dir.file("pub" + std::to_string(i) + ".pem");
        ASSERT_EQ(
            s.openssl({"x509", "-inform", "DER", "-in", cert, "-noout", "-pubkey", "-out", pub}),
            0);
        for (std::size_t k = 0; k < batch; ++k) {
          std::string sig = s.write("sig" + std::to_string(++n), decoded(sigs[k]));
          std::string out;
          if (std::string(format) == "raw") {
            EXPECT_EQ(s.openssl({"dgst", std::string("-") + c.dgst, "-verify", pub, "-signature",
                                 sig, docs[k]},
                                &out),
                      0)
                << c.key_algorithm << " raw #" << k << ": " << out;
            // The signature is of this document, not another.
            EXPECT_NE(s.openssl({"dgst", std::string("-") + c.dgst, "-verify", pub, "-signature",
                                 sig, docs[(k + 1) % 3]},
                                &out),
                      0);
          } else {
            EXPECT_EQ(s.openssl({"cms", "-verify", "-binary", "-content", docs[k], "-inform", "DER",
                                 "-in", sig, "-CAfile", ca, "-out", "/dev/null"},
                                &out),
                      0)
                << c.key_algorithm << " cms #" << k << ": " << out;
            EXPECT_NE(s.openssl({"cms", "-verify", "-binary", "-content", docs[(k + 1) % 3],
                                 "-inform", "DER", "-in", sig, "-CAfile", ca, "-out", "/dev/null"},
                                &out),
                      0);
          }
        }
        // /api/v1/verify agrees, and refuses the wrong document.
        auto ok = api_call(node, "POST", "/verify", token,
                           {{"seal_code", codes[i]},
                            {"hash_algorithm", c.hash_algorithm},
                            {"hash", hashes[0]},
                            {"signature", sigs[0]},
                            {"format", format}});
        ASSERT_EQ(ok.status, 200) << ok.raw;
        EXPECT_TRUE(ok.body.at("valid").as_bool()) << format << " " << c.key_algorithm;
        EXPECT_EQ(ok.str("seal_status"), "active");
        EXPECT_EQ(ok.str("certificate_status"), "good");
        auto wrong = api_call(node, "POST", "/verify", token,
                              {{"seal_code", codes[i]},
                               {"hash_algorithm", c.hash_algorithm},
                               {"hash", hashes[1]},
                               {"signature", sigs[0]},
                               {"format", format}});
        EXPECT_FALSE(wrong.body.at("valid").as_bool()) << wrong.raw;
      }
    }
  }
  // Operators see the throughput by app and result, and the audit batching.
  auto metrics = http_request("GET", node.url("/metrics"));
  ASSERT_EQ(metrics.status, 200);
  for (const std::string& line :
       {"seald_signatures_total{app=\"" + app.client_id + "\",result=\"ok\"} 32",
        std::string("seald_audit_batch_records_count"),
        std::string("seald_hsm_sign_duration_seconds_count"),
        std::string("seald_sign_duration_seconds_count"),
        std::string("seald_signing_cache_resync_age_seconds")}) {
    EXPECT_NE(metrics.body.find(line), std::string::npos) << line << "\n" << metrics.body;
  }

  // Basic authentication works for the token as well.
  auto basic = http_request(
      "POST", node.url("/oauth2/token"), "grant_type=client_credentials",
      {"Content-Type: application/x-www-form-urlencoded",
       "Authorization: Basic " +
           base64_encode(std::span(
               reinterpret_cast<const std::uint8_t*>((app.client_id + ":" + app.secret).data()),
               app.client_id.size() + 1 + app.secret.size()))});
  EXPECT_EQ(basic.status, 200) << basic.body;
  EXPECT_NE(basic.body.find("\"token_type\":\"Bearer\""), std::string::npos);
  auto wrong_secret = http_request(
      "POST", node.url("/oauth2/token"),
      "grant_type=client_credentials&client_id=" + app.client_id + "&client_secret=nope",
      {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(wrong_secret.status, 401);
  EXPECT_NE(wrong_secret.body.find("invalid_client"), std::string::npos);
}

// Polls until f() holds or 3 s pass.
template <class F>
bool eventually(F f) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < deadline) {
    if (f()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return f();
}

TEST(Signing, EveryRefusalCodeOfThePublicContract) {
  SealdNode::Options options;
  options.extra_toml = "[signing]\nmax_hashes = 4\ntoken_ttl_s = 3\nresync_interval_ms = 300\n";
  SealdNode node(options);
  ASSERT_TRUE(node.start()) << node.log();
  SigningSetup s(node);
  RegisteredApp app = s.register_app("拒绝测试应用");
  std::string granted = s.make_seal("ec-p256");
  std::string ungranted = s.make_seal("ec-p256");
  std::string ukey = s.make_seal("", "ukey");
  s.grant(app, granted);
  std::string token = s.token_for(app);
  std::string h = s.hash_b64(s.write("doc.txt", "正文"), "sha256");
  auto expect = [&](const ApiReply& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << code << ": " << r.raw;
    EXPECT_EQ(r.error(), code) << r.raw;
    EXPECT_FALSE(r.body.is_object() && r.body.as_object().contains("signatures"));
  };
  ASSERT_EQ(s.sign(token, granted, "SHA-256", {h}).status, 200);

  expect(s.sign("not-a-token", granted, "SHA-256", {h}), 401, "token_invalid");
  expect(s.sign("", granted, "SHA-256", {h}), 401, "token_invalid");
  expect(s.sign(token, "3301002026999999", "SHA-256", {h}), 404, "seal_not_found");
  expect(s.sign(token, ungranted, "SHA-256", {h}), 403, "seal_not_granted");
  expect(s.sign(token, ukey, "SHA-256", {h}), 409, "seal_not_cloud");
  expect(s.sign(token, granted, "SHA-256", {h.substr(4)}), 422, "hash_length_mismatch");
  std::string h384 = s.hash_b64(s.dir.file("doc.txt"), "sha384");
  expect(s.sign(token, granted, "SHA-256", {h384}), 422, "hash_length_mismatch");
  expect(s.sign(token, granted, "MD5", {h}), 422, "unsupported_algorithm");
  expect(s.sign(token, granted, "SHA-256", {h}, "pkcs7"), 422, "unsupported_algorithm");
  expect(s.sign(token, granted, "SHA-256", {h, h, h, h, h}), 422, "too_many_hashes");
  expect(s.sign(token, granted, "SHA-256", {}), 422, "too_many_hashes");
  expect(s.sign(token, granted, "SHA-256", {"%%%%" + h.substr(4)}), 422, "bad_base64");

  // Suspended, then revoked, through the system admin's direct path.
  std::string lost = s.make_seal("ec-p256");
  std::string gone = s.make_seal("ec-p256");
  s.grant(app, lost);
  s.grant(app, gone);
  for (auto [code, action, refusal] : {std::tuple{lost, "report-loss", "seal_suspended"},
                                       std::tuple{gone, "revoke", "seal_revoked"}}) {
    auto seal = api_call(node, "GET", "/seals/" + code, s.admin);
    auto r = api_call(node, "POST", "/seals/" + code + "/" + action, s.admin,
                      {{"version", seal.body.at("version")}, {"reason", "测试"}});
    ASSERT_EQ(r.status, 200) << r.raw;
    expect(s.sign(token, code, "SHA-256", {h}), 409, refusal);
  }
  // Expired: the record's end of validity moved into the past behind
  // seald's back; the periodic resync picks it up.
  node.redis().cli({"HSET", "seald:seals:seal:" + granted, "not_after_ms", "1000"});
  EXPECT_TRUE(
      eventually([&] { return s.sign(token, granted, "SHA-256", {h}).error() == "seal_expired"; }));
  node.redis().cli({"HSET", "seald:seals:seal:" + granted, "not_after_ms", "99999999999999"});
  EXPECT_TRUE(eventually([&] { return s.sign(token, granted, "SHA-256", {h}).status == 200; }));

  // A disabled app is refused at once.
  auto got = api_call(node, "GET", "/apps/" + app.id, s.admin);
  ASSERT_EQ(api_call(node, "POST", "/apps/" + app.id + "/disable", s.admin,
                     {{"version", got.body.at("version")}})
                .status,
            200);
  expect(s.sign(token, granted, "SHA-256", {h}), 403, "app_disabled");
  got = api_call(node, "GET", "/apps/" + app.id, s.admin);
  ASSERT_EQ(api_call(node, "POST", "/apps/" + app.id + "/enable", s.admin,
                     {{"version", got.body.at("version")}})
                .status,
            200);
  ASSERT_EQ(s.sign(token, granted, "SHA-256", {h}).status, 200);

  // Audit down: 503 and no signature; back by itself when Redis returns.
  node.redis().stop();
  expect(s.sign(token, granted, "SHA-256", {h}), 503, "audit_unavailable");
  node.redis().start();
  EXPECT_TRUE(eventually([&] { return s.sign(token, granted, "SHA-256", {h}).status == 200; }))
      << node.log();

  // The token runs out.
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  expect(s.sign(token, granted, "SHA-256", {h}), 401, "token_expired");

  // The HSM loses the key under seald: 503, never a bad signature.
  std::string doomed = s.make_seal("ec-p256");
  s.grant(app, doomed);
  std::string fresh = s.token_for(app);
  ASSERT_EQ(s.sign(fresh, doomed, "SHA-256", {h}).status, 200);
  std::string pin = node.token().pin();
  while (!pin.empty() && pin.back() == '\n') {
    pin.pop_back();
  }
  std::string hex_id;
  for (unsigned char ch : doomed) {
    static const char* kDigits = "0123456789abcdef";
    hex_id += kDigits[ch >> 4];
    hex_id += kDigits[ch & 15];
  }
  std::string out;
  ASSERT_EQ(
      run_command({"pkcs11-tool", "--module", TokenDir::kModule, "--token-label", TokenDir::kLabel,
                   "--login", "--pin", pin, "--delete-object", "--type", "privkey", "--id", hex_id},
                  &out, node.token().env()),
      0)
      << out;
  EXPECT_TRUE(eventually([&] { return s.sign(fresh, doomed, "SHA-256", {h}).status == 503; }));
  expect(s.sign(fresh, doomed, "SHA-256", {h}), 503, "hsm_unavailable");
  EXPECT_TRUE(node.running());
}

}  // namespace
}  // namespace seald::testing
