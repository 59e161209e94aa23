// RUN: %check_untangle %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxDepth: 1, untangle-callback-nesting.RewriteStyle: promise}}" \
// RUN:   -- -I %S/Inputs -I %runtime_include
// RewriteStyle=promise: offered only where every API is seen to call back from a loop
// task of its own, as the last thing that task does; refused with a note elsewhere.
#include "rewrite_api.h"
#include <untangle/runtime.hpp>
#include <chrono>

void timers(untangle::EventLoop &loop, int &rounds) {
  loop.set_timeout(std::chrono::milliseconds(1), [&loop, &rounds] {
    ++rounds;
    loop.post([&rounds] { ++rounds; });
  });
}

inline void deferred_read(untangle::EventLoop &loop, std::string path,
                          std::function<void(std::error_code, std::string)> done) {
  loop.post([path, done = std::move(done)] {
    if (path.empty())
      done(std::make_error_code(std::errc::invalid_argument), "");
    else
      done({}, path);
  });
}

void error_first(untangle::EventLoop &loop) {
  deferred_read(loop, "a", [&loop](std::error_code ec, std::string text) {
    if (ec) return;
    deferred_read(loop, text, [](std::error_code ec, std::string again) {});
  });
}

// read_file's definition is not visible: it might call back synchronously.
void unknown_api() {
  read_file("a", [](std::error_code ec, std::string text) { parse(text, [](std::error_code, int) {}); });
}

// A later step uses an outer step's variable: promise steps do not share a scope.
void shared_state(untangle::EventLoop &loop) {
  deferred_read(loop, "a", [&loop](std::error_code ec, std::string text) {
    deferred_read(loop, "b", [text](std::error_code ec, std::string other) {});
  });
}

// ---- expectations (generated from a reviewed run) ----
// CHECK-MESSAGES: :13:15: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :11:8: note: level 1: callback of this asynchronous call to 'set_timeout'
// CHECK-MESSAGES: :30:31: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :28:3: note: level 1: callback of this asynchronous call to 'deferred_read'
// CHECK-MESSAGES: :36:73: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :36:3: note: level 1: callback of this asynchronous call to 'read_file'
// CHECK-MESSAGES: :36:3: note: no promise rewrite offered (promise-order): 'read_file' is not known to call back only from a loop task of its own, as the last thing that task does; a promise continuation runs as a microtask after the rest of that task (or after the caller, for a synchronous call back), so other work could interleave differently (the coroutine style resumes inside the callback)
// CHECK-MESSAGES: :42:30: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :41:3: note: level 1: callback of this asynchronous call to 'deferred_read'
// CHECK-MESSAGES: :42:31: note: no promise rewrite offered (unsupported): a later callback uses 'text' of an outer one; promise steps do not share a scope (the coroutine style does)
// CHECK-FIXES: {{^}}#include "rewrite_api.h"
// CHECK-FIXES-NEXT: {{^}}#include <untangle/runtime.hpp>
// CHECK-FIXES-NEXT: {{^}}#include <chrono>
// CHECK-FIXES: {{^}}void timers(untangle::EventLoop &loop, int &rounds) {
// CHECK-FIXES-NEXT: {{^}}  untangle::to_promise<>([&](auto untangle_cb) {
// CHECK-FIXES-NEXT: {{^}}    loop.set_timeout(std::chrono::milliseconds(1), std::move(untangle_cb));
// CHECK-FIXES-NEXT: {{^}}  })
// CHECK-FIXES-NEXT: {{^}}      .then([&loop, &rounds]() {
// CHECK-FIXES-NEXT: {{^}}        ++rounds;
// CHECK-FIXES-NEXT: {{^}}        return untangle::to_promise<>(
// CHECK-FIXES-NEXT: {{^}}            [&](auto untangle_cb) { loop.post(std::move(untangle_cb)); });
// CHECK-FIXES-NEXT: {{^}}      })
// CHECK-FIXES-NEXT: {{^}}      .then([&rounds]() { ++rounds; })
// CHECK-FIXES-NEXT: {{^}}      .catch_([](std::exception_ptr untangle_e) {
// CHECK-FIXES-NEXT: {{^}}        try {
// CHECK-FIXES-NEXT: {{^}}          std::rethrow_exception(untangle_e);
// CHECK-FIXES-NEXT: {{^}}        } catch (const untangle::broken_promise &) {
// CHECK-FIXES-NEXT: {{^}}        }
// CHECK-FIXES-NEXT: {{^}}      });
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES: {{^}}inline void deferred_read(untangle::EventLoop &loop, std::string path,
// CHECK-FIXES-NEXT: {{^}}                          std::function<void(std::error_code, std::string)> done) {
// CHECK-FIXES-NEXT: {{^}}  loop.post([path, done = std::move(done)] {
// CHECK-FIXES-NEXT: {{^}}    if (path.empty())
// CHECK-FIXES-NEXT: {{^}}      done(std::make_error_code(std::errc::invalid_argument), "");
// CHECK-FIXES-NEXT: {{^}}    else
// CHECK-FIXES-NEXT: {{^}}      done({}, path);
// CHECK-FIXES-NEXT: {{^}}  });
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES: {{^}}void error_first(untangle::EventLoop &loop) {
// CHECK-FIXES-NEXT: {{^}}  untangle::to_promise<std::error_code, std::string>([&](auto untangle_cb) {
// CHECK-FIXES-NEXT: {{^}}    deferred_read(loop, "a", std::move(untangle_cb));
// CHECK-FIXES-NEXT: {{^}}  })
// CHECK-FIXES-NEXT: {{^}}      .then([&loop](const auto &untangle_r) {
// CHECK-FIXES-NEXT: {{^}}        auto [ec, text] = untangle_r;
// CHECK-FIXES-NEXT: {{^}}        if (ec)
// CHECK-FIXES-NEXT: {{^}}          return untangle::Promise<std::tuple<std::decay_t<std::error_code>,
// CHECK-FIXES-NEXT: {{^}}                                              std::decay_t<std::string>>>::
// CHECK-FIXES-NEXT: {{^}}              rejected(std::make_exception_ptr(untangle::broken_promise()));
// CHECK-FIXES-NEXT: {{^}}        return untangle::to_promise<std::error_code, std::string>(
// CHECK-FIXES-NEXT: {{^}}            [&](auto untangle_cb) {
// CHECK-FIXES-NEXT: {{^}}              deferred_read(loop, text, std::move(untangle_cb));
// CHECK-FIXES-NEXT: {{^}}            });
// CHECK-FIXES-NEXT: {{^}}      })
// CHECK-FIXES-NEXT: {{^}}      .then([](const auto &untangle_r) {
// CHECK-FIXES-NEXT: {{^}}        auto [ec, again] = untangle_r;
// CHECK-FIXES-NEXT: {{^}}      })
// CHECK-FIXES-NEXT: {{^}}      .catch_([](std::exception_ptr untangle_e) {
// CHECK-FIXES-NEXT: {{^}}        try {
// CHECK-FIXES-NEXT: {{^}}          std::rethrow_exception(untangle_e);
// CHECK-FIXES-NEXT: {{^}}        } catch (const untangle::broken_promise &) {
// CHECK-FIXES-NEXT: {{^}}        }
// CHECK-FIXES-NEXT: {{^}}      });
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES: {{^}}void unknown_api() {
// CHECK-FIXES-NEXT: {{^}}  read_file("a", [](std::error_code ec, std::string text) { parse(text, [](std::error_code, int) {}); });
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES: {{^}}void shared_state(untangle::EventLoop &loop) {
// CHECK-FIXES-NEXT: {{^}}  deferred_read(loop, "a", [&loop](std::error_code ec, std::string text) {
// CHECK-FIXES-NEXT: {{^}}    deferred_read(loop, "b", [text](std::error_code ec, std::string other) {});
// CHECK-FIXES-NEXT: {{^}}  });
// CHECK-FIXES-NEXT: {{^}}}
