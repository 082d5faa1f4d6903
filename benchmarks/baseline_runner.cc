#include "benchmarks/baseline_runner.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "hsm/ck_error.h"

namespace seald::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Input {
  CK_MECHANISM_TYPE mechanism;
  std::vector<std::uint8_t> data;
};

Input input_for(hsm::KeyAlgorithm algorithm) {
  // The hash value does not change the work; its length does.
  switch (algorithm) {
    case hsm::KeyAlgorithm::ec_p256:
      return {CKM_ECDSA, std::vector<std::uint8_t>(32, 0x5a)};
    case hsm::KeyAlgorithm::ec_p384:
      return {CKM_ECDSA, std::vector<std::uint8_t>(48, 0x5a)};
    default: {
      auto prefix = hsm::digest_info_prefix(hsm::HashAlgorithm::sha256);
      std::vector<std::uint8_t> data(prefix.begin(), prefix.end());
      data.resize(data.size() + 32, 0x5a);
      return {CKM_RSA_PKCS, data};
    }
  }
}

struct ThreadResult {
  std::uint64_t signs = 0;
  std::uint64_t errors = 0;
  std::string first_error;
  Clock::time_point finished;
};

// Opens a session and finds the handles of this thread's keys, before the
// clock starts.
Result<std::vector<CK_OBJECT_HANDLE>> find_handles(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE session,
                                                   const std::vector<const BaselineKey*>& keys) {
  std::vector<CK_OBJECT_HANDLE> handles;
  for (const BaselineKey* key : keys) {
    CK_OBJECT_CLASS object_class = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE match[] = {
        {CKA_CLASS, &object_class, sizeof object_class},
        {CKA_ID, const_cast<char*>(key->id.data()), key->id.size()},
    };
    CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
    CK_ULONG count = 0;
    CK_RV rv = f->C_FindObjectsInit(session, match, 2);
    if (rv == CKR_OK) {
      rv = f->C_FindObjects(session, &handle, 1, &count);
      f->C_FindObjectsFinal(session);
    }
    if (rv != CKR_OK) {
      return hsm::ck_error("C_FindObjects", rv);
    }
    if (count == 0) {
      return make_error("key_not_found", "no private key with id " + key->id);
    }
    handles.push_back(handle);
  }
  return handles;
}

}  // namespace

std::string mechanism_name(hsm::KeyAlgorithm algorithm) {
  switch (algorithm) {
    case hsm::KeyAlgorithm::ec_p256:
      return "CKM_ECDSA sha256";
    case hsm::KeyAlgorithm::ec_p384:
      return "CKM_ECDSA sha384";
    default:
      return "CKM_RSA_PKCS sha256";
  }
}

Result<CellResult> run_cell(const hsm::Token& token, std::span<const BaselineKey> keys, int threads,
                            std::chrono::milliseconds duration) {
  if (keys.empty() || threads < 1) {
    return make_error("usage_invalid", "a cell needs at least one key and one thread");
  }
  CK_FUNCTION_LIST* f = token.module()->functions();
  const CK_SLOT_ID slot = token.slot_id();
  const Input input = input_for(keys.front().algorithm);
  const int key_count = static_cast<int>(keys.size());

  // Which keys each thread signs with.
  std::vector<std::vector<const BaselineKey*>> assigned(threads);
  if (threads >= key_count) {
    for (int t = 0; t < threads; ++t) {
      assigned[t].push_back(&keys[t % key_count]);
    }
  } else {
    for (int k = 0; k < key_count; ++k) {
      assigned[k % threads].push_back(&keys[k]);
    }
  }

  std::vector<ThreadResult> results(threads);
  std::vector<Error> setup_errors(threads);
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  Clock::time_point deadline;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      ThreadResult& out = results[t];
      CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
      CK_RV rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &session);
      auto handles =
          rv == CKR_OK ? find_handles(f, session, assigned[t])
                       : Result<std::vector<CK_OBJECT_HANDLE>>(hsm::ck_error("C_OpenSession", rv));
      if (!handles) {
        setup_errors[t] = handles.error();
      }
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) {
        std::this_thread::yield();
      }
      if (handles) {
        std::vector<std::uint8_t> data = input.data;
        CK_MECHANISM mechanism{input.mechanism, nullptr, 0};
        std::uint8_t signature[1024];
        std::size_t next = 0;
        while (Clock::now() < deadline) {
          CK_OBJECT_HANDLE key = (*handles)[next++ % handles->size()];
          CK_ULONG size = sizeof signature;
          rv = f->C_SignInit(session, &mechanism, key);
          if (rv == CKR_OK) {
            rv = f->C_Sign(session, data.data(), data.size(), signature, &size);
          }
          if (rv != CKR_OK) {
            if (out.errors++ == 0) {
              out.first_error = hsm::ck_error("C_Sign", rv).message;
            }
            break;
          }
          ++out.signs;
        }
      }
      out.finished = Clock::now();
      if (session != CK_INVALID_HANDLE) {
        f->C_CloseSession(session);
      }
    });
  }
  while (ready.load() < threads) {
    std::this_thread::yield();
  }
  const Clock::time_point start = Clock::now();
  deadline = start + duration;
  go.store(true, std::memory_order_release);
  for (auto& worker : workers) {
    worker.join();
  }
  for (const Error& e : setup_errors) {
    if (!e.code.empty()) {
      return e;
    }
  }

  CellResult cell;
  cell.algorithm = keys.front().algorithm;
  cell.threads = threads;
  cell.keys = key_count;
  Clock::time_point end = start;
  for (const BaselineKey& key : keys) {
    cell.key_ids.push_back(key.id);
  }
  for (const ThreadResult& r : results) {
    cell.signs += r.signs;
    cell.errors += r.errors;
    if (cell.first_error.empty()) {
      cell.first_error = r.first_error;
    }
    end = std::max(end, r.finished);
  }
  cell.seconds = std::chrono::duration<double>(end - start).count();
  return cell;
}

}  // namespace seald::bench
