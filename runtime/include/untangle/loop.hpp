// untangle/loop.hpp — EventLoop: one thread's run loop in the JavaScript model.
//
// Concurrency, not parallelism: everything posted to one loop runs on the thread that runs
// it, one callback at a time, so callbacks of one loop never race with each other.
//
// Ordering rules (each one is tested in test/runtime/loop_test.cpp):
//  1. Macrotasks (`post`) run in FIFO order. Each turn of the loop runs the macrotasks that
//     were queued when the turn began; the ones they post run in a later turn, after the
//     timers and fd callbacks that became due in between.
//  2. Microtasks (`queue_microtask`) drain completely after each macrotask, each timer
//     callback and each fd callback, before the next of any of those runs. A microtask queued
//     by a microtask runs in the same drain.
//  3. Timers fire in deadline order; timers with equal deadlines fire in the order they were
//     set. A timer never fires before its duration has passed since `set_timeout` was called.
//     `set_interval` re-arms after each call, `interval` after the previous deadline (never
//     in a burst to catch up). A cleared timer never fires again, also when it is cleared by
//     a callback of the same turn.
//  4. `post` and `queue_microtask` are safe from any thread; from another thread they wake a
//     sleeping loop, and posts from one thread keep their order. Microtasks queued from
//     outside the running loop (another thread, or this one before `run()`, like the
//     microtasks of a JavaScript program's initial script) run at the start of the loop's
//     next turn, before its timers and macrotasks. Every other member function belongs to
//     the loop's thread. Cost: the thread running the loop posts without a lock or an
//     atomic, and so does the thread that created it, before `run()`, until another thread
//     first runs the loop (that run revokes it for good, detail/thread_bias.hpp); any other
//     post takes a lock. The cost of a post does not grow with the queue's depth
//     (detail/callback_queue.hpp); queue memory left pooled by a backlog is given back
//     when the loop goes to sleep.
//  5. `run()` returns when no macrotask, microtask, timer, fd watch or `KeepAlive` is left, or
//     at the next callback boundary after `stop()`. `stop()` before `run()` makes the next
//     `run()` return at once; queued work stays queued for the next `run()`.
//  6. An exception escaping a callback propagates out of `run()`; the loop stays valid and a
//     later `run()` continues with the rest of the queue.
//  7. Destroying the loop destroys, without running them, every callback still queued (a
//     destroyed completion callback resumes its awaiter with `broken_promise`). Posting from
//     such a destructor, while the loop is being destroyed, destroys the posted callable too.
//     The destructor then waits until every `KeepAlive` of the loop held elsewhere is
//     released (a thread-pool job that came from this loop finishes first; what it posts
//     back is destroyed unrun), as `sync_wait` may return while such a job is still ending.
//     A post or keep-alive release from another thread never touches the loop once it can
//     be destroyed: the wake-up happens before the posted work becomes runnable, and the
//     destructor waits for a release that is still waking the loop. A KeepAlive kept past
//     the loop's life (misuse, like a coroutine from this loop parked on a pool by a wait
//     that nobody will complete) makes the destructor wait; after 5 s it says so on stderr.
//
// `EventLoop::current()` is the loop running on this thread; when none is running, the most
// recently created loop of this thread that is still alive (so promise chains can be built
// before `run()`); nullptr if there is none.
#pragma once

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "detail/callback.hpp"
#include "detail/callback_queue.hpp"
#include "detail/resume.hpp"
#include "detail/timer_heap.hpp"
#include "detail/thread_bias.hpp"
#include "errors.hpp"

namespace untangle {

// Identifies one timer of one loop; a default-constructed id names no timer.
struct TimerId {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;  // 0 never names a live timer
  explicit operator bool() const noexcept { return generation != 0; }
  friend bool operator==(TimerId, TimerId) = default;
};

class EventLoop {
public:
  using Clock = std::chrono::steady_clock;

  EventLoop() {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) throw std::system_error(errno, std::generic_category(), "untangle: epoll_create1");
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd_ < 0) {
      ::close(epoll_fd_);
      throw std::system_error(errno, std::generic_category(), "untangle: eventfd");
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = wake_fd_;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
    std::lock_guard lock(registry_mutex());
    registry().push_back(this);
    // Rule 4: until another thread runs this loop, its creator posts without atomics.
    idle_owner_.grant(detail::thread_tag());
  }

  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  ~EventLoop() {
    {
      std::lock_guard lock(registry_mutex());
      auto& loops = registry();
      loops.erase(std::find(loops.begin(), loops.end(), this));
    }
    {
      // Under the lock, so a post that takes it after this sees closing_ (post_remote).
      std::lock_guard lock(remote_lock_);
      closing_.store(true);
    }
    destroy_queued();
    // Queued callbacks may hold keep-alives of this loop, so they go first; then the ones
    // held elsewhere (rule 7). Whatever those holders post meanwhile is dropped by post().
    wait_for_keep_alives();
    ::close(wake_fd_);
    ::close(epoll_fd_);
  }

  static EventLoop* current() noexcept {
    if (running_here_) return running_here_;
    std::lock_guard lock(registry_mutex());
    auto me = std::this_thread::get_id();
    auto& loops = registry();
    for (auto it = loops.rbegin(); it != loops.rend(); ++it)
      if ((*it)->creator_ == me) return *it;
    return nullptr;
  }

  // Spare queue memory kept for reuse (rule 4; for tests and diagnostics). Loop's thread.
  std::size_t pooled_queue_bytes() const noexcept {
    return macrotasks_.pooled_bytes() + microtasks_.pooled_bytes();
  }

  // The loop whose run() is executing on this thread, or nullptr (never takes a lock).
  static EventLoop* running() noexcept { return running_here_; }

  // True when called on the thread that may touch the loop's queues: the one running it, or,
  // while nobody runs it, the one that created it.
  bool on_loop_thread() const noexcept {
    if (running_here_ == this) return true;
    return !running_.load(std::memory_order_acquire) && creator_ == std::this_thread::get_id();
  }

  // ---- queues -----------------------------------------------------------------------------

  template <class F>
  void post(F&& f) {
    push(&EventLoop::macrotasks_, &EventLoop::remote_, std::forward<F>(f));
  }

  template <class F>
  void queue_microtask(F&& f) {
    push(&EventLoop::microtasks_, &EventLoop::remote_microtasks_, std::forward<F>(f));
  }

  template <class F>
  TimerId set_timeout(Clock::duration delay, F&& f) {
    return add_timer(delay, Clock::duration::zero(), detail::Callback(std::forward<F>(f)));
  }

  // The first call comes `interval` after now, then every `interval`; a zero or negative
  // interval is treated as 1 ms, as browsers do, so an interval can never starve the loop.
  template <class F>
  TimerId set_interval(Clock::duration interval, F&& f) {
    if (interval <= Clock::duration::zero()) interval = std::chrono::milliseconds(1);
    return add_timer(interval, interval, detail::Callback(std::forward<F>(f)));
  }

  // Returns true if the timer was live. Clearing an unknown, fired or cleared id is harmless.
  bool clear_timer(TimerId id) noexcept {
    if (!id || id.slot >= timer_slots_.size()) return false;
    TimerSlot& slot = timer_slots_[id.slot];
    if (slot.generation != id.generation || !slot.armed) return false;
    release_timer_slot(id.slot);
    return true;
  }

  // ---- fd readiness (level-triggered, multi-shot until unwatch) ----------------------------

  template <class F>
  void watch_readable(int fd, F&& f) {
    set_watch(fd, EPOLLIN, detail::Callback(std::forward<F>(f)));
  }
  template <class F>
  void watch_writable(int fd, F&& f) {
    set_watch(fd, EPOLLOUT, detail::Callback(std::forward<F>(f)));
  }
  // Stops both watches of fd. Safe from inside the fd's own callback; harmless if unwatched.
  void unwatch(int fd) noexcept {
    auto it = watches_.find(fd);
    if (it == watches_.end()) return;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    watches_.erase(it);
  }

  // ---- running ----------------------------------------------------------------------------

  void run() { run_until([] { return false; }); }

  // Thread-safe. See rule 5.
  void stop() noexcept {
    // Under the lock, like a post: the loop may return and be destroyed once it sees the flag.
    std::lock_guard lock(remote_lock_);
    stop_requested_.store(true);
    wake();
  }

  // Keeps `run()` from returning while work that will come back to this loop is elsewhere
  // (a coroutine on a thread pool, a pending cross-thread post). Copyable, thread-safe.
  class KeepAlive {
  public:
    KeepAlive() noexcept = default;
    explicit KeepAlive(EventLoop& loop) noexcept : loop_(&loop) {
      loop.keep_alive_state_.fetch_add(one_holder);
    }
    KeepAlive(const KeepAlive& other) noexcept : KeepAlive() {
      if (other.loop_) *this = KeepAlive(*other.loop_);
    }
    KeepAlive(KeepAlive&& other) noexcept : loop_(std::exchange(other.loop_, nullptr)) {}
    KeepAlive& operator=(KeepAlive other) noexcept {
      std::swap(loop_, other.loop_);
      return *this;
    }
    ~KeepAlive() {
      if (loop_) loop_->release_keep_alive();
    }
    EventLoop* loop() const noexcept { return loop_; }

  private:
    EventLoop* loop_ = nullptr;
  };
  KeepAlive keep_alive() noexcept { return KeepAlive(*this); }

  // A KeepAlive without atomics, for work that both starts and ends on the loop's thread
  // (a coroutine parked on a channel is always resumed by a job of its own loop).
  void retain_local() noexcept { ++local_keep_alive_; }
  void release_local() noexcept { --local_keep_alive_; }

  // `co_await loop.schedule()` continues the coroutine as a macrotask of this loop, from
  // whichever thread it was on.
  auto schedule() noexcept {
    struct Awaiter {
      EventLoop* loop;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) {
        loop->post([h] { detail::resume(h); });
      }
      void await_resume() const noexcept {}
    };
    return Awaiter{this};
  }

  // Runs turns until `done()` holds (checked at callback boundaries) or nothing is left;
  // returns done(). The engine of `run()` and `sync_wait`.
  template <class Done>
  bool run_until(Done&& done) {
    RunningScope scope(*this);
    while (!done()) {
      // A plain load first: the locked exchange costs more than the rest of an idle turn.
      if (stop_requested_.load(std::memory_order_relaxed) && stop_requested_.exchange(false)) return done();
      if (remote_pending_.load(std::memory_order_acquire)) take_remote();
      // Microtasks queued from outside the running loop run first (rule 4).
      drain_microtasks();
      now_is_stale_ = true;
      if (!timer_heap_.empty()) {
        run_due_timers(done);
        if (done()) break;
      }
      // Only what was queued when the turn began (rule 1), so timers and I/O get their turn
      // even while callbacks keep posting.
      for (std::size_t n = macrotasks_.size(); n > 0 && !done(); --n) {
        macrotasks_.run_front();
        drain_microtasks();
        if (stop_requested_.load(std::memory_order_relaxed)) break;
      }
      if (done()) break;
      if (stop_requested_.load(std::memory_order_relaxed)) continue;
      bool more_now = !macrotasks_.empty() || !microtasks_.empty();
      if (!more_now && !has_pending_work()) return done();
      if (more_now && watches_.empty()) continue;  // nothing to poll: skip the syscall
      poll_io(more_now);
    }
    return true;
  }

private:
  struct TimerSlot {
    detail::Callback callback;
    Clock::duration interval{};
    std::uint32_t generation = 1;
    bool armed = false;
  };
  using TimerEntry = detail::TimerEntry;
  struct Watch {
    detail::Callback on_readable, on_writable;
    std::uint32_t events = 0;
    std::uint64_t generation = 0;
  };

  struct RunningScope {
    EventLoop& loop;
    EventLoop* previous;
    explicit RunningScope(EventLoop& l) : loop(l), previous(running_here_) {
      if (l.running_.exchange(true))
        throw std::logic_error("untangle: EventLoop::run() called while the loop is already running");
      // Another thread runs it: the creator's lock-free posting ends for good, and what it
      // posted so far happened-before this (rule 4).
      if (!l.idle_owner_.held_here()) l.idle_owner_.revoke();
      running_here_ = &l;
    }
    ~RunningScope() {
      running_here_ = previous;
      loop.running_.store(false, std::memory_order_release);
    }
  };

  static std::mutex& registry_mutex() {
    static std::mutex m;
    return m;
  }

  // keep_alive_state_ counts holders (in units of one_holder) and, in the low bits, the
  // releases still waking the loop: a release turns its hold into an in-flight mark in one
  // step, so the destructor, which waits for zero, cannot free the loop under its wake().
  static constexpr std::uint64_t one_holder = std::uint64_t{1} << 32;

  bool has_keep_alive_holders() const noexcept { return keep_alive_state_.load() >= one_holder; }

  void release_keep_alive() noexcept {
    std::uint64_t before = keep_alive_state_.fetch_sub(one_holder - 1);
    if (before < 2 * one_holder) wake();  // that was the last holder: run() may return now
    keep_alive_state_.fetch_sub(1);       // the last touch of the loop
  }

  static constexpr int keep_alive_report_after_ms = 5000;

  void wait_for_keep_alives() noexcept {
    bool reported = false;
    while (std::uint64_t state = keep_alive_state_.load()) {
      if (state < one_holder) {  // only a release finishing its wake(): a few instructions
        std::this_thread::yield();
        continue;
      }
      // Sleep on the wake-up fd with the same handshake as poll_io, so the last release's
      // wake() is never lost. poll(), not epoll: the epoll set may still report user fds.
      sleeping_.store(true);
      if (has_keep_alive_holders()) {
        pollfd wait_for{wake_fd_, POLLIN, 0};
        int ready = ::poll(&wait_for, 1, reported ? -1 : keep_alive_report_after_ms);
        if (ready > 0) {
          std::uint64_t count;
          [[maybe_unused]] auto r = ::read(wake_fd_, &count, sizeof count);
        } else if (ready == 0) {
          // A hold that never ends (a KeepAlive kept past the loop's life) would hang here
          // in silence; say so once.
          reported = true;
          detail::report("an EventLoop is being destroyed while a KeepAlive of it is still held",
                         "waiting for its release (loop.hpp rule 7)");
        }
      }
      sleeping_.store(false);
    }
  }

  // Destroying a callback can resume a coroutine (broken_promise) that queues more work,
  // so repeat until every queue stays empty.
  void destroy_queued() noexcept {
    for (bool again = true; again;) {
      again = false;
      {
        std::lock_guard lock(remote_lock_);
        macrotasks_.splice(remote_);
        microtasks_.splice(remote_microtasks_);
      }
      again |= !macrotasks_.empty() || !microtasks_.empty();
      macrotasks_.clear();
      microtasks_.clear();
      for (auto& slot : timer_slots_) {
        if (slot.callback) again = true;
        slot.callback.reset();
      }
      auto watches = std::move(watches_);
      watches_.clear();
      again |= !watches.empty();
    }
  }

  static std::vector<EventLoop*>& registry() {
    static std::vector<EventLoop*> loops;
    return loops;
  }

  using Queue = detail::CallbackQueue EventLoop::*;

  // The loop's own thread needs no lock: while it runs the loop, or, before another thread
  // ever ran it, the thread that created it (rule 4: the program posts its work, then calls
  // run()). Everything else goes through the locked queue and wakes the loop.
  template <class F>
  void push(Queue local, Queue remote, F&& f) {
    if (running_here_ == this) [[likely]] {
      (this->*local).push(std::forward<F>(f));
    } else if (idle_owner_.try_enter()) {
      struct Leave {
        detail::ThreadBias& bias;
        ~Leave() { bias.leave(); }
      } leave{idle_owner_};
      (this->*local).push(std::forward<F>(f));
    } else {
      post_remote(remote, std::forward<F>(f));
    }
  }

  template <class F>
  void post_remote(Queue queue, F&& f) {
    std::unique_lock lock(remote_lock_);
    if (closing_.load()) {
      // Rule 7: the callable is destroyed, after the unlock (its destructor may post).
      lock.unlock();
      [[maybe_unused]] std::decay_t<F> dropped(std::forward<F>(f));
      return;
    }
    (this->*queue).push(std::forward<F>(f));
    // Only the post that makes the queue pending wakes the loop: while it is pending, the
    // loop has yet to take it, and that take (under this lock) takes f too. So a burst of
    // posts costs one wake-up, not a write(2) each.
    if (remote_pending_.load(std::memory_order_relaxed)) return;
    remote_pending_.store(true);
    // Still under the lock: once it is released, the loop may take f, run it, return from
    // run() and be destroyed, so the poster must be done with the loop by then (rule 7).
    wake();
  }

  void take_remote() {
    std::lock_guard lock(remote_lock_);
    // O(1) per queue: the posters' chains of blocks change hands; spare blocks go back
    // the other way, so steady cross-thread posting stops allocating.
    std::size_t blocks = remote_.chain_blocks() + remote_microtasks_.chain_blocks();
    macrotasks_.splice(remote_);
    microtasks_.splice(remote_microtasks_);
    macrotasks_.give_spare_blocks(remote_, blocks);
    remote_pending_.store(false);
  }

  // Dekker-style handshake with `poll_io`: the poster publishes its work before reading
  // `sleeping_`, the loop publishes `sleeping_` before re-checking for work, so at least one
  // of them sees the other and a wake-up is never lost.
  void wake() noexcept {
    // One write per sleep: the first waker clears the flag, the loop sets it again before
    // it next sleeps.
    if (sleeping_.load() && sleeping_.exchange(false)) {
      std::uint64_t one = 1;
      [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
    }
  }

  void drain_microtasks() {
    while (!microtasks_.empty()) microtasks_.run_front();
  }

  bool has_pending_work() const noexcept {
    return live_timers_ > 0 || !watches_.empty() || has_keep_alive_holders() ||
           local_keep_alive_ > 0 || remote_pending_.load();
  }

  // The loop time is read lazily: once per turn at most, and only when a timer needs it.
  std::int64_t now_ns() {
    if (now_is_stale_) {
      now_ = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
      now_is_stale_ = false;
    }
    return now_;
  }

  TimerId add_timer(Clock::duration delay, Clock::duration interval, detail::Callback f) {
    if (closing_.load(std::memory_order_relaxed)) return TimerId{};  // rule 7
    if (delay < Clock::duration::zero()) delay = Clock::duration::zero();
    // Rule 3 ("never early"): the cached loop time may be older than this call, so the
    // deadline is measured from a fresh reading of the clock.
    now_is_stale_ = true;
    std::uint32_t index;
    if (!free_timer_slots_.empty()) {
      index = free_timer_slots_.back();
      free_timer_slots_.pop_back();
    } else {
      index = static_cast<std::uint32_t>(timer_slots_.size());
      timer_slots_.emplace_back();
    }
    TimerSlot& slot = timer_slots_[index];
    slot.callback = std::move(f);
    slot.interval = interval;
    slot.armed = true;
    ++live_timers_;
    std::int64_t deadline = now_ns() + std::chrono::duration_cast<std::chrono::nanoseconds>(delay).count();
    timer_heap_.push(TimerEntry{deadline, next_sequence_++, index, slot.generation});
    return TimerId{index, slot.generation};
  }

  void release_timer_slot(std::uint32_t index) noexcept {
    TimerSlot& slot = timer_slots_[index];
    slot.callback.reset();
    slot.armed = false;
    if (++slot.generation == 0) slot.generation = 1;
    free_timer_slots_.push_back(index);
    --live_timers_;
    // The heap keeps entries of cleared timers until they surface; rebuild it when they
    // dominate, so set-and-clear patterns (debounce) cannot grow it without bound.
    if (timer_heap_.size() > 64 && timer_heap_.size() > 4 * live_timers_)
      timer_heap_.compact([this](const TimerEntry& e) { return entry_is_live(e); }, live_timers_);
  }

  bool entry_is_live(const TimerEntry& e) const noexcept {
    const TimerSlot& slot = timer_slots_[e.slot];
    return slot.armed && slot.generation == e.generation;
  }

  template <class Done>
  void run_due_timers(Done& done) {
    while (!timer_heap_.empty() && !done()) {
      const TimerEntry top = timer_heap_.top();
      if (!entry_is_live(top)) {
        timer_heap_.pop();
        continue;
      }
      if (top.deadline > now_ns()) break;
      timer_heap_.pop();
      TimerSlot& slot = timer_slots_[top.slot];
      if (slot.interval == Clock::duration::zero()) {
        detail::Callback f = std::move(slot.callback);
        release_timer_slot(top.slot);
        f();
      } else {
        // The callback runs outside its slot: it may set timers (growing the slot vector)
        // or clear itself; it goes back only if its slot was not released meanwhile.
        detail::Callback f = std::move(slot.callback);
        f();
        now_is_stale_ = true;  // the callback took time: re-arm from the clock, not the turn
        TimerSlot& after = timer_slots_[top.slot];
        if (after.armed && after.generation == top.generation) {
          after.callback = std::move(f);
          std::int64_t step = std::chrono::duration_cast<std::chrono::nanoseconds>(after.interval).count();
          std::int64_t next = std::max(top.deadline + step, now_ns());
          timer_heap_.push(TimerEntry{next, next_sequence_++, top.slot, top.generation});
        }
      }
      drain_microtasks();
      if (stop_requested_.load(std::memory_order_relaxed)) return;
    }
  }

  void set_watch(int fd, std::uint32_t event, detail::Callback f) {
    if (closing_.load(std::memory_order_relaxed)) return;  // rule 7
    auto [it, inserted] = watches_.try_emplace(fd);
    Watch& w = it->second;
    std::uint32_t events = w.events | event;
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    if (::epoll_ctl(epoll_fd_, inserted ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev) < 0) {
      int error = errno;
      if (inserted) watches_.erase(it);
      throw std::system_error(error, std::generic_category(), "untangle: cannot watch fd " + std::to_string(fd));
    }
    w.events = events;
    w.generation = ++watch_generation_;
    (event == EPOLLIN ? w.on_readable : w.on_writable) = std::move(f);
  }

  void poll_io(bool more_now) {
    int timeout_ms = 0;
    if (!more_now) {
      sleeping_.store(true);
      // Re-check after publishing `sleeping_` (see wake()).
      bool nothing_to_wait_for =
          !has_keep_alive_holders() && local_keep_alive_ == 0 && live_timers_ == 0 && watches_.empty();
      if (remote_pending_.load() || stop_requested_.load() || nothing_to_wait_for) {
        sleeping_.store(false);
        return;
      }
      timeout_ms = next_timeout_ms();
      // Going idle: give back the queue memory a past backlog left pooled (callback_queue.hpp).
      macrotasks_.trim(retained_queue_bytes);
      microtasks_.trim(retained_queue_bytes);
    }
    epoll_event events[64];
    int n = ::epoll_wait(epoll_fd_, events, 64, timeout_ms);
    sleeping_.store(false);
    if (n < 0) {
      if (errno == EINTR) return;
      throw std::system_error(errno, std::generic_category(), "untangle: epoll_wait");
    }
    now_is_stale_ = true;
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == wake_fd_) {
        std::uint64_t count;
        [[maybe_unused]] auto r = ::read(wake_fd_, &count, sizeof count);
        continue;
      }
      std::uint32_t got = events[i].events;
      // Errors and hang-ups wake both sides, so a reader sees EOF or the error from read().
      if (got & (EPOLLERR | EPOLLHUP)) got |= EPOLLIN | EPOLLOUT;
      if (got & EPOLLIN) dispatch_watch(fd, &Watch::on_readable);
      if (got & EPOLLOUT) dispatch_watch(fd, &Watch::on_writable);
    }
  }

  void dispatch_watch(int fd, detail::Callback Watch::*which) {
    auto it = watches_.find(fd);
    if (it == watches_.end() || !(it->second.*which)) return;
    std::uint64_t generation = it->second.generation;
    // Run outside the map: the callback may unwatch (destroying its entry) or add watches.
    detail::Callback f = std::move(it->second.*which);
    f();
    auto after = watches_.find(fd);
    if (after != watches_.end() && after->second.generation == generation && !(after->second.*which))
      after->second.*which = std::move(f);
    drain_microtasks();
  }

  int next_timeout_ms() {
    while (!timer_heap_.empty() && !entry_is_live(timer_heap_.top())) timer_heap_.pop();
    if (timer_heap_.empty()) return -1;
    now_is_stale_ = true;
    std::int64_t wait = timer_heap_.top().deadline - now_ns();
    if (wait <= 0) return 0;
    // Round up: waking early would only spin, waking late by <1 ms is what epoll offers.
    return static_cast<int>(std::min<std::int64_t>((wait + 999'999) / 1'000'000, 1 << 30));
  }

  static inline thread_local EventLoop* running_here_ = nullptr;

  detail::CallbackQueue macrotasks_;
  detail::CallbackQueue microtasks_;

  static constexpr std::size_t retained_queue_bytes = 1 << 20;

  std::mutex remote_lock_;
  detail::CallbackQueue remote_;  // guarded by remote_lock_, like remote_microtasks_
  detail::CallbackQueue remote_microtasks_;
  detail::ThreadBias idle_owner_;  // the creator, until another thread runs the loop
  std::atomic<bool> remote_pending_{false};
  std::atomic<bool> sleeping_{false};
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> running_{false};
  std::atomic<bool> closing_{false};
  std::atomic<std::uint64_t> keep_alive_state_{0};
  std::size_t local_keep_alive_ = 0;

  std::vector<TimerSlot> timer_slots_;
  std::vector<std::uint32_t> free_timer_slots_;
  detail::TimerHeap timer_heap_;
  std::size_t live_timers_ = 0;
  std::uint64_t next_sequence_ = 0;
  std::int64_t now_ = 0;
  bool now_is_stale_ = true;

  std::unordered_map<int, Watch> watches_;
  std::uint64_t watch_generation_ = 0;

  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::thread::id creator_ = std::this_thread::get_id();
};

}  // namespace untangle
