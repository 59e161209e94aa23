// Well-known asynchronous APIs (c) and the AsyncFunctions / SyncFunctions options (a).
// RUN: %check_untangle %s untangle-callback-nesting %t -- -- -I %inputs
// RUN: %check_untangle -check-suffix=OPTS %s untangle-callback-nesting %t \
// RUN:   -- --config="{CheckOptions: {untangle-callback-nesting.AsyncFunctions: '^legacy::.*;^Db::query$', untangle-callback-nesting.SyncFunctions: '^fetch$'}}" -- -I %inputs
#include "fake_async.h"
#include <future>

namespace asio {
struct io_context {};
template <class Executor> struct basic_stream_socket {
  template <class Buffer, class Token> void async_read_some(Buffer b, Token &&token) {}
};
template <class Executor, class Token> void post(Executor &ex, Token &&token) {}
template <class Stream, class Token> void async_write(Stream &s, int data, Token &&token) {}
} // namespace asio

namespace pplx {
template <class T> struct task {
  template <class F> task<int> then(F f) { return {}; }
};
} // namespace pplx

struct QTimer {
  template <class F> static void singleShot(int msec, F f) {}
};

namespace untangle {
struct EventLoop {
  template <class F> void post(F f) {}
  template <class F> void queue_microtask(F f) {}
};
} // namespace untangle

void asio_pyramid(asio::io_context &io, asio::basic_stream_socket<int> &socket) {
  asio::post(io, [&] {
    socket.async_read_some(1, [&](std::error_code, std::size_t) {
      asio::async_write(socket, 2, [&](std::error_code, std::size_t) {});
      // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: asynchronous callback nested 3 levels deep (maximum is 2) [untangle-callback-nesting]
      // CHECK-MESSAGES: :[[@LINE-4]]:3: note: level 1: callback of this asynchronous call to 'post'
      // CHECK-MESSAGES: :[[@LINE-4]]:12: note: level 2: callback of this asynchronous call to 'async_read_some'
      // CHECK-MESSAGES-OPTS: :[[@LINE-4]]:36: warning: asynchronous callback nested 3 levels deep
      // CHECK-MESSAGES-OPTS: :[[@LINE-7]]:3: note: level 1:
      // CHECK-MESSAGES-OPTS: :[[@LINE-7]]:12: note: level 2:
    });
  });
}

void std_async_pplx_qt_untangle(pplx::task<int> task, untangle::EventLoop &loop) {
  auto f = std::async(std::launch::async, [&] {
    task.then([&](int) {
      QTimer::singleShot(10, [&] {});
      // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: asynchronous callback nested 3 levels deep
      // CHECK-MESSAGES: :[[@LINE-4]]:12: note: level 1: callback of this asynchronous call to 'async'
      // CHECK-MESSAGES: :[[@LINE-4]]:10: note: level 2: callback of this asynchronous call to 'then'
      // CHECK-MESSAGES-OPTS: :[[@LINE-4]]:30: warning: asynchronous callback nested 3 levels deep
      // CHECK-MESSAGES-OPTS: :[[@LINE-7]]:12: note: level 1:
      // CHECK-MESSAGES-OPTS: :[[@LINE-7]]:10: note: level 2:
      return 0;
    });
  });
  loop.post([&] {
    loop.queue_microtask([&] {
      loop.post([] {});
      // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: asynchronous callback nested 3 levels deep
      // CHECK-MESSAGES: :[[@LINE-4]]:8: note: level 1: callback of this asynchronous call to 'post'
      // CHECK-MESSAGES: :[[@LINE-4]]:10: note: level 2: callback of this asynchronous call to 'queue_microtask'
      // CHECK-MESSAGES-OPTS: :[[@LINE-4]]:17: warning: asynchronous callback nested 3 levels deep
      // CHECK-MESSAGES-OPTS: :[[@LINE-7]]:8: note: level 1:
      // CHECK-MESSAGES-OPTS: :[[@LINE-7]]:10: note: level 2:
    });
  });
}

// Only asynchronous through the AsyncFunctions option.
namespace legacy {
void run_later(void (*fn)());
void defer_call(std::function<void()> fn);
} // namespace legacy
struct Db {
  void query(const char *sql, std::function<void(int)> fn);
};

void configured(Db &db) {
  legacy::defer_call([&] {
    db.query("select", [&](int) {
      legacy::run_later(+[] {});
      // CHECK-MESSAGES-OPTS: :[[@LINE-1]]:25: warning: asynchronous callback nested 3 levels deep
      // CHECK-MESSAGES-OPTS: :[[@LINE-4]]:3: note: level 1: callback of this asynchronous call to 'defer_call'
      // CHECK-MESSAGES-OPTS: :[[@LINE-4]]:8: note: level 2: callback of this asynchronous call to 'query'
    });
  });
}

// SyncFunctions overrides the completion-handler name heuristic.
void configured_sync(Loop &loop) {
  read_file("in", [&](std::error_code, std::string) {
    fetch("/", [&](std::string) {
      loop.post([] {});
      // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: asynchronous callback nested 3 levels deep
      // CHECK-MESSAGES: :[[@LINE-4]]:3: note: level 1:
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: level 2:
    });
  });
}
