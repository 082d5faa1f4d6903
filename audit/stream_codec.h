#pragma once

// How a Record is laid out as a Redis stream entry: fixed fields first
// (t, actor, action, target, result, rid, client, prev, hash), then each
// detail as "d.<name>". Stream entries keep field order, which the hash needs.

#include <hiredis/hiredis.h>

#include <string>
#include <vector>

#include "audit/log.h"
#include "audit/record.h"

namespace seald::audit {

std::vector<std::string> encode_fields(const Record& record);

// An XRANGE/XREVRANGE element: [id, [field, value, ...]].
Record decode_entry(const redisReply* entry);

bool matches(const Filter& filter, const Record& record);

}  // namespace seald::audit
