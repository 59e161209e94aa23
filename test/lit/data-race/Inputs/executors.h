// Minimal stand-ins for the executors the data-race rule knows, so that the tests need
// no header beyond the standard library's.
#pragma once
#include <coroutine>
#include <utility>

namespace untangle {
struct ThreadPool {
  ~ThreadPool(); // runs the queued jobs, then joins its threads
  template <class F> void post(F &&f) {}
  auto schedule() noexcept {
    struct Awaiter {
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<>) {}
      void await_resume() const noexcept {}
    };
    return Awaiter{};
  }
};
struct EventLoop {
  template <class F> void post(F &&f) {}
  void run();
  auto schedule() noexcept { return ThreadPool().schedule(); }
};
struct WaitGroup {
  void add(int);
  void done();
  struct Wait {
    bool await_ready() const noexcept { return true; }
    void await_suspend(std::coroutine_handle<>) {}
    void await_resume() const noexcept {}
  };
  Wait wait();
};
struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
} // namespace untangle

namespace asio {
class io_context {
public:
  void run();
};
class thread_pool {
public:
  explicit thread_pool(int threads);
  void join();
};
template <class Executor, class F> void post(Executor &ex, F &&f) {}
} // namespace asio
