// untangle/sleep.hpp — co_await sleep_for(d): suspends the coroutine for `d` on a timer of
// the current loop, resuming inside the timer's callback (timer ordering rules of loop.hpp
// apply). Throws std::logic_error when the thread has no loop. If the loop is destroyed
// first, the co_await throws broken_promise. The overload with a CancellationToken is at
// the end.
#pragma once

#include <stdexcept>

#include "cancellation.hpp"
#include "detail/alt.hpp"
#include "from_callback.hpp"
#include "loop.hpp"

namespace untangle {

[[nodiscard]] inline auto sleep_for(EventLoop::Clock::duration d) {
  EventLoop* loop = EventLoop::current();
  if (!loop) throw std::logic_error("untangle: sleep_for needs an event loop on this thread");
  return from_callback<>([loop, d](Completion<> wake) { loop->set_timeout(d, std::move(wake)); });
}

// The same, ending early with operation_cancelled when `token` is cancelled (the timer is
// cleared; see cancellation.hpp). It waits as select(timeout_case(d)) with that token does.
[[nodiscard]] inline auto sleep_for(EventLoop::Clock::duration d, CancellationToken token) {
  class Sleep {
  public:
    Sleep(EventLoop::Clock::duration d, CancellationToken t) : alt_(false, std::move(t), detail::TimeoutCase{d}) {}
    bool await_ready() { return alt_.try_now(); }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) { return alt_.suspend(h); }
    void await_resume() { alt_.finish(); }

  private:
    detail::Alt<true, detail::TimeoutCase> alt_;
  };
  return Sleep(d, std::move(token));
}

}  // namespace untangle
