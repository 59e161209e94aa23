// RUN: %check_untangle %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxDepth: 1}}" -- -I %S/Inputs -I %runtime_include
// An asynchronous call followed only by `return;` is in tail position: nothing runs after
// it on that path. The next step's code goes before the `return;`, which becomes a
// `co_return;` and still skips what followed. The fixed file must compile (--fix rolls
// back otherwise).
#include "rewrite_api.h"

void tail_return(int &saved) {
  parse("1", [&saved](std::error_code ec, int n) {
    if (ec)
      return;
    save(n, [&saved, n](std::error_code ec) { saved = n; });
    return;
  });
}

// The early return skips `saved = -1;`, before and after the rewrite.
void early_return(int &saved) {
  parse("2", [&saved](std::error_code ec, int n) {
    if (!ec) {
      save(n, [&saved, n](std::error_code) { saved = n; });
      return;
    }
    saved = -1;
  });
}

// Code between the call and the `return;` runs before the callback: still refused.
void code_before_return(int &saved) {
  parse("3", [&saved](std::error_code ec, int n) {
    save(n, [&saved, n](std::error_code) { saved = n; });
    saved = 0;
    return;
  });
}

// CHECK-MESSAGES: :13:13: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :10:3: note: level 1: callback of this asynchronous call to 'parse'
// CHECK-MESSAGES: :22:15: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :20:3: note: level 1: callback of this asynchronous call to 'parse'
// CHECK-MESSAGES: :32:13: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :31:3: note: level 1: callback of this asynchronous call to 'parse'
// CHECK-MESSAGES: :33:5: note: no coroutine rewrite offered (not-tail-position): the asynchronous call is not the last thing its callback does
// CHECK-FIXES: {{^}}void tail_return(int &saved) {
// CHECK-FIXES-NEXT: {{^}}  untangle::spawn([](int &saved) -> untangle::Task<void> {
// CHECK-FIXES-NEXT: {{^}}    auto [ec, n] = co_await untangle::from_callback<std::error_code, int>(
// CHECK-FIXES-NEXT: {{^}}        [&](auto untangle_cb) { parse("1", std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}    if (ec)
// CHECK-FIXES-NEXT: {{^}}      co_return;
// CHECK-FIXES-NEXT: {{^}}    ec = co_await untangle::from_callback<std::error_code>(
// CHECK-FIXES-NEXT: {{^}}        [&](auto untangle_cb) { save(n, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}    saved = n;
// CHECK-FIXES-NEXT: {{^}}    co_return;
// CHECK-FIXES-NEXT: {{^}}  }(saved));
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES: {{^}}void early_return(int &saved) {
// CHECK-FIXES-NEXT: {{^}}  untangle::spawn([](int &saved) -> untangle::Task<void> {
// CHECK-FIXES-NEXT: {{^}}    auto [ec, n] = co_await untangle::from_callback<std::error_code, int>(
// CHECK-FIXES-NEXT: {{^}}        [&](auto untangle_cb) { parse("2", std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}    if (!ec) {
// CHECK-FIXES-NEXT: {{^}}      co_await untangle::from_callback<std::error_code>(
// CHECK-FIXES-NEXT: {{^}}          [&](auto untangle_cb) { save(n, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}      saved = n;
// CHECK-FIXES-NEXT: {{^}}      co_return;
// CHECK-FIXES-NEXT: {{^}}    }
// CHECK-FIXES-NEXT: {{^}}    saved = -1;
// CHECK-FIXES-NEXT: {{^}}  }(saved));
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES: {{^}}void code_before_return(int &saved) {
// CHECK-FIXES-NEXT: {{^}}  parse("3", [&saved](std::error_code ec, int n) {
