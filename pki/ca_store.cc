#include "pki/ca_store.h"

#include <charconv>

namespace seald::pki::detail {
namespace {

constexpr const char* kCertificateKey = "seald:ca:certificate";
constexpr const char* kClaimKey = "seald:ca:claim";
constexpr const char* kRevokedKey = "seald:ca:revoked";
constexpr const char* kCrlNumberKey = "seald:ca:crl_number";

// KEYS[1] claim, KEYS[2] certificate; ARGV[1] nonce, ARGV[2] DER.
constexpr const char* kPublishScript = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[1])
return 1
)lua";

// KEYS[1] claim; ARGV[1] nonce.
constexpr const char* kReleaseScript = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
)lua";

std::string_view as_view(const std::vector<std::uint8_t>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

Result<std::optional<std::vector<std::uint8_t>>> CaStore::certificate() {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"GET", kCertificateKey});
  if (!reply) {
    return reply.error();
  }
  if (reply->is_nil()) {
    return std::optional<std::vector<std::uint8_t>>();
  }
  auto text = reply->str();
  return std::optional<std::vector<std::uint8_t>>(std::in_place, text.begin(), text.end());
}

Result<bool> CaStore::claim(const std::string& nonce, std::chrono::milliseconds ttl) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto ttl_text = std::to_string(ttl.count());
  auto reply = (*lease)->command({"SET", kClaimKey, nonce, "NX", "PX", ttl_text});
  if (!reply) {
    return reply.error();
  }
  return !reply->is_nil();
}

Status CaStore::release_claim(const std::string& nonce) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"EVAL", kReleaseScript, "1", kClaimKey, nonce});
  if (!reply) {
    return reply.error();
  }
  return {};
}

Status CaStore::publish_certificate(const std::vector<std::uint8_t>& der,
                                    const std::string& nonce) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command(
      {"EVAL", kPublishScript, "2", kClaimKey, kCertificateKey, nonce, as_view(der)});
  if (!reply) {
    return reply.error();
  }
  if (reply->integer() != 1) {
    return Error{"ca_claim_lost",
                 "another node took over creating the CA while this one was creating it"};
  }
  return {};
}

Result<bool> CaStore::add_revocation(const Revocation& revocation) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  // "<ms> <reason>": both fields are ours (digits and an RFC 5280 name).
  auto value = std::to_string(revocation.revoked_at_ms) + " " + revocation.reason;
  auto reply = (*lease)->command({"HSETNX", kRevokedKey, revocation.serial_hex, value});
  if (!reply) {
    return reply.error();
  }
  return reply->integer() == 1;
}

Result<std::vector<Revocation>> CaStore::revocations() {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"HGETALL", kRevokedKey});
  if (!reply) {
    return reply.error();
  }
  std::vector<Revocation> out;
  for (std::size_t i = 0; i + 1 < reply->size(); i += 2) {
    const redisReply* field = reply->element(i);
    const redisReply* value = reply->element(i + 1);
    std::string_view text(value->str, value->len);
    auto space = text.find(' ');
    Revocation r;
    r.serial_hex.assign(field->str, field->len);
    if (space == std::string_view::npos ||
        std::from_chars(text.data(), text.data() + space, r.revoked_at_ms).ec != std::errc{}) {
      return Error{"ca_state_corrupt", "a revocation entry in Redis is malformed"};
    }
    r.reason = std::string(text.substr(space + 1));
    out.push_back(std::move(r));
  }
  return out;
}

Result<long long> CaStore::next_crl_number() {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"INCR", kCrlNumberKey});
  if (!reply) {
    return reply.error();
  }
  return reply->integer();
}

}  // namespace seald::pki::detail
