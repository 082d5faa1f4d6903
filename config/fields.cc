#include "config/fields.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

namespace seald::config_internal {

namespace {

constexpr std::uint64_t kUint = std::numeric_limits<unsigned>::max();
constexpr std::uint64_t kSize = std::numeric_limits<std::size_t>::max();

const char* check_listen(const std::string& v) {
  return parse_listen_address(v) ? nullptr
                                 : "must be host:port or [ipv6]:port, with a port from 1 to 65535";
}

const char* check_not_empty(const std::string& v) {
  return v.empty() ? "must not be empty" : nullptr;
}

const char* check_token_uri(const std::string& v) {
  return v.empty() || v.starts_with("pkcs11:") ? nullptr
                                               : "must be an RFC 7512 URI starting with pkcs11:";
}

const char* check_env_name(const std::string& v) {
  bool ok = v.empty() || std::isdigit(static_cast<unsigned char>(v[0])) == 0;
  for (char ch : v) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_');
  }
  return ok ? nullptr : "must be an environment variable name (letters, digits, _)";
}

const char* check_durability(const std::string& v) {
  return v == "aof" || v == "wait" ? nullptr : "must be \"aof\" or \"wait\"";
}

const char* check_rsa_scheme(const std::string& v) {
  return v == "pkcs1-v1.5" || v == "pss" ? nullptr : "must be \"pkcs1-v1.5\" or \"pss\"";
}

const char* check_log_level(const std::string& v) {
  static constexpr std::array<std::string_view, 7> kLevels = {"trace", "debug",    "info", "warn",
                                                              "error", "critical", "off"};
  return std::find(kLevels.begin(), kLevels.end(), v) != kLevels.end()
             ? nullptr
             : "must be one of trace, debug, info, warn, error, critical, off";
}

// The order is the example file's order; tests hold the two together.
constexpr std::array<Field, 32> kFields = {{
    {"server", "listen", StringRef{[](Config& c) { return &c.server.listen; }}, 0, 0, check_listen},
    {"server", "io_threads", UintRef{[](Config& c) { return &c.server.io_threads; }}, 0, 1024},
    {"server", "body_limit", SizeRef{[](Config& c) { return &c.server.body_limit; }}, 1024, kSize},
    {"server", "header_limit", SizeRef{[](Config& c) { return &c.server.header_limit; }}, 1024,
     kSize},
    {"server", "header_timeout_ms", UintRef{[](Config& c) { return &c.server.header_timeout_ms; }},
     1, kUint},
    {"server", "read_timeout_ms", UintRef{[](Config& c) { return &c.server.read_timeout_ms; }}, 1,
     kUint},
    {"server", "idle_timeout_ms", UintRef{[](Config& c) { return &c.server.idle_timeout_ms; }}, 1,
     kUint},
    // 0 is a legitimate grace: stop at once.
    {"server", "shutdown_grace_ms", UintRef{[](Config& c) { return &c.server.shutdown_grace_ms; }},
     0, kUint},
    {"hsm", "module", StringRef{[](Config& c) { return &c.hsm.module; }}, 0, 0, check_not_empty},
    {"hsm", "token_label", StringRef{[](Config& c) { return &c.hsm.token_label; }}},
    {"hsm", "token_uri", StringRef{[](Config& c) { return &c.hsm.token_uri; }}, 0, 0,
     check_token_uri},
    {"hsm", "pin_file", StringRef{[](Config& c) { return &c.hsm.pin_file; }}},
    {"hsm", "pin_env", StringRef{[](Config& c) { return &c.hsm.pin_env; }}, 0, 0, check_env_name},
    {"redis", "host", StringRef{[](Config& c) { return &c.redis.host; }}, 0, 0, check_not_empty},
    {"redis", "port", PortRef{[](Config& c) { return &c.redis.port; }}, 1, 65535},
    {"redis", "password_file", StringRef{[](Config& c) { return &c.redis.password_file; }}},
    {"redis", "connect_timeout_ms", UintRef{[](Config& c) { return &c.redis.connect_timeout_ms; }},
     1, kUint},
    {"redis", "command_timeout_ms", UintRef{[](Config& c) { return &c.redis.command_timeout_ms; }},
     1, kUint},
    {"redis", "pool_size", UintRef{[](Config& c) { return &c.redis.pool_size; }}, 1, kUint},
    {"redis", "durability", StringRef{[](Config& c) { return &c.redis.durability; }}, 0, 0,
     check_durability},
    // WAIT 0 would acknowledge without any replica, defeating "wait".
    {"redis", "wait_replicas", UintRef{[](Config& c) { return &c.redis.wait_replicas; }}, 1, kUint},
    // WAIT with a 0 timeout blocks forever.
    {"redis", "wait_timeout_ms", UintRef{[](Config& c) { return &c.redis.wait_timeout_ms; }}, 1,
     kUint},
    {"signing", "max_hashes", UintRef{[](Config& c) { return &c.signing.max_hashes; }}, 1, 100000},
    {"signing", "token_ttl_s", UintRef{[](Config& c) { return &c.signing.token_ttl_s; }}, 1, 86400},
    {"signing", "rsa_scheme", StringRef{[](Config& c) { return &c.signing.rsa_scheme; }}, 0, 0,
     check_rsa_scheme},
    {"signing", "resync_interval_ms",
     UintRef{[](Config& c) { return &c.signing.resync_interval_ms; }}, 100, kUint},
    {"signing", "workers", UintRef{[](Config& c) { return &c.signing.workers; }}, 0, 1024},
    // 0 switches rate limiting off; an app's own limit has the same bounds.
    {"signing", "rate_per_s", UintRef{[](Config& c) { return &c.signing.rate_per_s; }}, 0,
     1'000'000},
    {"signing", "burst", UintRef{[](Config& c) { return &c.signing.burst; }}, 1, 10'000'000},
    {"log", "level", StringRef{[](Config& c) { return &c.log.level; }}, 0, 0, check_log_level},
    {"log", "file", StringRef{[](Config& c) { return &c.log.file; }}},
    {"", "data_dir", StringRef{[](Config& c) { return &c.data_dir; }}, 0, 0, check_not_empty},
}};

// Counts an aggregate's members, so that a field added to a config struct
// without a row in kFields fails to compile instead of being unsettable.
struct AnyMember {
  template <class T>
  operator T() const;
};

template <class T, class... Args>
constexpr std::size_t member_count() {
  if constexpr (requires { T{Args{}..., AnyMember{}}; }) {
    return member_count<T, Args..., AnyMember>();
  } else {
    return sizeof...(Args);
  }
}

constexpr std::size_t rows(std::string_view section) {
  std::size_t n = 0;
  for (const Field& f : kFields) {
    n += f.section == section ? 1 : 0;
  }
  return n;
}

static_assert(member_count<ServerConfig>() == rows("server"), "add the new field to kFields");
static_assert(member_count<HsmConfig>() == rows("hsm"), "add the new field to kFields");
static_assert(member_count<RedisConfig>() == rows("redis"), "add the new field to kFields");
static_assert(member_count<SigningConfig>() == rows("signing"), "add the new field to kFields");
static_assert(member_count<LogOptions>() == rows("log"), "add the new field to kFields");
static_assert(member_count<Config>() == 5 + rows(""), "add the new field to kFields");

template <class T>
constexpr bool kIsString = std::is_same_v<T, std::string>;

}  // namespace

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out;
}

std::string Field::path() const {
  return section.empty() ? std::string(key) : std::string(section) + "." + std::string(key);
}

std::string Field::env_name() const {
  std::string name = "SEALD_";
  for (char ch : path()) {
    name += ch == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  return name;
}

std::span<const Field> fields() {
  return kFields;
}

const Field* find_field(std::string_view section, std::string_view key) {
  for (const Field& f : kFields) {
    if (f.section == section && f.key == key) {
      return &f;
    }
  }
  return nullptr;
}

const Field* find_field_by_env(std::string_view env_name) {
  for (const Field& f : kFields) {
    if (f.env_name() == env_name) {
      return &f;
    }
  }
  return nullptr;
}

bool store_integer(const Field& f, Config& c, std::uint64_t v) {
  return std::visit(
      [&](auto ref) {
        using T = std::remove_pointer_t<decltype(ref(c))>;
        if constexpr (kIsString<T>) {
          return false;
        } else {
          if (v > std::numeric_limits<T>::max()) {
            return false;
          }
          *ref(c) = static_cast<T>(v);
          return true;
        }
      },
      f.target);
}

void store_string(const Field& f, Config& c, std::string v) {
  *std::get<StringRef>(f.target)(c) = std::move(v);
}

std::uint64_t load_integer(const Field& f, Config& c) {
  return std::visit(
      [&](auto ref) -> std::uint64_t {
        using T = std::remove_pointer_t<decltype(ref(c))>;
        if constexpr (kIsString<T>) {
          return 0;
        } else {
          return *ref(c);
        }
      },
      f.target);
}

const std::string& load_string(const Field& f, Config& c) {
  return *std::get<StringRef>(f.target)(c);
}

std::string integer_requirement(const Field& f) {
  return "must be an integer from " + std::to_string(f.min) + " to " + std::to_string(f.max);
}

bool looks_like_secret(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kExact = {
      "pin", "so_pin", "password", "passwd", "secret", "token", "passphrase", "private_key"};
  static constexpr std::array<std::string_view, 6> kSuffixes = {
      "_pin", "_password", "_passwd", "_secret", "_token", "_passphrase"};
  if (std::find(kExact.begin(), kExact.end(), name) != kExact.end()) {
    return true;
  }
  return std::any_of(kSuffixes.begin(), kSuffixes.end(),
                     [&](std::string_view s) { return name.ends_with(s); });
}

void add_problem(Problems& out, const Origins& origins, const std::string& path, std::string code,
                 std::string text) {
  Problem p;
  p.code = std::move(code);
  auto it = origins.find(path);
  if (it != origins.end()) {
    p.line = it->second.line;
    p.message = it->second.where + ": ";
  }
  p.message += text;
  out.push_back(std::move(p));
}

Error to_error(Problems problems) {
  // Environment and default problems (line 0) come after the file's.
  std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
    auto rank = [](std::size_t line) { return line == 0 ? std::size_t(-1) : line; };
    return rank(a.line) < rank(b.line);
  });
  std::string message;
  for (const Problem& p : problems) {
    message += (message.empty() ? "" : "\n") + p.message;
  }
  return make_error(problems.empty() ? "config_invalid" : problems.front().code,
                    std::move(message));
}

}  // namespace seald::config_internal
