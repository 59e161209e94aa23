#pragma once
#include "fake_async.h"

inline void pyramid_in_header(Loop &loop) {
  read_file("in", [&](std::error_code, std::string text) {
    write_file("out", text, [&](std::error_code) { loop.post([] {}); });
  });
}
