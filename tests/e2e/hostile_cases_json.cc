// The JSON-body tables of the hostile-input suite: malformed, truncated and
// deeply nested bodies on every endpoint that reads JSON, then wrong types,
// huge numbers, invalid UTF-8, duplicate keys, bad base64, wrong hash
// lengths and too many hashes on the endpoints each one matters to.

#include <string>
#include <vector>

#include "tests/e2e/hostile_support.h"

namespace seald::testing {

namespace {

struct Endpoint {
  std::string name, method, path, auth;  // auth: a header line, or ""
};

std::vector<Endpoint> json_endpoints(const HostileTarget& t) {
  std::string app = "Authorization: Bearer " + t.app_token;
  std::string admin = "Authorization: Bearer " + t.admin_token;
  return {
      {"sign", "POST", "/api/v1/sign", app},
      {"verify", "POST", "/api/v1/verify", app},
      {"csc2 signHash", "POST", "/csc/v2/signatures/signHash", app},
      {"csc1 signHash", "POST", "/csc/v1/signatures/signHash", app},
      {"csc2 credentials/list", "POST", "/csc/v2/credentials/list", app},
      {"csc2 credentials/authorize", "POST", "/csc/v2/credentials/authorize", app},
      {"csc1 credentials/info", "POST", "/csc/v1/credentials/info", app},
      {"auth/login", "POST", "/api/v1/auth/login", ""},
      {"auth/codes", "POST", "/api/v1/auth/codes", ""},
      {"users register", "POST", "/api/v1/users", ""},
      {"me patch", "PATCH", "/api/v1/me", admin},
      {"user roles", "POST", "/api/v1/users/" + t.user_id + "/roles", admin},
      {"orgs create", "POST", "/api/v1/orgs", admin},
      {"apps create", "POST", "/api/v1/apps", admin},
      {"app disable", "POST", "/api/v1/apps/" + t.app_id + "/disable", admin},
      {"app grants", "POST", "/api/v1/apps/" + t.app_id + "/grants", admin},
      {"grants sync", "POST", "/api/v1/grants/sync", admin},
      {"applications create", "POST", "/api/v1/applications", admin},
      {"application approve", "POST", "/api/v1/applications/" + t.application_id + "/approve",
       admin},
      {"seal report-loss", "POST", "/api/v1/seals/" + t.seal_code + "/report-loss", admin},
  };
}

std::string request(const Endpoint& e, const std::string& body) {
  if (e.auth.empty()) {
    return http_message(e.method, e.path, body, {"Content-Type: application/json"});
  }
  return http_message(e.method, e.path, body, {"Content-Type: application/json", e.auth});
}

HostileCase on(const Endpoint& e, std::string category, std::string name, std::string body) {
  return {std::move(category), e.name + ": " + std::move(name), request(e, body)};
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  out.reserve(s.size() * static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    out.append(s);
  }
  return out;
}

// base64 of n bytes of 0x41 ('A'), as a client with the wrong digest would send.
std::string b64_of(std::size_t n) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < n; i += 3) {
    unsigned v = 0x41u << 16 | (i + 1 < n ? 0x41u << 8 : 0) | (i + 2 < n ? 0x41u : 0);
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += i + 1 < n ? alphabet[v >> 6 & 63] : '=';
    out += i + 2 < n ? alphabet[v & 63] : '=';
  }
  return out;
}

}  // namespace

std::vector<HostileCase> json_body_cases(const HostileTarget& t) {
  const std::vector<std::pair<std::string, std::string>> malformed{
      {"truncated object", "{"},
      {"truncated string", "{\"seal_code\":\"abc"},
      {"missing colon", "{\"name\" 1}"},
      {"trailing comma", "{\"name\":\"x\",}"},
      {"single quotes", "{'name':'x'}"},
      {"trailing garbage", "{}}"},
      {"100000 nested arrays", repeat("[", 100000)},
      {"array, not object", "[]"},
  };
  std::vector<HostileCase> cases;
  for (const Endpoint& e : json_endpoints(t)) {
    for (const auto& [name, body] : malformed) {
      cases.push_back(on(e,
                         name == "100000 nested arrays" ? "deeply nested JSON"
                         : name == "array, not object"  ? "wrong types"
                                                        : "malformed JSON",
                         name, body));
    }
  }
  // A few more shapes of broken JSON where the bytes reach a parser first.
  const auto& all = json_endpoints(t);
  for (const Endpoint* e : {&all[0], &all[2], &all[13]}) {
    cases.push_back(on(*e, "malformed JSON", "comment", "/*x*/{}"));
    cases.push_back(on(*e, "malformed JSON", "NaN", "{\"seal_code\":NaN}"));
    cases.push_back(on(*e, "malformed JSON", "bad escape", "{\"seal_code\":\"\\u12\"}"));
    cases.push_back(on(*e, "malformed JSON", "raw newline in string", "{\"seal_code\":\"a\nb\"}"));
    cases.push_back(on(*e, "malformed JSON", "bare word", "nul"));
    cases.push_back(on(*e, "deeply nested JSON", "50000 nested objects",
                       repeat("{\"a\":", 50000) + "1" + repeat("}", 50000)));
    cases.push_back(on(*e, "deeply nested JSON", "17 levels inside a field",
                       "{\"seal_code\":" + repeat("[", 17) + repeat("]", 17) + "}"));
    cases.push_back(on(*e, "wrong types", "body is a number", "42"));
    cases.push_back(on(*e, "wrong types", "body is null", "null"));
    cases.push_back(on(*e, "wrong types", "body is a string", "\"{}\""));
  }
  return cases;
}

std::vector<HostileCase> sign_field_cases(const HostileTarget& t) {
  const auto all = json_endpoints(t);
  const Endpoint &sign = all[0], &verify = all[1], &csc2 = all[2], &csc1 = all[3],
                 &authorize = all[5], &login = all[7], &apps = all[13], &disable = all[14],
                 &orgs = all[12], &approve = all[18];
  const std::string code = "\"" + t.seal_code + "\"";
  const std::string good_hash = "\"" + b64_of(32) + "\"";
  auto sign_body = [&](const std::string& seal, const std::string& algorithm,
                       const std::string& hashes) {
    return "{\"seal_code\":" + seal + ",\"hash_algorithm\":" + algorithm + ",\"hashes\":" + hashes +
           "}";
  };
  auto sign_hashes = [&](const std::string& hashes) {
    return sign_body(code, "\"SHA-256\"", hashes);
  };
  std::vector<HostileCase> c;
  auto add = [&](const Endpoint& e, const char* category, const char* name, std::string body) {
    c.push_back(on(e, category, name, std::move(body)));
  };

  add(sign, "wrong types", "seal_code number",
      sign_body("123", "\"SHA-256\"", "[" + good_hash + "]"));
  add(sign, "wrong types", "seal_code array", sign_body("[" + code + "]", "\"SHA-256\"", "[]"));
  add(sign, "wrong types", "hashes string", sign_hashes(good_hash));
  add(sign, "wrong types", "hashes of numbers", sign_hashes("[1,2]"));
  add(sign, "wrong types", "hashes object", sign_hashes("{\"a\":" + good_hash + "}"));
  add(sign, "wrong types", "hash_algorithm number", sign_body(code, "256", "[" + good_hash + "]"));
  add(sign, "wrong types", "format boolean",
      "{\"seal_code\":" + code + ",\"hash_algorithm\":\"SHA-256\",\"hashes\":[" + good_hash +
          "],\"format\":true}");
  add(apps, "wrong types", "name number",
      R"({"name":1,"competent_unit":"a","developer_unit":"b","kind":"cloud"})");
  add(orgs, "wrong types", "parent_id object",
      R"({"name":"x","credit_code":"x","region":"330100","parent_id":{}})");
  add(login, "wrong types", "password number", R"({"login":"nobody-here","password":123456})");
  add(csc2, "wrong types", "credentialID number", R"({"credentialID":1,"hashes":["AA=="]})");
  // A numeric string ("1") is accepted on purpose (CSC clients send those).
  add(authorize, "wrong types", "numSignatures a word",
      "{\"credentialID\":" + code + ",\"numSignatures\":\"one\"}");

  for (const char* n : {"1e400", "-1e400", "99999999999999999999999", "-99999999999999999999999",
                        "18446744073709551616", "1.5", "1e-400"}) {
    add(approve, "huge numbers", n, std::string("{\"version\":") + n + "}");
    add(disable, "huge numbers", n, std::string("{\"version\":") + n + "}");
  }
  for (const char* n : {"1e400", "99999999999999999999999", "-1", "0"}) {
    add(authorize, "huge numbers", n,
        "{\"credentialID\":" + code + ",\"numSignatures\":" + std::string(n) + "}");
  }
  add(sign, "huge numbers", "seal_code 1e400",
      sign_body("1e400", "\"SHA-256\"", "[" + good_hash + "]"));
  add(sign, "huge numbers", "hash 99999999999999999999999",
      sign_hashes("[99999999999999999999999]"));

  const std::vector<std::pair<const char*, std::string>> bad_utf8{
      {"0xFF byte", "\xff\xfe"},
      {"overlong slash", "\xc0\xaf"},
      {"encoded surrogate", "\xed\xa0\x80"},
      {"truncated sequence", "\xe4\xb8"},
      {"lone continuation", "\x80"},
      {"lone surrogate escape", "\\ud800"},
      {"reversed surrogate escapes", "\\udc00\\ud800"},
  };
  for (const auto& [name, bytes] : bad_utf8) {
    add(sign, "invalid UTF-8", name,
        sign_body("\"" + bytes + "\"", "\"SHA-256\"", "[" + good_hash + "]"));
    add(apps, "invalid UTF-8", name,
        "{\"name\":\"bad" + bytes +
            "\",\"competent_unit\":\"a\",\"developer_unit\":\"b\",\"kind\":\"cloud\"}");
  }
  add(login, "invalid UTF-8", "0xFF in login", "{\"login\":\"\xff\",\"password\":\"x\"}");
  add(orgs, "invalid UTF-8", "key is not UTF-8", "{\"\xff\":1}");
  add(csc2, "invalid UTF-8", "credentialID 0xFE", "{\"credentialID\":\"\xfe\"}");

  // Two values for one field: which one a parser keeps differs between
  // parsers (and between a proxy and us), so seald refuses the request.
  add(sign, "duplicate keys", "seal_code twice",
      "{\"seal_code\":\"NOPE\",\"seal_code\":" + code +
          ",\"hash_algorithm\":\"SHA-256\",\"hashes\":[" + good_hash + "]}");
  add(sign, "duplicate keys", "seal_code twice, valid first",
      "{\"seal_code\":" + code +
          ",\"seal_code\":\"NOPE\",\"hash_algorithm\":\"SHA-256\",\"hashes\":[" + good_hash + "]}");
  add(sign, "duplicate keys", "hash_algorithm twice",
      "{\"seal_code\":" + code +
          ",\"hash_algorithm\":\"SHA-512\",\"hash_algorithm\":\"SHA-256\",\"hashes\":[" +
          good_hash + "]}");
  add(sign, "duplicate keys", "hashes twice",
      "{\"seal_code\":" + code + ",\"hash_algorithm\":\"SHA-256\",\"hashes\":[],\"hashes\":[" +
          good_hash + "]}");
  add(verify, "duplicate keys", "signature twice",
      "{\"seal_code\":" + code + ",\"hash_algorithm\":\"SHA-256\",\"hash\":" + good_hash +
          ",\"signature\":\"AA==\",\"signature\":\"AA==\"}");
  add(csc2, "duplicate keys", "credentialID twice",
      "{\"credentialID\":\"NOPE\",\"credentialID\":" + code + ",\"hashes\":[" + good_hash + "]}");
  add(authorize, "duplicate keys", "numSignatures twice",
      "{\"credentialID\":" + code + ",\"numSignatures\":1,\"numSignatures\":1}");
  add(login, "duplicate keys", "login twice",
      R"({"login":"nobody-a","login":"nobody-b","password":"x"})");
  add(apps, "duplicate keys", "name twice",
      R"({"name":"dup-a","name":"dup-b","competent_unit":"a","developer_unit":"b","kind":"cloud"})");
  add(approve, "duplicate keys", "version twice", R"({"version":1,"version":2})");
  add(disable, "duplicate keys", "version twice", R"({"version":0,"version":99})");
  add(sign, "duplicate keys", "nested object keys twice",
      "{\"seal_code\":" + code + ",\"hash_algorithm\":\"SHA-256\",\"hashes\":[" + good_hash +
          "],\"format\":\"raw\",\"format\":\"raw\"}");

  const std::vector<std::pair<const char*, std::string>> bad_b64{
      {"not base64", "!!!!"},
      {"unpadded", b64_of(32).substr(0, 43)},
      {"base64url alphabet", "-_-_" + b64_of(32).substr(4)},
      {"embedded space", b64_of(32).substr(0, 20) + " " + b64_of(32).substr(20)},
      {"embedded newline", b64_of(32).substr(0, 20) + "\\n" + b64_of(32).substr(20)},
      {"only padding", "===="},
      {"empty", ""},
      {"hex digest", repeat("ab", 32)},
  };
  for (const auto& [name, b64] : bad_b64) {
    add(sign, "bad base64", name, sign_hashes("[\"" + b64 + "\"]"));
    add(csc2, "bad base64", name,
        "{\"credentialID\":" + code + ",\"SAD\":\"x\",\"hashes\":[\"" + b64 +
            "\"],\"hashAlgorithmOID\":\"2.16.840.1.101.3.4.2.1\",\"signAlgo\":\"1.2.840.10045.4.3."
            "2\"}");
  }
  add(verify, "bad base64", "signature not base64",
      "{\"seal_code\":" + code + ",\"hash_algorithm\":\"SHA-256\",\"hash\":" + good_hash +
          ",\"signature\":\"%%%\"}");
  add(csc1, "bad base64", "v1 hash not base64",
      "{\"credentialID\":" + code +
          ",\"SAD\":\"x\",\"hash\":[\"!!\"],\"signAlgo\":\"1.2.840.10045.4.3.2\"}");
  for (std::size_t n : {0u, 1u, 31u, 33u, 48u, 64u, 4096u}) {
    std::string name = std::to_string(n) + " bytes for SHA-256";
    add(sign, "wrong hash lengths", name.c_str(), sign_hashes("[\"" + b64_of(n) + "\"]"));
  }
  add(sign, "wrong hash lengths", "32 bytes for SHA-384",
      sign_body(code, "\"SHA-384\"", "[\"" + b64_of(32) + "\"]"));
  add(sign, "wrong hash lengths", "48 bytes for SHA-512",
      sign_body(code, "\"SHA-512\"", "[\"" + b64_of(48) + "\"]"));
  add(sign, "wrong hash lengths", "second of two is short",
      sign_hashes("[" + good_hash + ",\"" + b64_of(20) + "\"]"));
  add(verify, "wrong hash lengths", "verify 20-byte hash",
      "{\"seal_code\":" + code + ",\"hash_algorithm\":\"SHA-256\",\"hash\":\"" + b64_of(20) +
          "\",\"signature\":\"AA==\"}");
  add(sign, "wrong hash lengths", "unknown algorithm MD5",
      sign_body(code, "\"MD5\"", "[" + good_hash + "]"));

  auto hashes = [&](int n) {
    std::string out = "[";
    for (int i = 0; i < n; ++i) {
      out += (i ? "," : "") + good_hash;
    }
    return out + "]";
  };
  for (int n : {0, 65, 1000, 5000}) {
    std::string name = std::to_string(n) + " hashes";
    add(sign, "too many hashes", name.c_str(), sign_hashes(hashes(n)));
    add(csc2, "too many hashes", name.c_str(),
        "{\"credentialID\":" + code + ",\"SAD\":\"x\",\"hashes\":" + hashes(n) +
            ",\"hashAlgorithmOID\":\"2.16.840.1.101.3.4.2.1\",\"signAlgo\":\"1.2.840.10045.4.3."
            "2\"}");
  }
  add(authorize, "too many hashes", "authorize 100000 signatures",
      "{\"credentialID\":" + code + ",\"numSignatures\":100000}");
  return c;
}

}  // namespace seald::testing
