// untangle/detail/alt.hpp — the engine behind every channel wait and select: wait for the
// first of several cases (core.async's alts!). A plain `co_await ch.recv()` is an Alt of
// one case, so there is one implementation of parking, waking, timeouts and cancellation.
//
// How one wait goes:
//  1. If its token is already cancelled, it ends cancelled (cases untouched).
//  2. It locks the mutexes of all its channels (in address order, so two selects over the
//     same channels cannot deadlock) and tries the cases in a fresh random order — or in
//     argument order when prioritized. The first case that can complete does so; nothing
//     was queued, so nothing else can have happened. Else a default case wins, if present.
//  3. Otherwise it queues one node per channel case, still under all the locks — so no case
//     can become ready unseen in between — unlocks, arms its timeout and cancellation, and
//     suspends. From now on a peer completes a case only by winning Waiter::try_claim, so a
//     case that loses never consumes or drops a value.
//  4. After waking it unlinks its losing nodes, clears its timer and drops its cancellation
//     callback before the co_await returns: nothing of the wait outlives it.
//
// A channel case C provides, all but dequeue() called with C::mutex() held:
//   ChannelLock& mutex();
//   bool try_complete(Waiter*& peer);  // complete now if possible; may claim a peer to wake
//   void enqueue(Waiter&, int index);
//   void dequeue();                    // takes the mutex itself; harmless if unlinked
#pragma once

#include <algorithm>
#include <array>
#include <coroutine>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../cancellation.hpp"
#include "../loop.hpp"
#include "waiter.hpp"

namespace untangle::detail {

struct TimeoutCase {
  EventLoop::Clock::duration delay;
};
struct DefaultCase {};

template <class C>
inline constexpr bool is_timeout_case = std::is_same_v<C, TimeoutCase>;
template <class C>
inline constexpr bool is_default_case = std::is_same_v<C, DefaultCase>;
template <class C>
inline constexpr bool is_channel_case = !is_timeout_case<C> && !is_default_case<C>;

template <template <class> class Pred, class... Cs>
constexpr int index_where() {
  int i = 0, found = -1;
  ((found < 0 && Pred<Cs>::value ? found = i : 0, ++i), ...);
  return found;
}
template <class C>
struct IsTimeout : std::bool_constant<is_timeout_case<C>> {};
template <class C>
struct IsDefault : std::bool_constant<is_default_case<C>> {};

// Cancellable = false (a plain co_await ch.recv()) leaves out the token and its callback,
// which would otherwise be constructed, tested and destroyed on every channel operation.
template <bool Cancellable, class... Cases>
class Alt {
public:
  static constexpr int size = sizeof...(Cases);
  static constexpr int cancelled_index = size;
  static constexpr int timeout_index = index_where<IsTimeout, Cases...>();
  static constexpr int default_index = index_where<IsDefault, Cases...>();
  static constexpr std::size_t channel_count = (std::size_t{is_channel_case<Cases>} + ... + 0);
  static_assert(size > 0, "untangle: a select needs at least one case");
  static_assert((int{is_timeout_case<Cases>} + ... + 0) <= 1, "untangle: at most one timeout case");
  static_assert((int{is_default_case<Cases>} + ... + 0) <= 1, "untangle: at most one default case");

  Alt(bool prioritized, CancellationToken token, Cases... cases)
    requires Cancellable
      : cases_(std::move(cases)...), token_(std::move(token)), prioritized_(prioritized) {}
  explicit Alt(bool prioritized, Cases... cases)
    requires(!Cancellable)
      : cases_(std::move(cases)...), prioritized_(prioritized) {}
  Alt(const Alt&) = delete;
  Alt& operator=(const Alt&) = delete;
  // A coroutine destroyed while it waits (its frame freed by its owner) must not leave its
  // nodes in the channels.
  ~Alt() {
    if (enqueued_ && !finished_) {
      if constexpr (Cancellable) on_cancel_.reset();
      dequeue_all(std::make_index_sequence<size>{});
    }
  }

  template <std::size_t I>
  auto& get() noexcept {
    return std::get<I>(cases_);
  }
  int winner() const noexcept { return waiter_.winner.load(std::memory_order_relaxed); }

  // For await_ready: steps 1-2. True when done; when false, the channels stay locked for
  // suspend(), so nothing can change between looking and queueing.
  bool try_now() {
    if constexpr (Cancellable) {
      if (token_.cancelled()) {
        waiter_.winner.store(cancelled_index, std::memory_order_relaxed);
        return true;
      }
    }
    if constexpr (timeout_index >= 0) {
      timer_loop_ = EventLoop::running();
      if (!timer_loop_ || ThreadPool::current())
        throw std::logic_error("untangle: a select with a timeout case must run on an event loop");
    }
    locks_ = mutexes(std::make_index_sequence<size>{});
    if constexpr (channel_count > 1) std::sort(locks_.begin(), locks_.end());
    for (std::size_t i = 0; i < locks_.size(); ++i)
      if (i == 0 || locks_[i] != locks_[i - 1]) locks_[i]->lock();

    Waiter* peer = nullptr;
    int done = scan(peer);
    if (done < 0) done = default_index;
    if (done < 0) return false;
    waiter_.winner.store(done, std::memory_order_relaxed);
    unlock_all();
    if (peer) peer->wake();
    return true;
  }

  // For await_suspend after try_now() returned false: step 3. Returns the coroutine to run
  // next: a partner held by HandOff, or `h` itself when it was woken while registering.
  std::coroutine_handle<> suspend(std::coroutine_handle<> h) {
    waiter_.handle = h;
    waiter_.home.capture();
    if (!enqueue_and_park()) return transfer_to(h);
    return after_parking();
  }

  // For plain threads: waits, then finishes.
  void block() {
    BlockingSignal signal;
    waiter_.signal = &signal;
    if (!try_now() && enqueue_and_park()) signal.wait();
    finish();
  }

  // Step 4; throws operation_cancelled when cancellation won.
  void finish() {
    finished_ = true;
    if constexpr (Cancellable) on_cancel_.reset();
    if constexpr (timeout_index >= 0)
      if (timer_) timer_loop_->clear_timer(timer_);
    if constexpr (size > 1 || Cancellable)  // else the one case won
      if (enqueued_) dequeue_losers(std::make_index_sequence<size>{});
    if constexpr (Cancellable)
      if (winner() == cancelled_index) throw operation_cancelled();
  }

private:
  struct CancelFn {
    Waiter* waiter;
    void operator()() const {
      if (waiter->try_claim(cancelled_index)) waiter->wake();
    }
  };

  bool needs_handshake() const noexcept {
    if constexpr (Cancellable)
      return timeout_index >= 0 || token_.can_be_cancelled();
    else
      return timeout_index >= 0;
  }

  void unlock_all() noexcept {
    // A copy: once the first lock is released, a peer may complete and free this wait.
    std::array<ChannelLock*, channel_count> locks = locks_;
    for (std::size_t i = locks.size(); i-- > 0;)
      if (i == 0 || locks[i] != locks[i - 1]) locks[i]->unlock();
  }

  // Step 3 with the channels locked by try_now(); true when the caller must wait.
  bool enqueue_and_park() {
    // Without a timer or a token nothing is left to register after the unlock, so the
    // waiter is parked as of now and a waker resumes it directly — maybe on another thread
    // before unlock_all() even returns: from then on, this object is not ours to touch.
    if (!needs_handshake()) {
      if (channel_count == 1)
        waiter_.exclusive = true;
      else
        waiter_.parked.store(true, std::memory_order_relaxed);
      enqueue_all(std::make_index_sequence<size>{});
      enqueued_ = true;
      unlock_all();
      return true;
    }
    enqueue_all(std::make_index_sequence<size>{});
    enqueued_ = true;
    unlock_all();
    if constexpr (timeout_index >= 0) {
      Waiter* w = &waiter_;
      timer_ = timer_loop_->set_timeout(std::get<timeout_index>(cases_).delay, [w] {
        if (w->try_claim(timeout_index)) w->wake();
      });
    }
    if constexpr (Cancellable)
      if (token_.can_be_cancelled()) on_cancel_.emplace(token_, CancelFn{&waiter_});
    return waiter_.finish_parking();
  }

  int scan(Waiter*& peer) {
    std::array<int, size> order;
    for (int i = 0; i < size; ++i) order[i] = i;
    if (!prioritized_ && size > 1) {
      FastRandom& random = FastRandom::local();
      for (int i = size - 1; i > 0; --i)
        std::swap(order[i], order[random.below(static_cast<std::uint32_t>(i + 1))]);
    }
    for (int i : order)
      if (try_case(i, peer, std::make_index_sequence<size>{})) return i;
    return -1;
  }

  template <std::size_t... I>
  bool try_case(int i, Waiter*& peer, std::index_sequence<I...>) {
    bool done = false;
    (void)((static_cast<int>(I) == i ? (done = try_one<I>(peer), true) : false) || ...);
    return done;
  }
  template <std::size_t I>
  bool try_one(Waiter*& peer) {
    if constexpr (is_channel_case<std::tuple_element_t<I, std::tuple<Cases...>>>)
      return std::get<I>(cases_).try_complete(peer);
    else
      return false;
  }

  template <std::size_t... I>
  std::array<ChannelLock*, channel_count> mutexes(std::index_sequence<I...>) {
    std::array<ChannelLock*, channel_count> out{};
    std::size_t n = 0;
    (
        [&] {
          if constexpr (is_channel_case<std::tuple_element_t<I, std::tuple<Cases...>>>)
            out[n++] = &std::get<I>(cases_).mutex();
        }(),
        ...);
    return out;
  }

  template <std::size_t... I>
  void enqueue_all(std::index_sequence<I...>) {
    (
        [&] {
          if constexpr (is_channel_case<std::tuple_element_t<I, std::tuple<Cases...>>>)
            std::get<I>(cases_).enqueue(waiter_, static_cast<int>(I));
        }(),
        ...);
  }

  template <std::size_t... I>
  void dequeue_all(std::index_sequence<I...>) {
    (
        [&] {
          if constexpr (is_channel_case<std::tuple_element_t<I, std::tuple<Cases...>>>)
            std::get<I>(cases_).dequeue();
        }(),
        ...);
  }

  template <std::size_t... I>
  void dequeue_losers(std::index_sequence<I...>) {
    int won = winner();
    (
        [&] {
          if constexpr (is_channel_case<std::tuple_element_t<I, std::tuple<Cases...>>>)
            if (static_cast<int>(I) != won) std::get<I>(cases_).dequeue();
        }(),
        ...);
  }

  std::tuple<Cases...> cases_;
  std::array<ChannelLock*, channel_count> locks_{};
  Waiter waiter_;
  struct Nothing {};
  [[no_unique_address]] std::conditional_t<Cancellable, CancellationToken, Nothing> token_;
  [[no_unique_address]] std::conditional_t<Cancellable, std::optional<CancelCallback<CancelFn>>, Nothing> on_cancel_;
  EventLoop* timer_loop_ = nullptr;
  TimerId timer_{};
  bool prioritized_ = false;
  bool enqueued_ = false;
  bool finished_ = false;
};

}  // namespace untangle::detail
