#pragma once

// The raw PKCS#11 signing rate: what the HSM (module) itself delivers, with
// nothing of seald in the way. Each thread opens its own session and calls
// C_SignInit + C_Sign straight through the function list, one signature per
// pair, until the time is up. This is the yardstick seald's own signing
// throughput is measured against.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "hsm/algorithms.h"
#include "hsm/token.h"

namespace seald::bench {

struct BaselineKey {
  std::string id;
  hsm::KeyAlgorithm algorithm;
};

struct CellResult {
  hsm::KeyAlgorithm algorithm;
  int threads = 0;
  int keys = 0;
  std::vector<std::string> key_ids;
  std::uint64_t signs = 0;
  std::uint64_t errors = 0;
  std::string first_error;  // empty when there was none
  double seconds = 0;

  double signs_per_second() const { return seconds > 0 ? static_cast<double>(signs) / seconds : 0; }
};

// The mechanism and input used for an algorithm: CKM_ECDSA on a SHA-256
// (P-256) or SHA-384 (P-384) sized hash, CKM_RSA_PKCS on a SHA-256 DigestInfo.
std::string mechanism_name(hsm::KeyAlgorithm algorithm);

// Runs one cell of the matrix: `threads` threads over `keys` (all of one
// algorithm). With fewer threads than keys a thread takes turns over its
// share of the keys; with more, threads share keys. The token must stay
// open (logged in) for the run: the threads' sessions use its login.
Result<CellResult> run_cell(const hsm::Token& token, std::span<const BaselineKey> keys, int threads,
                            std::chrono::milliseconds duration);

}  // namespace seald::bench
