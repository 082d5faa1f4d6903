#include "cli/hsm_commands.h"

#include <algorithm>
#include <iomanip>

#include "cli/flags.h"
#include "core/secret.h"
#include "hsm/init_token.h"
#include "hsm/keys.h"
#include "hsm/objects.h"
#include "hsm/token.h"

namespace seald::cli {
namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

constexpr const char* kInitTokenUsage =
    R"(Usage: sealdctl hsm init-token --module PATH --label LABEL --so-pin-file FILE --pin-file FILE

Initialises a free slot's token as LABEL with the SO PIN and the user PIN
read from the files. When a token labelled LABEL already exists, nothing is
changed and the exit status is 0, so set-up scripts can run it every time.

PIN files must be readable by their owner only (chmod 600). PINs are never
taken from the command line.
)";

constexpr const char* kListKeysUsage =
    R"(Usage: sealdctl hsm list-keys --module PATH (--label LABEL | --uri PKCS11-URI) --pin-file FILE

Lists the key pairs on the token: id, algorithm and label. The token is named
by its label or by an RFC 7512 URI such as pkcs11:token=seald. The user PIN
is read from FILE (chmod 600).
)";

int fail(std::ostream& err, const Error& error) {
  err << "sealdctl: " << error.message << " (" << error.code << ")\n";
  return error.code == "usage_invalid" ? kUsage : kFailed;
}

int init_token(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto flags = Flags::parse(args, {"module", "label", "so-pin-file", "pin-file"});
  if (!flags) {
    err << kInitTokenUsage;
    return fail(err, flags.error());
  }
  if (flags->help()) {
    out << kInitTokenUsage;
    return kOk;
  }
  auto module_path = flags->required("module");
  auto label = flags->required("label");
  auto so_pin_file = flags->required("so-pin-file");
  auto pin_file = flags->required("pin-file");
  for (const auto* r : {&module_path, &label, &so_pin_file, &pin_file}) {
    if (!*r) {
      err << kInitTokenUsage;
      return fail(err, r->error());
    }
  }
  auto so_pin = Secret::from_file(*so_pin_file);
  if (!so_pin) {
    return fail(err, so_pin.error());
  }
  auto user_pin = Secret::from_file(*pin_file);
  if (!user_pin) {
    return fail(err, user_pin.error());
  }
  auto module = hsm::Module::load(*module_path);
  if (!module) {
    return fail(err, module.error());
  }
  auto outcome = hsm::init_token(*module, *label, *so_pin, *user_pin);
  if (!outcome) {
    return fail(err, outcome.error());
  }
  if (*outcome == hsm::InitTokenOutcome::already_exists) {
    out << "token \"" << *label << "\" already exists; nothing changed\n";
  } else {
    out << "token \"" << *label << "\" initialised\n";
  }
  return kOk;
}

int list_keys(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto flags = Flags::parse(args, {"module", "label", "uri", "pin-file"});
  if (!flags) {
    err << kListKeysUsage;
    return fail(err, flags.error());
  }
  if (flags->help()) {
    out << kListKeysUsage;
    return kOk;
  }
  auto module_path = flags->required("module");
  auto pin_file = flags->required("pin-file");
  for (const auto* r : {&module_path, &pin_file}) {
    if (!*r) {
      err << kListKeysUsage;
      return fail(err, r->error());
    }
  }
  auto label = flags->get("label");
  auto uri = flags->get("uri");
  if (label.has_value() == uri.has_value()) {
    err << kListKeysUsage;
    return fail(err, make_error("usage_invalid", "give exactly one of --label and --uri"));
  }
  auto module = hsm::Module::load(*module_path);
  if (!module) {
    return fail(err, module.error());
  }
  auto selector = label ? hsm::TokenSelector::by_label(*label) : hsm::TokenSelector::by_uri(*uri);
  auto token =
      hsm::Token::open(*module, selector, [path = *pin_file] { return Secret::from_file(path); });
  if (!token) {
    return fail(err, token.error());
  }
  auto keys = hsm::list_keys(**token);
  if (!keys) {
    return fail(err, keys.error());
  }
  if (keys->empty()) {
    out << "no keys on " << selector.describe() << "\n";
    return kOk;
  }
  std::size_t id_width = 2;
  for (const auto& key : *keys) {
    id_width = std::max(id_width, hsm::describe_key_id(key.id).size());
  }
  out << std::left << std::setw(static_cast<int>(id_width) + 2) << "ID" << std::setw(18)
      << "ALGORITHM"
      << "LABEL\n";
  for (const auto& key : *keys) {
    out << std::setw(static_cast<int>(id_width) + 2) << hsm::describe_key_id(key.id)
        << std::setw(18) << key.algorithm_name << key.label << "\n";
  }
  return kOk;
}

}  // namespace

void print_hsm_usage(std::ostream& out) {
  out << "Usage: sealdctl hsm <command> [options]\n\n"
         "Commands:\n"
         "  init-token   initialise a token with its PINs (does nothing if it exists)\n"
         "  list-keys    list the key pairs on a token\n\n"
         "Run `sealdctl hsm <command> --help` for a command's options.\n";
}

int run_hsm_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    print_hsm_usage(err);
    return kUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_hsm_usage(out);
    return kOk;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "init-token") {
    return init_token(rest, out, err);
  }
  if (args[0] == "list-keys") {
    return list_keys(rest, out, err);
  }
  err << "sealdctl: unknown command 'hsm " << args[0] << "'\n\n";
  print_hsm_usage(err);
  return kUsage;
}

}  // namespace seald::cli
