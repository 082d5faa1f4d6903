// A PKCS#11 module that wraps another (SoftHSMv2 by default) and injects
// faults, so tests can see what seald does when its HSM misbehaves.
//
//   FAULTY_PKCS11_TARGET   the real module (default: SoftHSMv2)
//   FAULTY_PKCS11_CONTROL  a control file, one rule a line:
//     fail C_Sign CKR_DEVICE_ERROR            every call fails
//     fail C_Sign CKR_SESSION_HANDLE_INVALID count=3   the next 3 calls fail
//     delay C_Sign 300                        every call waits 300 ms first
//   An empty or missing file means no faults. Lines starting with '#' are
//   ignored. Rewriting the file resets the remaining counts.
//
// Faultable calls: C_OpenSession, C_GetSessionInfo, C_FindObjectsInit,
// C_SignInit, C_Sign. Everything else goes straight to the real module.

#include <dlfcn.h>
#include <p11-kit/pkcs11.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr const char* kDefaultTarget = "/usr/lib/softhsm/libsofthsm2.so";

struct Rule {
  std::string function;
  bool delay = false;
  CK_RV rv = CKR_OK;
  long delay_ms = 0;
  long remaining = -1;  // -1: unlimited
};

struct NamedRv {
  const char* name;
  CK_RV rv;
};

// Only the codes a test has reason to inject; a hex value covers the rest.
constexpr NamedRv kRvs[] = {
    {"CKR_GENERAL_ERROR", CKR_GENERAL_ERROR},
    {"CKR_FUNCTION_FAILED", CKR_FUNCTION_FAILED},
    {"CKR_DEVICE_ERROR", CKR_DEVICE_ERROR},
    {"CKR_DEVICE_MEMORY", CKR_DEVICE_MEMORY},
    {"CKR_DEVICE_REMOVED", CKR_DEVICE_REMOVED},
    {"CKR_KEY_HANDLE_INVALID", CKR_KEY_HANDLE_INVALID},
    {"CKR_SESSION_CLOSED", CKR_SESSION_CLOSED},
    {"CKR_SESSION_COUNT", CKR_SESSION_COUNT},
    {"CKR_SESSION_HANDLE_INVALID", CKR_SESSION_HANDLE_INVALID},
    {"CKR_TOKEN_NOT_PRESENT", CKR_TOKEN_NOT_PRESENT},
    {"CKR_USER_NOT_LOGGED_IN", CKR_USER_NOT_LOGGED_IN},
    {"CKR_PIN_INCORRECT", CKR_PIN_INCORRECT},
};

bool parse_rv(const std::string& text, CK_RV* rv) {
  for (const auto& named : kRvs) {
    if (text == named.name) {
      *rv = named.rv;
      return true;
    }
  }
  char* end = nullptr;
  unsigned long value = std::strtoul(text.c_str(), &end, 0);
  if (text.empty() || *end != '\0') {
    return false;
  }
  *rv = value;
  return true;
}

std::vector<Rule> parse_rules(std::istream& in) {
  std::vector<Rule> rules;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string verb, function, arg, extra;
    if (!(words >> verb) || verb[0] == '#' || !(words >> function >> arg)) {
      continue;
    }
    Rule rule;
    rule.function = function;
    if (verb == "fail") {
      if (!parse_rv(arg, &rule.rv)) {
        continue;
      }
      while (words >> extra) {
        if (extra.rfind("count=", 0) == 0) {
          rule.remaining = std::strtol(extra.c_str() + 6, nullptr, 10);
        }
      }
    } else if (verb == "delay") {
      rule.delay = true;
      rule.delay_ms = std::strtol(arg.c_str(), nullptr, 10);
    } else {
      continue;
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

// The control file's rules, reread only when the file changes: a stat per
// call is cheap next to any HSM operation.
class Control {
 public:
  struct Decision {
    long delay_ms = 0;
    CK_RV fail = CKR_OK;
  };

  Decision decide(const char* function) {
    std::lock_guard lock(mutex_);
    refresh();
    Decision decision;
    for (Rule& rule : rules_) {
      if (rule.function != function) {
        continue;
      }
      if (rule.delay) {
        decision.delay_ms += rule.delay_ms;
      } else if (decision.fail == CKR_OK && rule.remaining != 0) {
        decision.fail = rule.rv;
        if (rule.remaining > 0) {
          --rule.remaining;
        }
      }
    }
    return decision;
  }

 private:
  void refresh() {
    const char* path = std::getenv("FAULTY_PKCS11_CONTROL");
    struct stat st {};
    if (path == nullptr || ::stat(path, &st) != 0) {
      rules_.clear();
      seen_ = false;
      return;
    }
    if (seen_ && st.st_ino == last_.st_ino && st.st_size == last_.st_size &&
        st.st_mtim.tv_sec == last_.st_mtim.tv_sec && st.st_mtim.tv_nsec == last_.st_mtim.tv_nsec) {
      return;
    }
    std::ifstream in(path);
    rules_ = parse_rules(in);
    last_ = st;
    seen_ = true;
  }

  std::mutex mutex_;
  std::vector<Rule> rules_;
  struct stat last_ {};
  bool seen_ = false;
};

Control& control() {
  static Control instance;
  return instance;
}

CK_FUNCTION_LIST* real = nullptr;

// Returns the injected error, after any configured delay; CKR_OK to forward.
CK_RV inject(const char* function) {
  Control::Decision decision = control().decide(function);
  if (decision.delay_ms > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(decision.delay_ms));
  }
  return decision.fail;
}

CK_RV faulty_open_session(CK_SLOT_ID slot, CK_FLAGS flags, void* app, CK_NOTIFY notify,
                          CK_SESSION_HANDLE* session) {
  if (CK_RV rv = inject("C_OpenSession"); rv != CKR_OK) {
    return rv;
  }
  return real->C_OpenSession(slot, flags, app, notify, session);
}

CK_RV faulty_get_session_info(CK_SESSION_HANDLE session, CK_SESSION_INFO* info) {
  if (CK_RV rv = inject("C_GetSessionInfo"); rv != CKR_OK) {
    return rv;
  }
  return real->C_GetSessionInfo(session, info);
}

CK_RV faulty_find_objects_init(CK_SESSION_HANDLE session, CK_ATTRIBUTE* templ, CK_ULONG count) {
  if (CK_RV rv = inject("C_FindObjectsInit"); rv != CKR_OK) {
    return rv;
  }
  return real->C_FindObjectsInit(session, templ, count);
}

CK_RV faulty_sign_init(CK_SESSION_HANDLE session, CK_MECHANISM* mechanism, CK_OBJECT_HANDLE key) {
  if (CK_RV rv = inject("C_SignInit"); rv != CKR_OK) {
    return rv;
  }
  return real->C_SignInit(session, mechanism, key);
}

CK_RV faulty_sign(CK_SESSION_HANDLE session, CK_BYTE* data, CK_ULONG data_len, CK_BYTE* signature,
                  CK_ULONG* signature_len) {
  CK_RV injected = inject("C_Sign");
  if (injected == CKR_OK) {
    return real->C_Sign(session, data, data_len, signature, signature_len);
  }
  // A failed C_Sign ends the operation on a real HSM; finish the real one
  // into a scratch buffer so the session is as the caller expects.
  CK_ULONG length = 0;
  if (real->C_Sign(session, data, data_len, nullptr, &length) == CKR_OK) {
    std::vector<CK_BYTE> scratch(length);
    real->C_Sign(session, data, data_len, scratch.data(), &length);
  }
  return injected;
}

CK_FUNCTION_LIST wrapped{};
std::once_flag loaded;
CK_RV load_result = CKR_GENERAL_ERROR;

void load() {
  const char* target = std::getenv("FAULTY_PKCS11_TARGET");
  if (target == nullptr || *target == '\0') {
    target = kDefaultTarget;
  }
  void* library = ::dlopen(target, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    load_result = CKR_GENERAL_ERROR;
    return;
  }
  auto get_list = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(library, "C_GetFunctionList"));
  if (get_list == nullptr || get_list(&real) != CKR_OK || real == nullptr) {
    load_result = CKR_GENERAL_ERROR;
    return;
  }
  // Copy every entry, then take over the faultable ones. The version stays
  // 2.x: only the 2.x layout is copied.
  wrapped = *real;
  wrapped.version = {2, 40};
  wrapped.C_OpenSession = faulty_open_session;
  wrapped.C_GetSessionInfo = faulty_get_session_info;
  wrapped.C_FindObjectsInit = faulty_find_objects_init;
  wrapped.C_SignInit = faulty_sign_init;
  wrapped.C_Sign = faulty_sign;
  wrapped.C_GetFunctionList = C_GetFunctionList;
  load_result = CKR_OK;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) CK_RV C_GetFunctionList(
    CK_FUNCTION_LIST_PTR_PTR list) {
  if (list == nullptr) {
    return CKR_ARGUMENTS_BAD;
  }
  std::call_once(loaded, load);
  if (load_result != CKR_OK) {
    return load_result;
  }
  *list = &wrapped;
  return CKR_OK;
}
