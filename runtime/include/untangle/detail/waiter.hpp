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
#include <cstdlib>
#include <condition_variable>
#include <coroutine>
#include <cstdint>
#include <mutex>
#include <thread>
#include <utility>

#include "../loop.hpp"
#include "../thread_pool.hpp"
#include "resume.hpp"
#include "thread_bias.hpp"

namespace untangle::detail {

// Go's "runnext": a coroutine woken by another coroutine of its own loop is held here,
// and when the waker then parks (a ping-pong partner waiting for the answer) it transfers
// straight to it instead of going through the loop's queue. At most `budget` hand-offs
// happen in a row; then wakes go through the queue again, so timers and I/O get their turn.
// Whatever is still held when the current job ends is posted by a microtask.
class HandOff {
public:
  static constexpr int budget = 32;

  // True when `h` (whose home is `loop`) is now held, to run when the current job parks.
  static bool offer(EventLoop* loop, std::coroutine_handle<> h) {
    Slot& s = slot();
    if (EventLoop::running() != loop || s.handle || s.left == 0) return false;
    s.handle = h;
    s.loop = loop;
    --s.left;
    if (!s.flush_queued) {
      s.flush_queued = true;
      loop->queue_microtask(Flush{});
    }
    return true;
  }

  // The held coroutine, if it belongs to the loop running here; the caller transfers to it.
  static std::coroutine_handle<> take() noexcept {
    Slot& s = slot();
    if (!s.handle || EventLoop::running() != s.loop) return {};
    return std::exchange(s.handle, {});
  }

private:
  struct Slot {
    std::coroutine_handle<> handle;
    EventLoop* loop = nullptr;
    int left = budget;
    bool flush_queued = false;
  };
  static Slot& slot() noexcept {
    thread_local Slot s;
    return s;
  }
  // Ends a run of hand-offs. Destroyed unrun (its loop is being destroyed), it forgets the
  // held handle as the loop forgets its queued jobs (loop.hpp rule 7).
  struct Flush {
    bool armed = true;
    Flush() noexcept = default;
    Flush(Flush&& o) noexcept : armed(std::exchange(o.armed, false)) {}
    ~Flush() {
      if (armed) reset(slot());
    }
    void operator()() {
      armed = false;
      Slot& s = slot();
      std::coroutine_handle<> h = s.handle;
      EventLoop* loop = s.loop;
      reset(s);
      if (h) loop->post([h] { detail::resume(h); });
    }
    static void reset(Slot& s) noexcept { s = Slot{}; }
  };
};

class Home {
public:
  EventLoop* loop = nullptr;
  ThreadPool* pool = nullptr;

  Home() noexcept = default;
  Home(const Home&) = delete;
  Home& operator=(const Home&) = delete;
  ~Home() {
    if (retained_) loop->release_local();
  }

  // Records where the running coroutine lives. While parked, that loop must not consider
  // itself out of work, as the waker may be another thread (loop.hpp rule 5): a loop is
  // retained locally (its jobs resume the coroutine, so the release is on its thread too),
  // a pool passes on its inherited keep-alive (thread_pool.hpp rule 3).
  void capture() {
    if ((pool = ThreadPool::current())) {
      pool_keep_ = ThreadPool::ambient_keep_alive();
    } else if ((loop = EventLoop::current())) {
      loop->retain_local();
      retained_ = true;
    }
  }

  // True when a coroutine whose home this is may continue right here.
  bool is_here() const noexcept {
    if (pool) return ThreadPool::current() == pool;
    if (loop) return ThreadPool::current() == nullptr && loop->on_loop_thread();
    return true;
  }

  // The caller must not touch the suspended frame after this: it may already run elsewhere.
  // The hand-off to a partner of the same loop is the hot case (every ping-pong wake); the
  // rest stays out of line so that it does not cost the hot case its register spills.
  void resume(std::coroutine_handle<> h) {
    if (!pool && loop && HandOff::offer(loop, h)) [[likely]]
      return;
    resume_elsewhere(h);
  }

private:
  [[gnu::noinline]] void resume_elsewhere(std::coroutine_handle<> h) {
    if (pool)
      pool->post_resume(h, std::move(pool_keep_));
    else if (loop)
      loop->post([h] { detail::resume(h); });
    else
      detail::resume(h);
  }

  EventLoop::KeepAlive pool_keep_;
  bool retained_ = false;
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
  // Reachable by one claimer at a time only (one channel node, no timer, no token): claiming
  // and waking then need no atomic read-modify-write, which is most of a ping-pong's cost.
  bool exclusive = false;
  std::coroutine_handle<> handle;
  BlockingSignal* signal = nullptr;
  Home home;

  bool try_claim(int index) noexcept {
    if (exclusive) {
      winner.store(index, std::memory_order_relaxed);
      return true;
    }
    int open = -1;
    return winner.compare_exchange_strong(open, index, std::memory_order_acq_rel, std::memory_order_acquire);
  }

  // By the claimer, after releasing its locks.
  void wake() {
    if (!exclusive && !parked.exchange(true, std::memory_order_acq_rel)) return;  // it is still registering and will continue by itself
    if (signal)
      signal->notify();
    else
      home.resume(handle);
  }

  // By the waiter, as its last step of suspending: false when it was already claimed and
  // woken meanwhile, so it must not suspend.
  bool finish_parking() noexcept { return !parked.exchange(true, std::memory_order_acq_rel); }
};

// Guards a channel. Most channels are only ever used by the coroutines of one loop, and for
// them the SpinLock's atomic exchange is the largest single cost of an operation. So a
// channel becomes *owned* by a thread that used it `bias_after` times in a row with no other
// thread in between, and its owner then locks it with plain stores (a ThreadBias). The
// first lock from any other thread revokes the ownership, for good, before it enters.
class ChannelLock {
public:
  static constexpr int bias_after = 64;

  void lock() noexcept {
    if (bias_.try_enter()) [[likely]] {
      elided_ = true;
      return;
    }
    lock_slow(thread_tag());
  }
  void unlock() noexcept {
    if (elided_) {  // only ever true inside the owner's lock-free critical section
      elided_ = false;
      bias_.leave();
    } else {
      spin_.unlock();
    }
  }

  // For tests: whether this thread currently owns the channel (locks it without atomics),
  // and whether channels can be owned at all here (membarrier available).
  bool owned_here() const noexcept { return bias_.held_here(); }
  static bool ownership_supported() noexcept { return ThreadBias::supported(); }

private:
  [[gnu::noinline]] void lock_slow(std::uint64_t me) noexcept {
    spin_.lock();
    std::uint64_t owner = bias_.owner();
    if (owner == ThreadBias::revoked || owner == me) return;
    if (owner == ThreadBias::nobody) {
      if (streak_thread_ != me) {
        streak_thread_ = me;
        streak_ = 0;
      }
      // Granted under spin_: every later lock by another thread sees it and revokes.
      if (++streak_ == bias_after) bias_.grant(me);
      return;
    }
    bias_.revoke();
  }

  ThreadBias bias_;
  bool elided_ = false;  // this critical section is the owner's lock-free one
  SpinLock spin_;
  std::uint64_t streak_thread_ = 0;  // guarded by spin_
  int streak_ = 0;
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

// What a coroutine that just parked runs next: a partner held by HandOff, else nothing.
inline std::coroutine_handle<> after_parking() noexcept {
  if (std::coroutine_handle<> next = HandOff::take()) return transfer_to(next);
  return std::noop_coroutine();
}

// A coroutine waiting in one queue for one thing (a lock, a permit): the simple case of
// Alt, with no select, timer or token. `park` expects the queue's lock held and releases it.
struct Parking {
  Waiter waiter;
  WaitNode node;

  std::coroutine_handle<> park(std::coroutine_handle<> h, WaitList& queue, SpinLock& lock) {
    waiter.handle = h;
    waiter.home.capture();
    waiter.exclusive = true;
    node.waiter = &waiter;
    queue.push_back(&node);
    lock.unlock();
    return after_parking();
  }
};

// Wakes the waiters of nodes claimed under a lock, after it was released. Each node may be
// freed as soon as its waiter is woken, so its successor is read first.
inline void wake_claimed(WaitList& claimed) {
  for (WaitNode* n = claimed.front(); n;) {
    WaitNode* next = n->next;
    n->waiter->wake();
    n = next;
  }
}

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
