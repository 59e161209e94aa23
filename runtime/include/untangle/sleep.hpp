// untangle/sleep.hpp — co_await sleep_for(d): suspends the coroutine for `d` on a timer of
// the current loop, resuming inside the timer's callback (timer ordering rules of loop.hpp
// apply). Throws std::logic_error when the thread has no loop. If the loop is destroyed
// first, the co_await throws broken_promise.
#pragma once

#include <stdexcept>

#include "from_callback.hpp"
#include "loop.hpp"

namespace untangle {

[[nodiscard]] inline auto sleep_for(EventLoop::Clock::duration d) {
  EventLoop* loop = EventLoop::current();
  if (!loop) throw std::logic_error("untangle: sleep_for needs an event loop on this thread");
  return from_callback<>([loop, d](Completion<> wake) { loop->set_timeout(d, std::move(wake)); });
}

}  // namespace untangle
