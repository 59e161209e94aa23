// untangle/cancellation.hpp — CancellationSource / CancellationToken, on std::stop_source.
//
// Rules (each one is tested in test/runtime/cancellation_test.cpp):
//  1. `source.cancel()` is safe from any thread, returns true only for the call that
//     cancelled, and is harmless when repeated. Copies of a source or token share one state.
//  2. A wait that accepts a token — `sleep_for(d, token)`, `ch.send(v, token)`,
//     `ch.recv(token)`, `select(SelectOptions().cancel_with(token), ...)` — ends with
//     `operation_cancelled` thrown from its co_await when the token is cancelled while it
//     waits, or was cancelled before it began (then it does not even look at its cases).
//  3. A cancelled wait leaks nothing and consumes nothing: its channel nodes are unlinked,
//     its timer is cleared, a value it was sending stays with the sender. When the wait
//     completes and the cancellation race, exactly one of them wins.
//  4. A cancelled wait resumes where any untangle wait resumes: on the loop or pool it was
//     suspended on, as a posted job — never inside the `cancel()` call.
//  5. A default-constructed token can never be cancelled and costs nothing to pass.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

namespace untangle {

class operation_cancelled : public std::runtime_error {
public:
  operation_cancelled() : std::runtime_error("untangle: operation cancelled") {}
};

namespace detail {

// The shared state of a source and its tokens. (Not std::stop_source: with g++ 12 at -O2
// under ASan, inlining its constructor trips -Wmaybe-uninitialized inside libstdc++, which
// -Werror builds of user code cannot silence.)
class CancelState {
public:
  // One callback waiting for cancellation, linked while registered.
  struct Registration {
    Registration* prev = nullptr;
    Registration* next = nullptr;
    void (*run)(Registration&) = nullptr;
    void* context = nullptr;
    bool linked = false;
  };

  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }

  // Runs the callbacks on this thread, outside the lock, one at a time.
  bool cancel() {
    std::unique_lock lock(mutex_);
    if (cancelled_.load(std::memory_order_relaxed)) return false;
    cancelled_.store(true, std::memory_order_release);
    runner_ = std::this_thread::get_id();
    while (Registration* r = head_) {
      unlink(r);
      running_ = r;
      lock.unlock();
      r->run(*r);
      lock.lock();
      running_ = nullptr;
      finished_.notify_all();
    }
    return true;
  }

  // False when already cancelled: then `r` ran here and now.
  bool add(Registration& r) {
    {
      std::lock_guard lock(mutex_);
      if (!cancelled_.load(std::memory_order_relaxed)) {
        r.prev = tail_;
        r.next = nullptr;
        (tail_ ? tail_->next : head_) = &r;
        tail_ = &r;
        r.linked = true;
        return true;
      }
    }
    r.run(r);
    return false;
  }

  // After this returns, `r`'s callback is not running and never will: if another thread is
  // running it, this waits for the end (as std::stop_callback's destructor does).
  void remove(Registration& r) {
    std::unique_lock lock(mutex_);
    if (r.linked) return unlink(&r);
    if (runner_ != std::this_thread::get_id()) finished_.wait(lock, [&] { return running_ != &r; });
  }

private:
  void unlink(Registration* r) noexcept {
    (r->prev ? r->prev->next : head_) = r->next;
    (r->next ? r->next->prev : tail_) = r->prev;
    r->prev = r->next = nullptr;
    r->linked = false;
  }

  std::mutex mutex_;
  std::condition_variable finished_;
  std::atomic<bool> cancelled_{false};
  Registration* head_ = nullptr;
  Registration* tail_ = nullptr;
  Registration* running_ = nullptr;
  std::thread::id runner_;
};

}  // namespace detail

class CancellationToken {
public:
  CancellationToken() noexcept = default;
  bool cancelled() const noexcept { return state_ && state_->cancelled(); }
  bool can_be_cancelled() const noexcept { return state_ != nullptr; }
  // Throws operation_cancelled if cancelled: a check point for long computations.
  void throw_if_cancelled() const {
    if (cancelled()) throw operation_cancelled();
  }
  // Internal: for CancelCallback.
  detail::CancelState* state() const noexcept { return state_.get(); }

private:
  friend class CancellationSource;
  explicit CancellationToken(std::shared_ptr<detail::CancelState> s) noexcept : state_(std::move(s)) {}
  std::shared_ptr<detail::CancelState> state_;
};

class CancellationSource {
public:
  CancellationSource() : state_(std::make_shared<detail::CancelState>()) {}
  CancellationToken token() const noexcept { return CancellationToken(state_); }
  bool cancel() { return state_->cancel(); }
  bool cancelled() const noexcept { return state_->cancelled(); }

private:
  std::shared_ptr<detail::CancelState> state_;
};

namespace detail {

// Calls `f()` once when `token` is cancelled (at once, if it already is) until destroyed.
template <class F>
class CancelCallback {
public:
  CancelCallback(const CancellationToken& token, F f) : state_(token.state()), f_(std::move(f)) {
    reg_.context = this;
    reg_.run = [](CancelState::Registration& r) { static_cast<CancelCallback*>(r.context)->f_(); };
    if (state_) state_->add(reg_);
  }
  CancelCallback(const CancelCallback&) = delete;
  CancelCallback& operator=(const CancelCallback&) = delete;
  ~CancelCallback() {
    if (state_) state_->remove(reg_);
  }

private:
  CancelState::Registration reg_;
  CancelState* state_;
  F f_;
};

}  // namespace detail
}  // namespace untangle
