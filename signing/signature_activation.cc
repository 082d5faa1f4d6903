#include "signing/signature_activation.h"

#include <boost/json.hpp>

#include "apps/app_secret.h"

namespace seald::signing {
namespace {

namespace json = boost::json;

// Our SADs are 43 characters; a longer one is not worth hashing.
constexpr std::size_t kMaxSadLength = 256;

Error invalid() {
  return make_error("sad_invalid", "the SAD is not valid (unknown, used or expired)");
}

std::string encode(const Activation& a) {
  json::array hashes;
  for (const auto& h : a.hashes) {
    hashes.emplace_back(h);
  }
  return json::serialize(json::object{{"app_id", a.app_id},
                                      {"credential_id", a.credential_id},
                                      {"num_signatures", a.num_signatures},
                                      {"hashes", std::move(hashes)}});
}

// Only this class writes these keys, but a value that does not read back is
// treated as no SAD rather than trusted in part.
Result<Activation> decode(std::string_view text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) {
    return invalid();
  }
  const auto& o = value.as_object();
  const auto* app = o.if_contains("app_id");
  const auto* credential = o.if_contains("credential_id");
  const auto* count = o.if_contains("num_signatures");
  const auto* hashes = o.if_contains("hashes");
  if (!app || !app->is_string() || !credential || !credential->is_string() || !count ||
      !count->is_int64() || !hashes || !hashes->is_array()) {
    return invalid();
  }
  Activation a{
      std::string(app->as_string()), std::string(credential->as_string()), count->as_int64(), {}};
  for (const auto& h : hashes->as_array()) {
    if (!h.is_string()) {
      return invalid();
    }
    a.hashes.emplace_back(h.as_string());
  }
  return a;
}

}  // namespace

std::string activation_key(std::string_view sad_hash) {
  return "seald:sad:" + std::string(sad_hash);
}

SignatureActivations::SignatureActivations(redis::Pool& pool, std::chrono::seconds ttl)
    : pool_(pool), ttl_(ttl) {}

Result<IssuedActivation> SignatureActivations::issue(const Activation& activation) {
  if (activation.app_id.empty() || activation.credential_id.empty() ||
      activation.num_signatures < 1) {
    return make_error("activation_invalid", "a SAD needs an app, a credential and a count >= 1");
  }
  // 256 random bits, like access tokens: a plain SHA-256 in Redis suffices.
  auto sad = apps::generate_secret();
  if (!sad) {
    return make_error("token_issue_failed", "no randomness for a new SAD");
  }
  auto hash = apps::secret_hash(sad->reveal());
  if (!hash) {
    return hash.error();
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string key = activation_key(*hash);
  std::string value = encode(activation);
  std::string seconds = std::to_string(ttl_.count());
  auto stored = (*lease)->command({"SET", key, value, "EX", seconds});
  if (!stored) {
    return stored.error();
  }
  return IssuedActivation{std::move(*sad), ttl_.count()};
}

Result<Activation> SignatureActivations::redeem(std::string_view sad) {
  if (sad.empty() || sad.size() > kMaxSadLength) {
    return invalid();
  }
  auto hash = apps::secret_hash(sad);
  if (!hash) {
    return hash.error();
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string key = activation_key(*hash);
  auto reply = (*lease)->command({"GETDEL", key});
  if (!reply) {
    return reply.error();
  }
  if (reply->type() != REDIS_REPLY_STRING) {
    return invalid();
  }
  return decode(reply->str());
}

}  // namespace seald::signing
