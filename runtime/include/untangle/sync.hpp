// untangle/sync.hpp — async locks: AsyncSemaphore, AsyncMutex, WaitGroup.
//
// They suspend the coroutine instead of blocking the thread, so a loop keeps running other
// work while one of its coroutines waits for a lock held by a coroutine on another thread.
//
// Rules (each one is tested in test/runtime/sync_test.cpp):
//  1. Fair: waiters are served first come, first served, and a release hands the permit (the
//     lock) straight to the first waiter — a newcomer cannot barge in ahead of it, since
//     acquire completes at once only when nobody is waiting.
//  2. `co_await m.lock()` yields a Guard that unlocks when destroyed (or by `unlock()`);
//     `try_lock()` yields an engaged optional<Guard> only when the lock was free.
//  3. WaitGroup (Go's sync.WaitGroup): `add(n)` before starting work, `done()` when one piece
//     ends, `co_await wg.wait()` resumes once the count is zero (at once if it is). A count
//     going negative throws std::logic_error from that add/done.
//  4. Everything is thread-safe; a woken coroutine resumes as channel.hpp rule 5 says, and
//     its loop's run() does not return while it waits.
#pragma once

#include <cstddef>
#include <coroutine>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include "detail/waiter.hpp"

namespace untangle {

class AsyncSemaphore {
public:
  explicit AsyncSemaphore(std::size_t permits) noexcept : permits_(permits) {}
  AsyncSemaphore(const AsyncSemaphore&) = delete;
  AsyncSemaphore& operator=(const AsyncSemaphore&) = delete;

  [[nodiscard]] auto acquire() noexcept {
    class Acquire : detail::Parking {
    public:
      explicit Acquire(AsyncSemaphore& s) noexcept : s_(s) {}
      // On false the lock stays held for await_suspend: nothing may change in between.
      bool await_ready() {
        s_.lock_.lock();
        if (!s_.take_locked()) return false;
        s_.lock_.unlock();
        return true;
      }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) { return park(h, s_.waiters_, s_.lock_); }
      void await_resume() const noexcept {}

    private:
      AsyncSemaphore& s_;
    };
    return Acquire(*this);
  }

  bool try_acquire() noexcept {
    std::lock_guard lock(lock_);
    return take_locked();
  }

  void release(std::size_t n = 1) {
    detail::WaitList woken;
    {
      std::lock_guard lock(lock_);
      for (; n > 0; --n) {
        detail::WaitNode* w = waiters_.claim_front();
        if (!w) break;
        woken.push_back(w);
      }
      permits_ += n;
    }
    detail::wake_claimed(woken);
  }

  std::size_t available() {
    std::lock_guard lock(lock_);
    return permits_;
  }

private:
  bool take_locked() noexcept {
    if (permits_ == 0 || !waiters_.empty()) return false;
    --permits_;
    return true;
  }

  detail::SpinLock lock_;
  detail::WaitList waiters_;
  std::size_t permits_;
};

class AsyncMutex {
public:
  class Guard {
  public:
    Guard() noexcept = default;
    explicit Guard(AsyncMutex& m) noexcept : m_(&m) {}
    Guard(Guard&& o) noexcept : m_(std::exchange(o.m_, nullptr)) {}
    Guard& operator=(Guard&& o) noexcept {
      if (this != &o) {
        unlock();
        m_ = std::exchange(o.m_, nullptr);
      }
      return *this;
    }
    ~Guard() { unlock(); }
    void unlock() {
      if (m_) std::exchange(m_, nullptr)->sem_.release();
    }
    bool owns_lock() const noexcept { return m_ != nullptr; }

  private:
    AsyncMutex* m_ = nullptr;
  };

  [[nodiscard]] auto lock() noexcept {
    struct Lock {
      AsyncMutex& m;
      decltype(std::declval<AsyncSemaphore&>().acquire()) inner;
      bool await_ready() { return inner.await_ready(); }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) { return inner.await_suspend(h); }
      Guard await_resume() const noexcept { return Guard(m); }
    };
    return Lock{*this, sem_.acquire()};
  }

  std::optional<Guard> try_lock() noexcept {
    if (!sem_.try_acquire()) return std::nullopt;
    return std::optional<Guard>(std::in_place, *this);
  }

private:
  AsyncSemaphore sem_{1};
};

class WaitGroup {
public:
  WaitGroup() = default;
  WaitGroup(const WaitGroup&) = delete;
  WaitGroup& operator=(const WaitGroup&) = delete;

  void add(long n) {
    detail::WaitList woken;
    {
      std::lock_guard lock(lock_);
      if (n < 0 && static_cast<unsigned long>(-n) > count_)
        throw std::logic_error("untangle: WaitGroup counter went negative");
      count_ = static_cast<std::size_t>(static_cast<long>(count_) + n);
      if (count_ == 0)
        while (detail::WaitNode* w = waiters_.claim_front()) woken.push_back(w);
    }
    detail::wake_claimed(woken);
  }
  void done() { add(-1); }

  std::size_t count() {
    std::lock_guard lock(lock_);
    return count_;
  }

  [[nodiscard]] auto wait() noexcept {
    class Wait : detail::Parking {
    public:
      explicit Wait(WaitGroup& g) noexcept : g_(g) {}
      bool await_ready() {
        g_.lock_.lock();
        if (g_.count_ != 0) return false;  // stays locked for await_suspend
        g_.lock_.unlock();
        return true;
      }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) { return park(h, g_.waiters_, g_.lock_); }
      void await_resume() const noexcept {}

    private:
      WaitGroup& g_;
    };
    return Wait(*this);
  }

private:
  detail::SpinLock lock_;
  detail::WaitList waiters_;
  std::size_t count_ = 0;
};

}  // namespace untangle
