// untangle/from_callback.hpp — the bridge from completion callbacks to coroutines and
// promises: from_callback<Args...>(initiator) and to_promise<Args...>(initiator).
//
// `initiator` is called with a completion callback whose parameters are `Args...`; it
// starts the operation and hands the callback to the callback-style API. The result is
// void for no Args, the value for one, std::tuple<std::decay_t<Args>...> for several, so
// `auto [ec, n] = co_await from_callback<std::error_code, std::size_t>(...)` keeps
// error-first code as it was.
//
// Rules (tested in test/runtime/from_callback_test.cpp, rule 8 in foreign_loop_test.cpp):
//  1. The awaiting coroutine resumes inside the callback's own invocation — no loop hop —
//     so it runs exactly when the callback body used to, relative to all other work.
//  2. A callback invoked synchronously, before the initiating call returns, works: the
//     coroutine continues without suspending.
//  3. The callback is copyable (APIs that take std::function store copies). It counts as
//     invoked when any copy is invoked; a second invocation (of any copy) never resumes
//     twice: it is reported on stderr and ignored.
//  4. When the last copy dies without any copy having been invoked, the awaiter resumes
//     with `broken_promise` thrown from the co_await (the promise rejects with it), instead
//     of leaking the frame.
//  5. If the initiator throws, the exception comes out of the co_await (the promise
//     rejects with it), and any later invocation of the callback is ignored silently.
//  6. If the awaiting coroutine is destroyed while suspended, a later invocation is
//     ignored (never resumes freed memory).
//  7. The callback may be invoked, copied or dropped on any thread; the coroutine then
//     resumes on that thread. to_promise's promise still settles on its home loop.
//  8. from_callback needs no untangle::EventLoop: the awaiter, the callback and the resumption
//     touch no loop (rules 1, 4, 7). A coroutine started with spawn() whose awaits are
//     from_callback over another library's API (task.hpp rule 6) therefore runs on that
//     library's loop alone — an Asio io_context, a libuv loop — resuming inside its callbacks
//     on the thread that runs them (a callback that completes there before the co_await has
//     suspended lets the awaiting thread continue instead, rule 2: a chain started from
//     another thread may take its first steps there). When that loop destroys a callback it
//     holds without calling it (the io_context destroyed with handlers pending, a libuv handle closed before
//     it fired, its owner deleting the callback), rule 4 applies right there, inside that
//     destructor or close callback. to_promise's continuations do need a loop, as every
//     promise's do (promise.hpp rule 7: one that exists when the promise settles).
//     Tests: ForeignLoop.AsioIoContextDrivesAChainOnItsOwnThreadWithoutAnEventLoop,
//     .AsioIoContextOnAnotherThreadResumesTheChainThere, .LibuvLoopDrivesAChainWithoutAnEventLoop,
//     .DestroyingTheIoContextResumesItsAwaitersWithBrokenPromise,
//     .ClosingALibuvHandleThatHoldsTheCallbackResumesWithBrokenPromise.
//
// Awaiting `from_callback(...)` calls the initiator at the co_await, not before; the
// awaitable is a one-shot: await it once, immediately.
#pragma once

#include <atomic>
#include <coroutine>
#include <exception>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "detail/resume.hpp"
#include "errors.hpp"
#include "promise.hpp"

namespace untangle {

namespace detail {

template <class... Args>
struct callback_result {
  using type = std::tuple<std::decay_t<Args>...>;
};
template <>
struct callback_result<> {
  using type = void;
};
template <class A>
struct callback_result<A> {
  using type = std::decay_t<A>;
};

// Shared by every copy of one completion callback and by the awaiter or resolver that waits.
template <class Result>
class CompletionControl {
public:
  enum class Phase : unsigned char { initiating, suspended, done, abandoned };

  CompletionControl() = default;
  CompletionControl(const CompletionControl&) = delete;
  CompletionControl& operator=(const CompletionControl&) = delete;
  virtual ~CompletionControl() = default;  // to_promise extends it with its resolver

  void add_ref() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
  void add_copy() noexcept {
    copies_.fetch_add(1, std::memory_order_relaxed);
    add_ref();
  }
  void drop_copy() {
    if (copies_.fetch_sub(1, std::memory_order_acq_rel) == 1 && !invoked_.exchange(true))
      complete_with(std::make_exception_ptr(broken_promise()));
    release();
  }

  template <class... A>
  void invoke(A&&... args) {
    if (invoked_.exchange(true)) {
      if (phase_.load() != Phase::abandoned)
        report("completion callback invoked more than once; the extra call is ignored");
      return;
    }
    try {
      if constexpr (!std::is_void_v<Result>) result_.emplace(std::forward<A>(args)...);
    } catch (...) {
      return complete_with(std::current_exception());
    }
    complete();
  }

  // ---- the waiting side ----
  std::optional<std::conditional_t<std::is_void_v<Result>, Unit, Result>> result_;
  std::exception_ptr error_;

  // For a coroutine: after the initiator returned, suspend unless already completed.
  bool suspend(std::coroutine_handle<> h) noexcept {
    waiter_ = h;
    Phase expected = Phase::initiating;
    return phase_.compare_exchange_strong(expected, Phase::suspended);
  }
  // The initiator threw, or the awaiter went away: ignore whatever comes later (rules 5, 6).
  void abandon() noexcept {
    invoked_.store(true);
    phase_.store(Phase::abandoned);
  }
  template <class F>
  void on_complete(F f) {
    deliver_ = std::move(f);
  }
  bool completed() const noexcept { return phase_.load() == Phase::done; }

private:
  void complete_with(std::exception_ptr e) {
    error_ = std::move(e);
    complete();
  }
  void complete() {
    if (deliver_) {
      phase_.store(Phase::done);
      return deliver_(*this);
    }
    // The coroutine case: whoever moves the phase last resumes — the initiating awaiter by
    // not suspending (rule 2), or this invocation (rule 1).
    Phase expected = Phase::initiating;
    if (phase_.compare_exchange_strong(expected, Phase::done)) return;
    if (expected == Phase::suspended) {
      phase_.store(Phase::done);
      resume(waiter_);
    }
  }

  std::atomic<int> refs_{1};
  std::atomic<int> copies_{0};
  std::atomic<bool> invoked_{false};
  std::atomic<Phase> phase_{Phase::initiating};
  std::coroutine_handle<> waiter_;
  void (*deliver_)(CompletionControl&) = nullptr;
};

}  // namespace detail

// The callback handed to the initiator. Callable with `Args...`; copyable.
template <class... Args>
class Completion {
public:
  using Result = typename detail::callback_result<Args...>::type;

  // An empty callback: invoking it does nothing.
  Completion() noexcept = default;
  // Internal: from_callback and to_promise make the first copy.
  explicit Completion(detail::CompletionControl<Result>* control) noexcept : control_(control) {
    if (control_) control_->add_copy();
  }
  Completion(const Completion& o) noexcept : control_(o.control_) {
    if (control_) control_->add_copy();
  }
  Completion(Completion&& o) noexcept : control_(std::exchange(o.control_, nullptr)) {}
  Completion& operator=(Completion o) noexcept {
    std::swap(control_, o.control_);
    return *this;
  }
  ~Completion() {
    if (control_) control_->drop_copy();
  }

  void operator()(Args... args) const {
    if (control_) control_->invoke(std::forward<Args>(args)...);
  }

private:
  detail::CompletionControl<Result>* control_ = nullptr;
};

namespace detail {

// Calls the initiator with a copy of a callback that this frame holds until it returns, so
// that the initiator's parameter dying (it took the callback by value and threw, or dropped
// it) cannot count as "the last copy died" before the initiator is done (rules 4 and 5).
template <class... Args, class Initiator, class Result>
void initiate(Initiator& initiator, CompletionControl<Result>* control) {
  Completion<Args...> held(control);
  try {
    initiator(Completion<Args...>(held));
  } catch (...) {
    if (!control->completed()) control->abandon();
    throw;
  }
}

template <class Initiator, class... Args>
class FromCallbackAwaiter {
public:
  using Result = typename callback_result<Args...>::type;

  explicit FromCallbackAwaiter(Initiator initiator) : initiator_(std::move(initiator)) {}
  FromCallbackAwaiter(FromCallbackAwaiter&& o) noexcept
      : initiator_(std::move(o.initiator_)), control_(std::exchange(o.control_, nullptr)) {}
  FromCallbackAwaiter& operator=(FromCallbackAwaiter&&) = delete;
  ~FromCallbackAwaiter() {
    if (!control_) return;
    if (!control_->completed()) control_->abandon();  // rule 6
    control_->release();
  }

  bool await_ready() const noexcept { return false; }

  bool await_suspend(std::coroutine_handle<> h) {
    control_ = new CompletionControl<Result>();
    initiate<Args...>(initiator_, control_);  // an exception propagates out of the co_await
    return control_->suspend(h);
  }

  Result await_resume() {
    if (control_->error_) std::rethrow_exception(control_->error_);
    if constexpr (!std::is_void_v<Result>) return std::move(*control_->result_);
  }

private:
  Initiator initiator_;
  CompletionControl<Result>* control_ = nullptr;
};

}  // namespace detail

template <class... Args, class Initiator>
  requires std::is_invocable_v<Initiator&, Completion<Args...>>
[[nodiscard]] auto from_callback(Initiator initiator) {
  return detail::FromCallbackAwaiter<Initiator, Args...>(std::move(initiator));
}

// Calls `initiator` now (like `new Promise(executor)`) and returns a promise of the result.
template <class... Args, class Initiator>
  requires std::is_invocable_v<Initiator&, Completion<Args...>>
auto to_promise(Initiator initiator) {
  using Result = typename detail::callback_result<Args...>::type;
  auto [promise, resolver] = make_promise<Result>();
  // The control block carries the resolver after it, in one allocation.
  struct Control : detail::CompletionControl<Result> {
    Resolver<Result> resolver;
  };
  auto* control = new Control();
  control->resolver = std::move(resolver);
  control->on_complete(+[](detail::CompletionControl<Result>& base) {
    auto& self = static_cast<Control&>(base);
    Resolver<Result> r = std::move(self.resolver);
    if (self.error_) return r.reject(self.error_);
    if constexpr (std::is_void_v<Result>)
      r.resolve();
    else
      r.resolve(std::move(*self.result_));
  });
  try {
    detail::initiate<Args...>(initiator, static_cast<detail::CompletionControl<Result>*>(control));
  } catch (...) {
    // Rule 5; the resolver is still there unless the callback ran before the throw.
    control->resolver.reject(std::current_exception());
  }
  control->release();
  return promise;
}

}  // namespace untangle
