// RUN: %check_untangle %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxDepth: 1}}" -- -I %S/Inputs -I %runtime_include
// Coroutine rewrites of each shape (issue 5). The fixed file must compile (--fix rolls
// back otherwise), so the runtime is on the include path; the fix adds its include once.
#include "rewrite_api.h"
#include <algorithm>

// Error-first: `return` becomes `co_return`; `ec` is renamed or, alone, assigned again.
void error_first(const std::string &path) {
  read_file(path, [path](std::error_code ec, std::string text) {
    if (ec) return;
    parse(text, [path](std::error_code ec, int n) {
      if (ec) {
        return;
      }
      save(n, [n](std::error_code ec) {});
    });
  });
}

// Members through implicit `this` go through a `self` parameter.
struct Importer {
  int steps = 0;
  void fail(const char *) {}
  void run() {
    wait(1, [this]() {
      ++steps;
      read_file("x", [this](std::error_code ec, std::string text) {
        if (ec) return fail("read");
        steps += static_cast<int>(text.size());
      });
    });
  }
};

// Both branches continue; by-reference captures stay references; a synchronous
// comparator keeps its own `return`.
void branches(int &total) {
  wait(1, [&total]() {
    std::vector<int> v{3, 1, 2};
    std::sort(v.begin(), v.end(), [](int a, int b) { return a < b; });
    if (v.front() == 1) {
      save(v.back(), [&total](std::error_code ec) { total += 1; });
    } else {
      wait(2, [&total]() { total += 2; });
    }
  });
}

// A name declared with another type at a later level is renamed consistently.
void other_type() {
  read_file("v", [](std::error_code ec, std::string value) {
    parse(value, [](std::error_code ec, int value) { save(value + 1, [value](std::error_code) {}); });
  });
}

// ---- expectations (generated from a reviewed run) ----
// CHECK-MESSAGES: :12:17: warning: asynchronous callback nested 2 levels deep (maximum is 1); the nesting reaches 3 levels [untangle-callback-nesting]
// CHECK-MESSAGES: :10:3: note: level 1: callback of this asynchronous call to 'read_file'
// CHECK-MESSAGES: :28:22: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :26:5: note: level 1: callback of this asynchronous call to 'wait'
// CHECK-MESSAGES: :43:22: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :39:3: note: level 1: callback of this asynchronous call to 'wait'
// CHECK-MESSAGES: :45:15: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :39:3: note: level 1: callback of this asynchronous call to 'wait'
// CHECK-MESSAGES: :53:18: warning: asynchronous callback nested 2 levels deep (maximum is 1); the nesting reaches 3 levels [untangle-callback-nesting]
// CHECK-MESSAGES: :52:3: note: level 1: callback of this asynchronous call to 'read_file'
// CHECK-FIXES: {{^}}#include "rewrite_api.h"
// CHECK-FIXES-NEXT: {{^}}#include <algorithm>
// CHECK-FIXES-NEXT: {{^}}#include <untangle/runtime.hpp>
// CHECK-FIXES: {{^}}void error_first(const std::string &path) {
// CHECK-FIXES-NEXT: {{^}}  untangle::spawn([](const std::string path) -> untangle::Task<void> {
// CHECK-FIXES-NEXT: {{^}}    auto [ec, text] =
// CHECK-FIXES-NEXT: {{^}}        co_await untangle::from_callback<std::error_code, std::string>(
// CHECK-FIXES-NEXT: {{^}}            [&](auto untangle_cb) { read_file(path, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}    if (ec)
// CHECK-FIXES-NEXT: {{^}}      co_return;
// CHECK-FIXES-NEXT: {{^}}    auto [ec_2, n] = co_await untangle::from_callback<std::error_code, int>(
// CHECK-FIXES-NEXT: {{^}}        [&](auto untangle_cb) { parse(text, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}    if (ec_2) {
// CHECK-FIXES-NEXT: {{^}}      co_return;
// CHECK-FIXES-NEXT: {{^}}    }
// CHECK-FIXES-NEXT: {{^}}    ec = co_await untangle::from_callback<std::error_code>(
// CHECK-FIXES-NEXT: {{^}}        [&](auto untangle_cb) { save(n, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}  }(path));
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES: {{^}}struct Importer {
// CHECK-FIXES-NEXT: {{^}}  int steps = 0;
// CHECK-FIXES-NEXT: {{^}}  void fail(const char *) {}
// CHECK-FIXES-NEXT: {{^}}  void run() {
// CHECK-FIXES-NEXT: {{^}}    untangle::spawn([](Importer *self) -> untangle::Task<void> {
// CHECK-FIXES-NEXT: {{^}}      co_await untangle::from_callback<>(
// CHECK-FIXES-NEXT: {{^}}          [&](auto untangle_cb) { wait(1, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}      ++self->steps;
// CHECK-FIXES-NEXT: {{^}}      auto [ec, text] =
// CHECK-FIXES-NEXT: {{^}}          co_await untangle::from_callback<std::error_code, std::string>(
// CHECK-FIXES-NEXT: {{^}}              [&](auto untangle_cb) {
// CHECK-FIXES-NEXT: {{^}}                read_file("x", std::move(untangle_cb));
// CHECK-FIXES-NEXT: {{^}}              });
// CHECK-FIXES-NEXT: {{^}}      if (ec)
// CHECK-FIXES-NEXT: {{^}}        co_return self->fail("read");
// CHECK-FIXES-NEXT: {{^}}      self->steps += static_cast<int>(text.size());
// CHECK-FIXES-NEXT: {{^}}    }(this));
// CHECK-FIXES-NEXT: {{^}}  }
// CHECK-FIXES-NEXT: {{^}}};
// CHECK-FIXES: {{^}}void branches(int &total) {
// CHECK-FIXES-NEXT: {{^}}  untangle::spawn([](int &total) -> untangle::Task<void> {
// CHECK-FIXES-NEXT: {{^}}    co_await untangle::from_callback<>(
// CHECK-FIXES-NEXT: {{^}}        [&](auto untangle_cb) { wait(1, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}    std::vector<int> v{3, 1, 2};
// CHECK-FIXES-NEXT: {{^}}    std::sort(v.begin(), v.end(), [](int a, int b) { return a < b; });
// CHECK-FIXES-NEXT: {{^}}    if (v.front() == 1) {
// CHECK-FIXES-NEXT: {{^}}      std::error_code ec = co_await untangle::from_callback<std::error_code>(
// CHECK-FIXES-NEXT: {{^}}          [&](auto untangle_cb) { save(v.back(), std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}      total += 1;
// CHECK-FIXES-NEXT: {{^}}    } else {
// CHECK-FIXES-NEXT: {{^}}      co_await untangle::from_callback<>(
// CHECK-FIXES-NEXT: {{^}}          [&](auto untangle_cb) { wait(2, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}      total += 2;
// CHECK-FIXES-NEXT: {{^}}    }
// CHECK-FIXES-NEXT: {{^}}  }(total));
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES: {{^}}void other_type() {
// CHECK-FIXES-NEXT: {{^}}  untangle::spawn([]() -> untangle::Task<void> {
// CHECK-FIXES-NEXT: {{^}}    auto [ec, value] =
// CHECK-FIXES-NEXT: {{^}}        co_await untangle::from_callback<std::error_code, std::string>(
// CHECK-FIXES-NEXT: {{^}}            [&](auto untangle_cb) { read_file("v", std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}    auto [ec_2, value_2] =
// CHECK-FIXES-NEXT: {{^}}        co_await untangle::from_callback<std::error_code, int>(
// CHECK-FIXES-NEXT: {{^}}            [&](auto untangle_cb) { parse(value, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}    co_await untangle::from_callback<std::error_code>(
// CHECK-FIXES-NEXT: {{^}}        [&](auto untangle_cb) { save(value_2 + 1, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}  }());
// CHECK-FIXES-NEXT: {{^}}}
