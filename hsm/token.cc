#include "hsm/token.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <vector>

#include <spdlog/spdlog.h>

namespace seald::hsm {
namespace detail {

// One thread's session on one token, with that thread's key handles.
struct ThreadState {
  std::optional<Session> session;
  KeyHandleCache keys;
};

// The states of every thread that has used a token, so that the token can
// close them when it dies. Touched only when a thread first uses the token,
// when the thread exits and when the token dies; never on the signing path.
struct ThreadStateRegistry {
  std::mutex mutex;
  std::vector<std::shared_ptr<ThreadState>> states;
};

}  // namespace detail

namespace {

using detail::ThreadState;
using detail::ThreadStateRegistry;

std::atomic<std::uint64_t> next_serial{1};

// This thread's states, one per token it has used.
class ThreadStates {
 public:
  ThreadStates() = default;
  ThreadStates(const ThreadStates&) = delete;
  ThreadStates& operator=(const ThreadStates&) = delete;

  ~ThreadStates() {
    for (Entry& entry : entries_) {
      if (auto registry = entry.registry.lock()) {
        std::lock_guard lock(registry->mutex);
        std::erase(registry->states, entry.state);
      }
    }
    // The states (and their sessions) go when entries_ does, outside any lock.
  }

  ThreadState* find(std::uint64_t serial) {
    for (Entry& entry : entries_) {
      if (entry.serial == serial) {
        return entry.state.get();
      }
    }
    return nullptr;
  }

  ThreadState* add(std::uint64_t serial, const std::shared_ptr<ThreadStateRegistry>& registry) {
    // Forget tokens that died since; their sessions were closed by them.
    std::erase_if(entries_, [](const Entry& e) { return e.registry.expired(); });
    auto state = std::make_shared<ThreadState>();
    {
      std::lock_guard lock(registry->mutex);
      registry->states.push_back(state);
    }
    entries_.push_back(Entry{serial, registry, state});
    return state.get();
  }

 private:
  struct Entry {
    std::uint64_t serial;
    std::weak_ptr<ThreadStateRegistry> registry;
    std::shared_ptr<ThreadState> state;
  };
  std::vector<Entry> entries_;
};

thread_local ThreadStates thread_states;

// After these the module has already dropped the session: closing the old
// handle could close a new session that was given the same number.
bool session_handle_dead(const Error& why) {
  return why.code == "hsm_session_handle_invalid" || why.code == "hsm_session_closed" ||
         why.code == "hsm_device_removed" || why.code == "hsm_token_not_present";
}

bool slot_may_have_moved(const Error& why) {
  return why.code == "hsm_slot_id_invalid" || why.code == "hsm_token_not_present" ||
         why.code == "hsm_device_removed" || why.code == "hsm_token_not_recognized";
}

}  // namespace

Token::Token(ModulePtr module, TokenSelector selector, PinSource pin_source, CK_SLOT_ID slot)
    : serial_(next_serial.fetch_add(1)),
      module_(std::move(module)),
      selector_(std::move(selector)),
      pin_source_(std::move(pin_source)),
      slot_(slot),
      registry_(std::make_shared<ThreadStateRegistry>()) {}

Token::~Token() {
  std::vector<std::shared_ptr<ThreadState>> states;
  {
    std::lock_guard lock(registry_->mutex);
    states.swap(registry_->states);
  }
  for (auto& state : states) {
    state->session.reset();
  }
}

Result<std::shared_ptr<Token>> Token::open(ModulePtr module, TokenSelector selector,
                                           PinSource pin_source) {
  if (!module || !pin_source) {
    return make_error("hsm_argument_invalid", "Token::open needs a module and a pin source");
  }
  auto slot = find_token(*module, selector);
  if (!slot) {
    return slot.error();
  }
  std::shared_ptr<Token> token(
      new Token(std::move(module), std::move(selector), std::move(pin_source), *slot));
  if (auto ready = token->check(); !ready) {
    return ready.error();
  }
  return token;
}

Token::Stats Token::stats() const {
  return Stats{sessions_opened_.load(), sessions_renewed_.load(), logins_.load()};
}

Status Token::check() const {
  return with_session([](SessionContext& context) -> Status {
    CK_SESSION_INFO info{};
    CK_RV rv = context.functions->C_GetSessionInfo(context.session, &info);
    if (rv != CKR_OK) {
      return ck_error("C_GetSessionInfo", rv);
    }
    if (info.state != CKS_RO_USER_FUNCTIONS && info.state != CKS_RW_USER_FUNCTIONS) {
      // Session-lost class: with_session logs in again on a new session.
      return ck_error("C_GetSessionInfo", CKR_USER_NOT_LOGGED_IN);
    }
    return {};
  });
}

Result<SessionContext> Token::acquire() const {
  ThreadState* state = thread_states.find(serial_);
  if (state == nullptr) {
    state = thread_states.add(serial_, registry_);
  }
  if (!state->session) {
    auto session = open_logged_in_session();
    if (!session) {
      return session.error();
    }
    state->session.emplace(std::move(*session));
    state->keys.clear();
  }
  return SessionContext{module_->functions(), state->session->handle(), &state->keys};
}

Result<SessionContext> Token::renew(const Error& why) const {
  sessions_renewed_.fetch_add(1, std::memory_order_relaxed);
  spdlog::warn("PKCS#11 session on {} lost ({}); opening a new one", selector_.describe(),
               why.code);
  if (ThreadState* state = thread_states.find(serial_); state != nullptr) {
    if (state->session && session_handle_dead(why)) {
      state->session->abandon();
    }
    state->session.reset();
    // Handles may not outlive a login on every HSM; look them up again.
    state->keys.clear();
  }
  return acquire();
}

Result<Session> Token::open_logged_in_session() const {
  auto session = Session::open(module_, slot_.load(std::memory_order_relaxed));
  if (!session && slot_may_have_moved(session.error())) {
    if (auto slot = find_token(*module_, selector_); slot) {
      slot_.store(*slot, std::memory_order_relaxed);
      session = Session::open(module_, *slot);
    } else {
      return slot.error();
    }
  }
  if (!session) {
    return session.error();
  }
  sessions_opened_.fetch_add(1, std::memory_order_relaxed);
  auto logged_in = session->logged_in_as_user();
  if (!logged_in) {
    return logged_in.error();
  }
  if (!*logged_in) {
    logins_.fetch_add(1, std::memory_order_relaxed);
    auto pin = pin_source_();
    if (!pin) {
      return pin.error();
    }
    if (auto login = session->login_user(*pin); !login) {
      return login.error();
    }
  }
  return std::move(*session);
}

}  // namespace seald::hsm
