// RUN: %check_untangle %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxDepth: 1}}" -- -I %S/Inputs -I %runtime_include
// Names shared by several levels (issue 5): a later result with the name and the type of
// an earlier one is assigned to it; any other collision is renamed.
#include "rewrite_api.h"
#include <cstdio>

// Same name, same type, one result: assigned (`ec = co_await ...`).
void single(int value) {
  save(value, [value](std::error_code ec) {
    if (ec) return;
    save(value + 1, [](std::error_code ec) { std::printf("%d\n", ec ? 1 : 0); });
  });
}

// Every result of the level is taken: assigned together with std::tie.
void several() {
  parse("1", [](std::error_code ec, int n) {
    parse(std::to_string(n + 1), [](std::error_code ec, int n) { std::printf("%d %d\n", ec ? 1 : 0, n); });
  });
}

// Only some are taken, or the earlier one is a const reference: declared, renamed.
void mixed() {
  read_file("p", [](const std::error_code &ec, std::string text) {
    parse(text, [](std::error_code ec, int n) {
      save(n, [](std::error_code ec) { std::printf("%d\n", ec ? 1 : 0); });
    });
  });
}

// ---- expectations (generated from a reviewed run) ----
// CHECK-MESSAGES: :12:21: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :19:34: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :26:17: warning: asynchronous callback nested 2 levels deep (maximum is 1); the nesting reaches 3 levels [untangle-callback-nesting]
// CHECK-FIXES: {{^}}void single(int value) {
// CHECK-FIXES-NEXT: {{^}}  untangle::spawn([](const int value) -> untangle::Task<void> {
// CHECK-FIXES-NEXT: {{^}}    std::error_code ec = co_await untangle::from_callback<std::error_code>(
// CHECK-FIXES-NEXT: {{^}}        [&](auto untangle_cb) { save(value, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}    if (ec)
// CHECK-FIXES-NEXT: {{^}}      co_return;
// CHECK-FIXES-NEXT: {{^}}    ec = co_await untangle::from_callback<std::error_code>(
// CHECK-FIXES-NEXT: {{^}}        [&](auto untangle_cb) { save(value + 1, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}    std::printf("%d\n", ec ? 1 : 0);
// CHECK-FIXES-NEXT: {{^}}  }(value));
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES: {{^}}void several() {
// CHECK-FIXES-NEXT: {{^}}  untangle::spawn([]() -> untangle::Task<void> {
// CHECK-FIXES-NEXT: {{^}}    auto [ec, n] = co_await untangle::from_callback<std::error_code, int>(
// CHECK-FIXES-NEXT: {{^}}        [&](auto untangle_cb) { parse("1", std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}    std::tie(ec, n) = co_await untangle::from_callback<std::error_code, int>(
// CHECK-FIXES-NEXT: {{^}}        [&](auto untangle_cb) {
// CHECK-FIXES-NEXT: {{^}}          parse(std::to_string(n + 1), std::move(untangle_cb));
// CHECK-FIXES-NEXT: {{^}}        });
// CHECK-FIXES-NEXT: {{^}}    std::printf("%d %d\n", ec ? 1 : 0, n);
// CHECK-FIXES-NEXT: {{^}}  }());
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES: {{^}}void mixed() {
// CHECK-FIXES-NEXT: {{^}}  untangle::spawn([]() -> untangle::Task<void> {
// CHECK-FIXES-NEXT: {{^}}    auto [ec, text] =
// CHECK-FIXES-NEXT: {{^}}        co_await untangle::from_callback<const std::error_code &, std::string>(
// CHECK-FIXES-NEXT: {{^}}            [&](auto untangle_cb) { read_file("p", std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}    auto [ec_2, n] = co_await untangle::from_callback<std::error_code, int>(
// CHECK-FIXES-NEXT: {{^}}        [&](auto untangle_cb) { parse(text, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}    std::error_code ec_3 = co_await untangle::from_callback<std::error_code>(
// CHECK-FIXES-NEXT: {{^}}        [&](auto untangle_cb) { save(n, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}    std::printf("%d\n", ec_3 ? 1 : 0);
// CHECK-FIXES-NEXT: {{^}}  }());
// CHECK-FIXES-NEXT: {{^}}}
