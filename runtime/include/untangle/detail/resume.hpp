// untangle/detail/resume.hpp — how the runtime resumes coroutines without growing the stack.
//
// Symmetric transfer (await_suspend returning the next handle) is a tail call only when the
// compiler emits one. clang does at every optimization level; g++ 12 does not at -O0 or
// under ASan/TSan, where a chain of a million nested co_awaits then overflows the stack
// (test/runtime/deep_chain.cpp shows both). There the runtime falls back to a trampoline:
// `transfer_to(h)` parks `h` and suspends, and the nearest `resume()` further up the stack
// resumes it in a loop. Every place in the runtime that starts or resumes a coroutine from
// ordinary code goes through `resume()`, so a parked handle always has a trampoline below it.
//
// Override the choice with -DUNTANGLE_SYMMETRIC_TRANSFER=0 or 1.
#pragma once

#include <coroutine>
#include <utility>

#ifndef UNTANGLE_SYMMETRIC_TRANSFER
#if defined(__clang__)
#define UNTANGLE_SYMMETRIC_TRANSFER 1
#elif defined(__GNUC__) && \
    (!defined(__OPTIMIZE__) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__))
#define UNTANGLE_SYMMETRIC_TRANSFER 0
#else
#define UNTANGLE_SYMMETRIC_TRANSFER 1
#endif
#endif

namespace untangle::detail {

#if UNTANGLE_SYMMETRIC_TRANSFER

inline std::coroutine_handle<> transfer_to(std::coroutine_handle<> next) noexcept { return next; }
inline void resume(std::coroutine_handle<> h) { h.resume(); }

#else

inline thread_local std::coroutine_handle<> parked_handle{};

inline std::coroutine_handle<> transfer_to(std::coroutine_handle<> next) noexcept {
  parked_handle = next;
  return std::noop_coroutine();
}

inline void resume(std::coroutine_handle<> h) {
  // Only one handle can be parked at a time: a handle is parked as the very last act of a
  // suspending coroutine, which returns straight here.
  h.resume();
  while (parked_handle) std::exchange(parked_handle, {}).resume();
}

#endif

}  // namespace untangle::detail
