#pragma once

// A token opened for use: the slot it lives in, how to log in, and one
// PKCS#11 session per thread that uses it. Sessions live in thread-local
// state, so the signing path takes no lock shared with other requests. A
// session the module reports lost is replaced (and logged in again) and the
// failed call is retried once.
//
// The PIN is not kept: the pin source is called whenever a login is needed,
// and the Secret it returns is wiped as soon as C_Login returns.

#include <p11-kit/pkcs11.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <type_traits>

#include "core/error.h"
#include "core/secret.h"
#include "hsm/ck_error.h"
#include "hsm/key_handle_cache.h"
#include "hsm/module.h"
#include "hsm/session.h"
#include "hsm/token_locator.h"

namespace seald::hsm {

// Called from whichever thread needs to log in; it must be thread-safe.
using PinSource = std::function<Result<Secret>()>;

// What an operation gets to work with: this thread's session on the token
// and this thread's key-handle cache.
struct SessionContext {
  CK_FUNCTION_LIST* functions;
  CK_SESSION_HANDLE session;
  KeyHandleCache* keys;
};

namespace detail {
struct ThreadStateRegistry;
}

class Token {
 public:
  struct Stats {
    std::uint64_t sessions_opened = 0;
    std::uint64_t sessions_renewed = 0;  // replaced after the module reported them lost
    std::uint64_t logins = 0;            // times the pin source was asked
  };

  // Finds the token and logs in on the calling thread's session, so a wrong
  // PIN fails here (hsm_pin_incorrect). If this process is already logged in
  // to the token (PKCS#11 shares the login across sessions), no PIN is asked.
  static Result<std::shared_ptr<Token>> open(ModulePtr module, TokenSelector selector,
                                             PinSource pin_source);

  // Closes every thread's session on this token. No call on the token may
  // be running.
  ~Token();
  Token(const Token&) = delete;
  Token& operator=(const Token&) = delete;

  const ModulePtr& module() const { return module_; }
  CK_SLOT_ID slot_id() const { return slot_.load(std::memory_order_relaxed); }
  const TokenSelector& selector() const { return selector_; }
  Stats stats() const;

  // Readiness: this thread's session is open and logged in as user (renewed
  // and logged in again if it was not).
  Status check() const;

  // Runs op(SessionContext&) -> Result<T> on this thread's session. When op
  // fails with a session-lost code (is_session_lost), the session is
  // replaced and op runs once more.
  template <class Op>
  auto with_session(Op&& op) const -> std::invoke_result_t<Op&, SessionContext&>;

  // Key handles cached by any thread are valid while the generation stays
  // the same; destroying a key moves it on.
  std::uint64_t key_generation() const { return key_generation_.load(std::memory_order_acquire); }
  void invalidate_key_handles() { key_generation_.fetch_add(1, std::memory_order_acq_rel); }

 private:
  Token(ModulePtr module, TokenSelector selector, PinSource pin_source, CK_SLOT_ID slot);

  Result<SessionContext> acquire() const;
  Result<SessionContext> renew(const Error& why) const;
  Result<Session> open_logged_in_session() const;

  const std::uint64_t serial_;  // never reused; keys the thread-local states
  const ModulePtr module_;
  const TokenSelector selector_;
  const PinSource pin_source_;
  mutable std::atomic<CK_SLOT_ID> slot_;  // may move if the token is re-inserted
  std::atomic<std::uint64_t> key_generation_{1};
  std::shared_ptr<detail::ThreadStateRegistry> registry_;
  mutable std::atomic<std::uint64_t> sessions_opened_{0};
  mutable std::atomic<std::uint64_t> sessions_renewed_{0};
  mutable std::atomic<std::uint64_t> logins_{0};
};

using TokenPtr = std::shared_ptr<Token>;

template <class Op>
auto Token::with_session(Op&& op) const -> std::invoke_result_t<Op&, SessionContext&> {
  auto context = acquire();
  if (!context) {
    return context.error();
  }
  auto result = op(*context);
  if (result.has_value() || !is_session_lost(result.error())) {
    return result;
  }
  context = renew(result.error());
  if (!context) {
    return context.error();
  }
  return op(*context);
}

}  // namespace seald::hsm
