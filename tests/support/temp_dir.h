#pragma once

#include <string>

namespace seald::testing {

// A private (0700) temporary folder, removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "seald-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes text to a file with the given mode.
void write_file(const std::string& path, const std::string& text, unsigned mode = 0600);
std::string read_file(const std::string& path);

// A free TCP port on 127.0.0.1 (bound then released: good enough for tests).
unsigned short free_loopback_port();

}  // namespace seald::testing
