// untangle/detail/waiter.hpp — the one way untangle's waits (channels, select, locks,
// when_all) park a coroutine or a thread and wake it again.
//
// A `Waiter` is one suspended coroutine (or blocked thread). It may wait on several things
// at once (the cases of a select, a timer, a cancellation); each of them that wants to
// complete it must first win `try_claim`, so exactly one does. The winner writes its result
// while it holds the lock of what it completed, then calls `wake()` after releasing every
// lock. `wake()` and the waiter's own last step of suspending race on `parked`: whichever
// comes second resumes, so a wake that arrives while the waiter is still registering never
// resumes it twice and is never lost.
//
// A coroutine resumes at its `Home`: the pool it was running on, else the current loop, else
// (a coroutine driven by no loop or pool) inline on the waking thread. Resuming at a loop or
// pool is always a posted job, never inline in the waker, so a sender never runs the
// receiver's code on its own stack and a busy pair of coroutines cannot starve timers.
#pragma once

#include <atomic>
#include <condition_variable>
#include <coroutine>
#include <cstdint>
#include <mutex>
#include <utility>

#include "../loop.hpp"
#include "../thread_pool.hpp"
#include "resume.hpp"

namespace untangle::detail {

struct Home {
  EventLoop* loop = nullptr;
  ThreadPool* pool = nullptr;
  // While parked, the loop must not consider itself out of work: the waker may be another
  // thread (loop.hpp rule 5). On a pool, the keep-alive inherited per thread_pool.hpp rule 3.
  EventLoop::KeepAlive keep;

  static Home here() {
    if (ThreadPool* p = ThreadPool::current()) return Home{nullptr, p, ThreadPool::ambient_keep_alive()};
    EventLoop* l = EventLoop::current();
    return Home{l, nullptr, l ? l->keep_alive() : EventLoop::KeepAlive{}};
  }

  // True when a coroutine whose home this is may continue right here.
  bool is_here() const noexcept {
    if (pool) return ThreadPool::current() == pool;
    if (loop) return ThreadPool::current() == nullptr && loop->on_loop_thread();
    return true;
  }

  // The caller must not touch the suspended frame after this: it may already run elsewhere.
  void resume(std::coroutine_handle<> h) {
    if (pool)
      pool->post_resume(h, std::move(keep));
    else if (loop)
      loop->post([h] { detail::resume(h); });
    else
      detail::resume(h);
  }
};

// A plain thread blocked in send_blocking / recv_blocking. The waker notifies while holding
// the mutex, so the blocked thread cannot return (and free this) before the waker is done.
class BlockingSignal {
public:
  void notify() {
    std::lock_guard lock(mutex_);
    set_ = true;
    cv_.notify_one();
  }
  void wait() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return set_; });
  }

private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool set_ = false;
};

struct Waiter {
  std::atomic<int> winner{-1};  // the index of the case that completed it; -1 while open
  std::atomic<bool> parked{false};
  std::coroutine_handle<> handle;
  BlockingSignal* signal = nullptr;
  Home home;

  bool try_claim(int index) noexcept {
    int open = -1;
    return winner.compare_exchange_strong(open, index, std::memory_order_acq_rel, std::memory_order_acquire);
  }

  // By the claimer, after releasing its locks.
  void wake() {
    if (!parked.exchange(true, std::memory_order_acq_rel)) return;  // still registering: it continues
    if (signal)
      signal->notify();
    else
      home.resume(handle);
  }

  // By the waiter, as its last step of suspending: false when it was already claimed and
  // woken meanwhile, so it must not suspend.
  bool finish_parking() noexcept { return !parked.exchange(true, std::memory_order_acq_rel); }
};

// One thing a Waiter waits for in one queue (a case of a select on one channel).
struct WaitNode {
  WaitNode* prev = nullptr;
  WaitNode* next = nullptr;
  Waiter* waiter = nullptr;
  void* slot = nullptr;  // where the completer reads or writes the value
  int index = 0;  // the case it stands for, as claimed in its Waiter
  bool linked = false;
  bool ok = false;  // the completer's verdict (send: delivered)
};

// An intrusive FIFO of nodes, guarded by its owner's lock.
class WaitList {
public:
  bool empty() const noexcept { return head_ == nullptr; }
  WaitNode* front() const noexcept { return head_; }

  void push_back(WaitNode* n) noexcept {
    n->prev = tail_;
    n->next = nullptr;
    (tail_ ? tail_->next : head_) = n;
    tail_ = n;
    n->linked = true;
  }

  void remove(WaitNode* n) noexcept {
    if (!n->linked) return;
    (n->prev ? n->prev->next : head_) = n->next;
    (n->next ? n->next->prev : tail_) = n->prev;
    n->prev = n->next = nullptr;
    n->linked = false;
  }

  // Unlinks nodes from the front until one whose waiter it can claim; nodes of waiters
  // completed by something else are dropped on the way. nullptr if none is left.
  WaitNode* claim_front() noexcept {
    while (WaitNode* n = head_) {
      remove(n);
      if (n->waiter->try_claim(n->index)) return n;
    }
    return nullptr;
  }

private:
  WaitNode* head_ = nullptr;
  WaitNode* tail_ = nullptr;
};

// Per-thread generator for fair choices (xoshiro256**). Seeded from a fixed constant and the
// order in which threads first use it, so single-threaded runs are reproducible.
class FastRandom {
public:
  static FastRandom& local() noexcept {
    static std::atomic<std::uint64_t> threads{0};
    thread_local FastRandom r(threads.fetch_add(1, std::memory_order_relaxed));
    return r;
  }
  explicit FastRandom(std::uint64_t seed) noexcept {
    std::uint64_t x = 0x9E3779B97F4A7C15ull ^ (seed * 0xD1B54A32D192ED03ull);
    for (auto& word : s_) {  // splitmix64
      x += 0x9E3779B97F4A7C15ull;
      std::uint64_t z = x;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      word = z ^ (z >> 31);
    }
  }
  std::uint64_t next() noexcept {
    std::uint64_t result = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) up to a bias of n / 2^32 (Lemire's multiply-shift).
  std::uint32_t below(std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32);
  }

private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace untangle::detail
