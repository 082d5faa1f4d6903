#include "core/error.h"

namespace seald {

ErrorException::ErrorException(Error e)
    : error_(std::move(e)), what_(error_.code + ": " + error_.message) {}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw ErrorException(e);
}

}  // namespace seald
