#include "identity/identity.h"

namespace seald::identity {

Result<std::unique_ptr<Identity>> Identity::create(redis::Pool& pool, CodeSender& sender,
                                                   const IdentityOptions& options) {
  auto hasher = PasswordHasher::create(options.password);
  if (!hasher) {
    return hasher.error();
  }
  return std::unique_ptr<Identity>(new Identity(pool, sender, options, std::move(*hasher)));
}

}  // namespace seald::identity
