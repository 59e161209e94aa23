// RUN: %check_untangle %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxDepth: 1}}" -- -I %S/Inputs -I %runtime_include
// Coroutine rewrites of each shape (issue 5). The fixed file must compile (--fix rolls
// back otherwise), so the API is declared in Inputs/rewrite_api.h and the runtime is on
// the include path; the fix adds the include once, after the last one.
#include "rewrite_api.h"
// CHECK-FIXES: #include "rewrite_api.h"
// CHECK-FIXES-NEXT: #include <untangle/runtime.hpp>

void error_first(const std::string &path) {
  read_file(path, [path](std::error_code ec, std::string text) {
    if (ec) return;
    parse(text, [path](std::error_code ec, int n) {
      // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
      if (ec) {
        return;
      }
      save(n, [n](std::error_code ec) {});
    });
  });
}
// CHECK-FIXES: void error_first(const std::string &path) {
// CHECK-FIXES-NEXT:   untangle::spawn([](const std::string path) -> untangle::Task<void> {
// CHECK-FIXES-NEXT:     auto [ec, text] =
// CHECK-FIXES-NEXT:         co_await untangle::from_callback<std::error_code, std::string>(
// CHECK-FIXES-NEXT:             [&](auto untangle_cb) { read_file(path, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     auto [ec_2, n] = co_await untangle::from_callback<std::error_code, int>(
// CHECK-FIXES-NEXT:         [&](auto untangle_cb) { parse(text, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT:     if (ec_2) {
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:     std::error_code ec_3 = co_await untangle::from_callback<std::error_code>(
// CHECK-FIXES-NEXT:         [&](auto untangle_cb) { save(n, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT:   }(path));
// CHECK-FIXES-NEXT: }
