// An awaitable twin of read_file for the AwaitableTwins option: the same arguments
// without the callback, the callback's arguments as the result.
#pragma once
#include "rewrite_api.h"
#include <tuple>
#include <untangle/runtime.hpp>

inline untangle::Task<std::tuple<std::error_code, std::string>> read_file_async(std::string path) {
  co_return std::tuple<std::error_code, std::string>{std::error_code{}, path};
}
