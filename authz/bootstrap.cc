#include "authz/bootstrap.h"

#include <thread>

#include "identity/crypto.h"
#include "identity/validation.h"

namespace seald::authz {
namespace {

constexpr std::string_view kClaimKey = "seald:authz:bootstrap_claim";
constexpr std::chrono::milliseconds kPollInterval{50};

// KEYS: claim. ARGV: owner. Deletes the claim only if it is still ours.
constexpr std::string_view kReleaseScript = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua";

Result<Secret> generate_password() {
  // 18 bytes give 24 base64url characters (144 bits); redraw in the
  // vanishingly rare case the policy's character-class rule is not met.
  for (;;) {
    auto bytes = identity::random_bytes(18);
    if (!bytes) {
      return bytes.error();
    }
    Secret candidate(identity::base64url(*bytes));
    if (identity::validate_password(candidate.reveal())) {
      return candidate;
    }
  }
}

class Claim {
 public:
  Claim(redis::Pool& pool, std::string owner) : pool_(pool), owner_(std::move(owner)) {}
  Claim(const Claim&) = delete;
  Claim& operator=(const Claim&) = delete;
  ~Claim() {
    if (held_) {
      if (auto lease = pool_.acquire()) {
        (void)(*lease)->command({"EVAL", kReleaseScript, "1", kClaimKey, owner_});
      }
    }
  }

  Result<bool> try_take(std::chrono::milliseconds ttl) {
    auto lease = pool_.acquire();
    if (!lease) {
      return lease.error();
    }
    auto reply =
        (*lease)->command({"SET", kClaimKey, owner_, "NX", "PX", std::to_string(ttl.count())});
    if (!reply) {
      return reply.error();
    }
    held_ = !reply->is_nil();
    return held_;
  }

 private:
  redis::Pool& pool_;
  std::string owner_;
  bool held_ = false;
};

}  // namespace

Result<std::optional<BootstrapCredentials>> ensure_bootstrap_admin(
    redis::Pool& pool, identity::Users& users, RoleStore& roles, const BootstrapOptions& options) {
  auto owner = identity::random_bytes(16);
  if (!owner) {
    return owner.error();
  }
  auto deadline = std::chrono::steady_clock::now() + options.wait;
  for (;;) {
    auto admins = roles.count_holders(Role::system_admin);
    if (!admins) {
      return admins.error();
    }
    if (*admins > 0) {
      return std::optional<BootstrapCredentials>{};
    }
    Claim claim(pool, identity::base64url(*owner));
    auto taken = claim.try_take(options.claim_ttl);
    if (!taken) {
      return taken.error();
    }
    if (!*taken) {
      if (std::chrono::steady_clock::now() >= deadline) {
        return make_error("bootstrap_in_progress",
                          "another node is creating the bootstrap admin; not waiting longer");
      }
      std::this_thread::sleep_for(kPollInterval);
      continue;
    }
    // Someone may have finished between our count and our claim.
    admins = roles.count_holders(Role::system_admin);
    if (!admins) {
      return admins.error();
    }
    if (*admins > 0) {
      return std::optional<BootstrapCredentials>{};
    }
    auto password = generate_password();
    if (!password) {
      return password.error();
    }
    auto account = users.upsert_system_account(options.login_name, options.display_name, *password);
    if (!account) {
      return account.error();
    }
    auto granted = roles.grant(account->first.id, Grant::system_admin());
    if (!granted) {
      return granted.error();
    }
    return std::optional<BootstrapCredentials>{
        BootstrapCredentials{account->first.id, options.login_name, std::move(*password)}};
  }
}

}  // namespace seald::authz
