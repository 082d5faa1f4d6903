#include "orgs/store_internal.h"

#include <algorithm>
#include <charconv>
#include <chrono>

namespace seald::orgs::internal {

std::string org_key(std::string_view id) {
  return "seald:orgs:org:" + std::string(id);
}

std::string siblings_key(std::string_view parent_id) {
  return parent_id.empty() ? std::string(kRootsKey)
                           : "seald:orgs:children:" + std::string(parent_id);
}

bool well_formed_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxIdDigits && id[0] != '0' &&
         std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string path_segment(std::string_view id) {
  return std::string(kMaxIdDigits - id.size(), '0') + std::string(id) + "/";
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t to_int(std::string_view s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::string text_of(const redisReply* r) {
  return r->type == REDIS_REPLY_INTEGER ? std::to_string(r->integer) : std::string(r->str, r->len);
}

Error not_found(std::string_view id) {
  return make_error("org_not_found", "organisation " + std::string(id) + " does not exist");
}

Result<redis::Reply> eval(redis::Connection& conn, std::string_view script,
                          const std::vector<std::string>& keys,
                          const std::vector<std::string>& args) {
  std::string nkeys = std::to_string(keys.size());
  std::vector<std::string_view> argv{"EVAL", script, nkeys};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return conn.command(argv);
}

Status script_status(const redis::Reply& reply, std::string_view id, std::string_view code,
                     std::string_view parent) {
  std::string status = text_of(reply.element(0));
  if (status == "ok") {
    return {};
  }
  if (status == "org_parent_not_found") {
    return make_error(status, "parent organisation " + std::string(parent) + " does not exist");
  }
  if (status == "credit_code_taken") {
    return make_error(status, "unified social credit code " + std::string(code) +
                                  " is already registered to another organisation");
  }
  if (status == "org_version_conflict") {
    return make_error(status, "organisation " + std::string(id) + " has changed (now version " +
                                  text_of(reply.element(1)) + "); reload it and retry");
  }
  if (status == "org_cycle") {
    return make_error(
        status, "organisation " + std::string(id) + " cannot move under itself or its own subtree");
  }
  if (status == "org_not_found") {
    return not_found(id);
  }
  return make_error("redis_error", "unexpected script answer: " + status);
}

Organisation parse_org(const redisReply* r) {
  Organisation org;
  for (std::size_t i = 0; i + 1 < r->elements; i += 2) {
    std::string_view field(r->element[i]->str, r->element[i]->len);
    std::string value(r->element[i + 1]->str, r->element[i + 1]->len);
    if (field == "id") {
      org.id = std::move(value);
    } else if (field == "name") {
      org.name = std::move(value);
    } else if (field == "credit_code") {
      org.credit_code = std::move(value);
    } else if (field == "region") {
      org.region = std::move(value);
    } else if (field == "parent") {
      org.parent_id = std::move(value);
    } else if (field == "version") {
      org.version = to_int(value);
    } else if (field == "created_ms") {
      org.created_ms = to_int(value);
    } else if (field == "updated_ms") {
      org.updated_ms = to_int(value);
    }
  }
  return org;
}

Result<Organisation> read_org(redis::Connection& conn, std::string_view id) {
  if (!well_formed_id(id)) {
    return not_found(id);
  }
  auto reply = conn.command({"HGETALL", org_key(id)});
  if (!reply) {
    return reply.error();
  }
  if (reply->size() == 0) {
    return not_found(id);
  }
  return parse_org(reply->raw());
}

}  // namespace seald::orgs::internal
