// NOLINT comments suppress findings, as in clang-tidy.
// RUN: %check_untangle %s untangle-callback-nesting %t -- -- -I %inputs
#include "fake_async.h"

void suppressed(Loop &loop) {
  read_file("in", [&](std::error_code, std::string text) {
    write_file("out", text, [&](std::error_code) {
      loop.post([] {}); // NOLINT(untangle-callback-nesting)
      // NOLINTNEXTLINE(untangle-*)
      loop.post([] {});
      // NOLINTBEGIN
      loop.set_timeout(1, [] {});
      // NOLINTEND
      loop.post([] {}); // NOLINT(some-other-check)
      // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: asynchronous callback nested 3 levels deep
      // CHECK-MESSAGES: :[[@LINE-10]]:3: note: level 1:
      // CHECK-MESSAGES: :[[@LINE-10]]:5: note: level 2:
    });
  });
}
