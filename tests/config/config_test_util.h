#pragma once

#include <cstdlib>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "config/config.h"

namespace seald::testing {

// LogOptions has no operator==, so Config cannot default one.
inline void expect_same_config(const Config& actual, const Config& expected) {
  EXPECT_TRUE(actual.server == expected.server);
  EXPECT_TRUE(actual.hsm == expected.hsm);
  EXPECT_TRUE(actual.redis == expected.redis);
  EXPECT_TRUE(actual.signing == expected.signing);
  EXPECT_EQ(actual.log.level, expected.log.level);
  EXPECT_EQ(actual.log.file, expected.log.file);
  EXPECT_EQ(actual.data_dir, expected.data_dir);
}

inline Result<Config> parse(const std::string& text, const Environment& env = {}) {
  return parse_config(text, "seald.toml", env);
}

inline std::string error_of(const Result<Config>& r) {
  return r ? std::string("(no error)") : r.error().message;
}

// Sets (or unsets) a variable for one test and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) {
      old_ = old;
    }
    set(value);
  }
  ~ScopedEnv() { set(old_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  void set(const std::optional<std::string>& value) {
    if (value) {
      ::setenv(name_.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  std::string name_;
  std::optional<std::string> old_;
};

}  // namespace seald::testing
