// hsm_baseline: the raw PKCS#11 C_Sign rate per algorithm, for a matrix of
// threads x keys. By default on a throw-away SoftHSMv2 token of its own;
// with --label/--uri, --pin-file and --key-ids, on existing keys (the keys a
// seald benchmark then runs against).

#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "benchmarks/baseline_runner.h"
#include "benchmarks/temp_softhsm.h"
#include "core/log.h"
#include "hsm/keys.h"

namespace {

using seald::Error;
using seald::Result;
using seald::bench::BaselineKey;
using seald::bench::CellResult;
namespace hsm = seald::hsm;

constexpr const char* kUsage = R"(Usage: hsm_baseline [options]

Measures raw PKCS#11 C_Sign/s (C_SignInit + C_Sign per signature, one session
per thread) for each algorithm, over threads 1..T x keys 1..K.

  --module PATH          PKCS#11 module (default /usr/lib/softhsm/libsofthsm2.so)
  --algorithms LIST      ec-p256,ec-p384,rsa-2048,rsa-3072 (the default)
  --max-threads T        default: the number of cores (at least 2)
  --max-keys K           default: the same as --max-threads
  --duration SECONDS     time per cell (default 2)
  --json FILE            also write the results as JSON ('-' for stdout)

Existing token instead of a temporary SoftHSM one:
  --label LABEL | --uri PKCS11-URI
  --pin-file FILE        user PIN, in a file only its owner can read
  --key-ids ID,ID,...    keys to sign with; their algorithms are read from the token
)";

struct Options {
  std::string module = "/usr/lib/softhsm/libsofthsm2.so";
  std::vector<hsm::KeyAlgorithm> algorithms = {
      hsm::KeyAlgorithm::ec_p256, hsm::KeyAlgorithm::ec_p384, hsm::KeyAlgorithm::rsa_2048,
      hsm::KeyAlgorithm::rsa_3072};
  int max_threads = std::max(2u, std::thread::hardware_concurrency());
  int max_keys = 0;  // 0: as max_threads
  double duration = 2.0;
  std::string json;
  std::string label;
  std::string uri;
  std::string pin_file;
  std::vector<std::string> key_ids;
};

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) {
      out.push_back(item);
    }
  }
  return out;
}

Result<Options> parse(int argc, char** argv) {
  Options o;
  auto bad = [](const std::string& why) { return seald::make_error("usage_invalid", why); };
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (i + 1 >= argc) {
      return bad(flag + " needs a value (or is unknown)");
    }
    std::string value = argv[++i];
    try {
      if (flag == "--module") {
        o.module = value;
      } else if (flag == "--algorithms") {
        o.algorithms.clear();
        for (const auto& name : split(value)) {
          auto a = hsm::parse_key_algorithm(name);
          if (!a) {
            return bad("unknown algorithm " + name);
          }
          o.algorithms.push_back(*a);
        }
      } else if (flag == "--max-threads") {
        o.max_threads = std::stoi(value);
      } else if (flag == "--max-keys") {
        o.max_keys = std::stoi(value);
      } else if (flag == "--duration") {
        o.duration = std::stod(value);
      } else if (flag == "--json") {
        o.json = value;
      } else if (flag == "--label") {
        o.label = value;
      } else if (flag == "--uri") {
        o.uri = value;
      } else if (flag == "--pin-file") {
        o.pin_file = value;
      } else if (flag == "--key-ids") {
        o.key_ids = split(value);
      } else {
        return bad("unknown option " + flag);
      }
    } catch (const std::exception&) {
      return bad("bad number for " + flag + ": " + value);
    }
  }
  if (o.max_keys == 0) {
    o.max_keys = o.max_threads;
  }
  bool existing = !o.label.empty() || !o.uri.empty();
  if (existing &&
      (o.pin_file.empty() || o.key_ids.empty() || (!o.label.empty() && !o.uri.empty()))) {
    return bad("an existing token needs one of --label/--uri, --pin-file and --key-ids");
  }
  if (o.max_threads < 1 || o.max_keys < 1 || o.duration <= 0) {
    return bad("threads, keys and duration must be positive");
  }
  return o;
}

// The keys to sign with, by algorithm: made on the temporary token, or the
// given ids read back from an existing one.
Result<std::map<hsm::KeyAlgorithm, std::vector<BaselineKey>>> prepare_keys(const hsm::Token& token,
                                                                           const Options& o,
                                                                           bool temporary) {
  std::map<hsm::KeyAlgorithm, std::vector<BaselineKey>> keys;
  if (temporary) {
    for (auto algorithm : o.algorithms) {
      for (int k = 0; k < o.max_keys; ++k) {
        std::string id = "baseline-" + std::string(hsm::name(algorithm)) + "-" + std::to_string(k);
        if (auto made = hsm::generate_key_pair(token, algorithm, id, id); !made) {
          return made.error();
        }
        keys[algorithm].push_back(BaselineKey{id, algorithm});
      }
    }
    return keys;
  }
  auto listed = hsm::list_keys(token);
  if (!listed) {
    return listed.error();
  }
  for (const auto& id : o.key_ids) {
    auto it = std::find_if(listed->begin(), listed->end(),
                           [&](const hsm::KeyInfo& k) { return k.id == id; });
    if (it == listed->end() || !it->algorithm) {
      return seald::make_error("key_not_found", "no usable private key with id " + id);
    }
    if (std::find(o.algorithms.begin(), o.algorithms.end(), *it->algorithm) != o.algorithms.end()) {
      keys[*it->algorithm].push_back(BaselineKey{id, *it->algorithm});
    }
  }
  return keys;
}

boost::json::object to_json(const CellResult& c) {
  boost::json::array ids;
  for (const auto& id : c.key_ids) {
    ids.emplace_back(id);
  }
  return {{"algorithm", std::string(hsm::name(c.algorithm))},
          {"mechanism", seald::bench::mechanism_name(c.algorithm)},
          {"threads", c.threads},
          {"keys", c.keys},
          {"key_ids", ids},
          {"signs", c.signs},
          {"seconds", c.seconds},
          {"signs_per_second", c.signs_per_second()},
          {"errors", c.errors},
          {"first_error", c.first_error}};
}

int fail(const Error& e) {
  std::cerr << "hsm_baseline: " << e.message << " (" << e.code << ")\n";
  return e.code == "usage_invalid" ? 2 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  (void)seald::init_logging(seald::LogOptions{"warn", ""});
  auto options = parse(argc, argv);
  if (!options) {
    std::cerr << kUsage;
    return fail(options.error());
  }
  const Options& o = *options;
  const bool temporary = o.label.empty() && o.uri.empty();

  std::unique_ptr<seald::bench::TempSoftHsm> temp;
  hsm::ModulePtr module;
  hsm::TokenSelector selector;
  hsm::PinSource pin_source;
  if (temporary) {
    auto made = seald::bench::TempSoftHsm::create(o.module);
    if (!made) {
      return fail(made.error());
    }
    temp = std::move(*made);
    module = temp->module();
    selector = hsm::TokenSelector::by_label(temp->label());
    pin_source = temp->pin_source();
  } else {
    auto loaded = hsm::Module::load(o.module);
    if (!loaded) {
      return fail(loaded.error());
    }
    module = *loaded;
    selector =
        o.uri.empty() ? hsm::TokenSelector::by_label(o.label) : hsm::TokenSelector::by_uri(o.uri);
    pin_source = [path = o.pin_file] { return seald::Secret::from_file(path); };
  }
  auto token = hsm::Token::open(module, selector, pin_source);
  if (!token) {
    return fail(token.error());
  }
  auto keys = prepare_keys(**token, o, temporary);
  if (!keys) {
    return fail(keys.error());
  }

  std::printf("hsm_baseline: raw C_Sign/s on %s (%s), %u cores, %.1f s per cell\n\n",
              selector.describe().c_str(), o.module.c_str(), std::thread::hardware_concurrency(),
              o.duration);
  std::printf("%-10s %-20s %7s %5s %10s %8s %12s\n", "algorithm", "mechanism", "threads", "keys",
              "signs", "seconds", "signs/s");
  boost::json::array cells;
  auto duration = std::chrono::milliseconds(static_cast<long>(o.duration * 1000));
  for (const auto& [algorithm, all_keys] : *keys) {
    int max_keys = std::min<int>(o.max_keys, static_cast<int>(all_keys.size()));
    for (int threads = 1; threads <= o.max_threads; ++threads) {
      for (int k = 1; k <= max_keys; ++k) {
        auto cell = seald::bench::run_cell(
            **token, std::span(all_keys).first(static_cast<std::size_t>(k)), threads, duration);
        if (!cell) {
          return fail(cell.error());
        }
        std::printf("%-10s %-20s %7d %5d %10llu %8.2f %12.0f%s\n",
                    std::string(hsm::name(algorithm)).c_str(),
                    seald::bench::mechanism_name(algorithm).c_str(), threads, k,
                    static_cast<unsigned long long>(cell->signs), cell->seconds,
                    cell->signs_per_second(),
                    cell->errors > 0 ? ("  ERROR " + cell->first_error).c_str() : "");
        std::fflush(stdout);
        cells.push_back(to_json(*cell));
      }
    }
  }

  if (!o.json.empty()) {
    boost::json::object doc{
        {"tool", "hsm_baseline"},         {"module", o.module},
        {"token", selector.describe()},   {"cores", std::thread::hardware_concurrency()},
        {"seconds_per_cell", o.duration}, {"cells", cells}};
    std::string text = boost::json::serialize(doc) + "\n";
    if (o.json == "-") {
      std::cout << text;
    } else {
      FILE* out = std::fopen(o.json.c_str(), "w");
      if (out == nullptr) {
        return fail(seald::make_error("json_write_failed", "cannot write " + o.json));
      }
      std::fputs(text.c_str(), out);
      std::fclose(out);
    }
  }
  token->reset();
  return 0;
}
