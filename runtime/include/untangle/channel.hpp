// untangle/channel.hpp — Channel<T>: CSP channels, as in Go and Clojure's core.async.
//
// Rules (each one is tested in test/runtime/channel_test.cpp):
//  1. `Channel<T>()` is unbuffered: a send completes only when a receiver takes the value.
//     `Channel<T>(n)` buffers up to n values; a send then completes once its value is in the
//     buffer. Values come out in the order they went in (FIFO); waiting senders and waiting
//     receivers are served first come, first served.
//  2. `co_await ch.send(v)` yields true once delivered, false if the channel is closed; it
//     moves from `v` only when it delivers, so on false `v` still holds its value (handed
//     back, never dropped). `co_await ch.recv()` yields the value, or nullopt once the
//     channel is closed and drained.
//  3. `close()`: values already buffered are still delivered; waiting receivers get nullopt;
//     waiting and later senders get false with their value handed back. Only the first
//     close returns true; closing again is harmless.
//  4. `try_send` / `try_recv` never wait: they complete only what can complete now.
//     `send_blocking` / `recv_blocking` block a plain thread (not a loop's or pool's thread:
//     that would stall every coroutine on it).
//  5. Any operation may come from any thread, loop or pool. A coroutine is resumed on the
//     pool it was suspended on, else on its current loop, never inside the call that
//     completed its wait: that side carries on first. Woken by a coroutine of its own loop,
//     it runs as soon as that one waits in turn (a direct hand-off, at most 32 in a row
//     before the loop takes a turn, so timers and I/O are not starved); otherwise as a job
//     posted there. While it waits, its loop's run() does not return.
//  6. `ch.recv(token)` / `ch.send(v, token)`: see cancellation.hpp.
//  7. Channels are handles: copies share one channel, which lives as long as any copy.
//  8. Rule 5 holds whoever uses a channel, but the cost does not: a channel that only one
//     thread has used for 64 operations in a row becomes owned by that thread, which then
//     locks it with plain loads and stores instead of an atomic exchange. The first
//     operation from any other thread revokes that for good: it issues membarrier(2) (a
//     fence on every thread of the process, a few µs) and waits for the owner to leave its
//     critical section before entering (detail::ChannelLock says why that is safe). So
//     a channel shared between threads pays that once, a channel of one loop never.
//
// An awaitable returned by send/recv refers to the channel and to `v`: co_await it at once.
// T must be nothrow-move-constructible: a value in transit is never half moved.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "cancellation.hpp"
#include "detail/alt.hpp"
#include "detail/waiter.hpp"

namespace untangle {

namespace detail {

template <class T>
class ChannelState {
public:
  explicit ChannelState(std::size_t capacity) : ring_(capacity) {}

  ChannelLock mutex;
  WaitList receivers;  // non-empty only while the buffer is empty
  WaitList senders;  // non-empty only while the buffer is full

  // The `_locked` members need `mutex`. They complete what can complete now and may claim
  // one waiting peer, which the caller wakes after unlocking.
  bool try_recv_locked(std::optional<T>& out, Waiter*& peer) {
    if (count_ > 0) {
      out.emplace(pop());
      if (WaitNode* s = senders.claim_front()) {  // its value takes the freed slot
        push(std::move(*static_cast<T*>(s->slot)));
        s->ok = true;
        peer = s->waiter;
      }
      return true;
    }
    if (WaitNode* s = senders.claim_front()) {
      out.emplace(std::move(*static_cast<T*>(s->slot)));
      s->ok = true;
      peer = s->waiter;
      return true;
    }
    return closed_;  // closed and drained: out stays empty
  }

  bool try_send_locked(T& value, bool& delivered, Waiter*& peer) {
    delivered = false;
    if (closed_) return true;
    if (WaitNode* r = receivers.claim_front()) {
      static_cast<std::optional<T>*>(r->slot)->emplace(std::move(value));
      peer = r->waiter;
      delivered = true;
      return true;
    }
    if (count_ < ring_.size()) {
      push(std::move(value));
      delivered = true;
      return true;
    }
    return false;
  }

  bool close() {
    std::vector<Waiter*> woken;
    {
      std::lock_guard lock(mutex);
      if (closed_) return false;
      closed_ = true;
      while (WaitNode* r = receivers.claim_front()) woken.push_back(r->waiter);
      while (WaitNode* s = senders.claim_front()) {
        s->ok = false;
        woken.push_back(s->waiter);
      }
    }
    for (Waiter* w : woken) w->wake();
    return true;
  }

  bool closed() {
    std::lock_guard lock(mutex);
    return closed_;
  }
  std::size_t size() {
    std::lock_guard lock(mutex);
    return count_;
  }
  std::size_t capacity() const noexcept { return ring_.size(); }

private:
  T pop() {
    T out = std::move(*ring_[head_]);
    ring_[head_].reset();
    head_ = head_ + 1 == ring_.size() ? 0 : head_ + 1;
    --count_;
    return out;
  }
  void push(T&& v) {
    std::size_t tail = head_ + count_;
    if (tail >= ring_.size()) tail -= ring_.size();
    ring_[tail].emplace(std::move(v));
    ++count_;
  }

  std::vector<std::optional<T>> ring_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  bool closed_ = false;
};

// The receive case of a wait on one channel (select's recv_case, Channel::recv).
template <class T>
class RecvCase {
public:
  explicit RecvCase(ChannelState<T>& ch) noexcept : ch_(&ch) {}
  RecvCase(RecvCase&& o) noexcept : ch_(o.ch_) {}  // only before the wait began

  ChannelLock& mutex() noexcept { return ch_->mutex; }
  bool try_complete(Waiter*& peer) { return ch_->try_recv_locked(value_, peer); }
  void enqueue(Waiter& w, int index) noexcept {
    node_.waiter = &w;
    node_.index = index;
    node_.slot = &value_;
    ch_->receivers.push_back(&node_);
  }
  void dequeue() {
    std::lock_guard lock(ch_->mutex);
    ch_->receivers.remove(&node_);
  }
  std::optional<T> result() { return std::move(value_); }

private:
  ChannelState<T>* ch_;
  std::optional<T> value_;
  WaitNode node_;
};

// The send case: refers to the sender's object, and moves from it only on delivery.
template <class T>
class SendCase {
public:
  SendCase(ChannelState<T>& ch, T& value) noexcept : ch_(&ch), value_(&value) {}
  SendCase(SendCase&& o) noexcept : ch_(o.ch_), value_(o.value_) {}  // only before the wait began

  ChannelLock& mutex() noexcept { return ch_->mutex; }
  bool try_complete(Waiter*& peer) { return ch_->try_send_locked(*value_, node_.ok, peer); }
  void enqueue(Waiter& w, int index) noexcept {
    node_.waiter = &w;
    node_.index = index;
    node_.slot = value_;
    ch_->senders.push_back(&node_);
  }
  void dequeue() {
    std::lock_guard lock(ch_->mutex);
    ch_->senders.remove(&node_);
  }
  bool result() const noexcept { return node_.ok; }

private:
  ChannelState<T>* ch_;
  T* value_;
  WaitNode node_;
};

// `co_await` of a single-case Alt, yielding that case's result.
template <class Case, bool Cancellable = false>
class SingleWait {
public:
  explicit SingleWait(Case c)
    requires(!Cancellable)
      : alt_(false, std::move(c)) {}
  SingleWait(Case c, CancellationToken token)
    requires Cancellable
      : alt_(false, std::move(token), std::move(c)) {}
  bool await_ready() { return alt_.try_now(); }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) { return alt_.suspend(h); }
  auto await_resume() {
    alt_.finish();
    return alt_.template get<0>().result();
  }
  auto block() {
    alt_.block();
    return alt_.template get<0>().result();
  }

private:
  Alt<Cancellable, Case> alt_;
};

// A plain `co_await ch.recv()` / `ch.send(v)` and the blocking forms: one channel, no
// select, timer or token, so only a peer of this one channel (or close()) can complete it.
// It takes the steps of Alt's single-case wait (complete now under the lock, else queue
// under that same lock and park), without what only a select or a token needs: the lock
// array, the case order, the claim race, the losers to dequeue. That generality was a
// third of the instructions of an unbuffered ping-pong.
template <class T, bool IsRecv>
class SoloWait {
  using Slot = std::conditional_t<IsRecv, std::optional<T>, T*>;

public:
  explicit SoloWait(ChannelState<T>& ch) noexcept
    requires IsRecv
      : ch_(&ch) {}
  SoloWait(ChannelState<T>& ch, T& value) noexcept
    requires(!IsRecv)
      : ch_(&ch), slot_(&value) {}
  SoloWait(SoloWait&& o) noexcept : ch_(o.ch_), slot_(std::move(o.slot_)) {}  // only before the wait began
  SoloWait& operator=(SoloWait&&) = delete;
  // A coroutine destroyed while it waits (its frame freed by its owner) must not leave its
  // node in the channel.
  ~SoloWait() {
    if (waiting_) [[unlikely]]
      leave();
  }

  // On false the channel stays locked for await_suspend: nothing may change in between.
  bool await_ready() {
    ch_->mutex.lock();
    Waiter* peer = nullptr;
    bool done;
    if constexpr (IsRecv)
      done = ch_->try_recv_locked(slot_, peer);
    else
      done = ch_->try_send_locked(*slot_, sent_, peer);
    if (!done) return false;
    ch_->mutex.unlock();
    if (peer) peer->wake();
    return true;
  }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) {
    new (&record_) Record;
    record_.waiter.handle = h;
    record_.waiter.home.capture();
    park();
    return after_parking();
  }
  auto await_resume() noexcept {
    if (waiting_) done_waiting();
    return result();
  }
  auto block() {
    BlockingSignal signal;
    if (!await_ready()) {
      new (&record_) Record;
      record_.waiter.signal = &signal;
      park();
      signal.wait();
      done_waiting();
    }
    return result();
  }

private:
  // Built only when the operation has to wait: on a busy channel most operations complete
  // at once, and the record is most of the awaitable.
  struct Record {
    WaitNode node;
    Waiter waiter;
  };

  WaitList& queue() noexcept {
    if constexpr (IsRecv)
      return ch_->receivers;
    else
      return ch_->senders;
  }
  // With the channel locked by await_ready. Once unlocked, a peer may claim and wake the
  // waiter (maybe on another thread) before park() returns: nothing of this object may be
  // touched after the unlock.
  void park() noexcept {
    record_.waiter.exclusive = true;
    record_.node.waiter = &record_.waiter;
    if constexpr (IsRecv)
      record_.node.slot = &slot_;
    else
      record_.node.slot = slot_;
    waiting_ = true;
    queue().push_back(&record_.node);
    ch_->mutex.unlock();
  }
  void done_waiting() noexcept {
    waiting_ = false;
    if constexpr (!IsRecv) sent_ = record_.node.ok;
    record_.~Record();
  }
  [[gnu::noinline]] void leave() noexcept {
    {
      std::lock_guard lock(ch_->mutex);
      queue().remove(&record_.node);
    }
    waiting_ = false;
    record_.~Record();
  }
  auto result() noexcept {
    if constexpr (IsRecv)
      return std::move(slot_);
    else
      return sent_;
  }

  ChannelState<T>* ch_;
  Slot slot_{};
  union {
    Record record_;  // alive while waiting_
  };
  bool waiting_ = false;
  bool sent_ = false;  // send: delivered
};

// Sending a const value: the awaitable owns the copy that is sent (or dropped on false,
// the caller still having the original).
template <class T, bool Cancellable = false>
class SendCopy {
  using Wait = std::conditional_t<Cancellable, SingleWait<SendCase<T>, true>, SoloWait<T, false>>;

public:
  SendCopy(ChannelState<T>& ch, const T& v)
    requires(!Cancellable)
      : copy_(v), wait_(ch, copy_) {}
  SendCopy(ChannelState<T>& ch, const T& v, CancellationToken token)
    requires Cancellable
      : copy_(v), wait_(SendCase<T>(ch, copy_), std::move(token)) {}
  bool await_ready() { return wait_.await_ready(); }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) { return wait_.await_suspend(h); }
  bool await_resume() { return wait_.await_resume(); }

private:
  T copy_;
  Wait wait_;
};

}  // namespace detail

template <class T>
class Channel {
  static_assert(std::is_nothrow_move_constructible_v<T>, "untangle: Channel<T> needs a nothrow-movable T");

public:
  using value_type = T;

  explicit Channel(std::size_t capacity = 0) : state_(std::make_shared<detail::ChannelState<T>>(capacity)) {}

  [[nodiscard]] auto recv() { return Recv(*state_); }
  [[nodiscard]] auto recv(CancellationToken token) { return RecvOr(detail::RecvCase<T>(*state_), std::move(token)); }

  [[nodiscard]] auto send(T& v) { return Send(*state_, v); }
  [[nodiscard]] auto send(T&& v) { return Send(*state_, v); }
  [[nodiscard]] auto send(const T& v) { return detail::SendCopy<T>(*state_, v); }
  [[nodiscard]] auto send(T& v, CancellationToken t) { return SendOr(Case(*state_, v), std::move(t)); }
  [[nodiscard]] auto send(T&& v, CancellationToken t) { return SendOr(Case(*state_, v), std::move(t)); }
  [[nodiscard]] auto send(const T& v, CancellationToken t) { return detail::SendCopy<T, true>(*state_, v, std::move(t)); }

  // nullopt when nothing is ready now, or the channel is closed and drained (see closed()).
  std::optional<T> try_recv() {
    std::optional<T> out;
    detail::Waiter* peer = nullptr;
    {
      std::lock_guard lock(state_->mutex);
      state_->try_recv_locked(out, peer);
    }
    if (peer) peer->wake();
    return out;
  }

  // True when delivered now; on false `v` keeps its value.
  bool try_send(T& v) {
    bool delivered = false;
    detail::Waiter* peer = nullptr;
    {
      std::lock_guard lock(state_->mutex);
      state_->try_send_locked(v, delivered, peer);
    }
    if (peer) peer->wake();
    return delivered;
  }
  bool try_send(T&& v) { return try_send(v); }

  std::optional<T> recv_blocking() { return Recv(*state_).block(); }
  bool send_blocking(T& v) { return Send(*state_, v).block(); }
  bool send_blocking(T&& v) { return Send(*state_, v).block(); }

  bool close() { return state_->close(); }
  bool closed() const { return state_->closed(); }
  std::size_t size() const { return state_->size(); }
  std::size_t capacity() const noexcept { return state_->capacity(); }

  friend bool operator==(const Channel& a, const Channel& b) noexcept { return a.state_ == b.state_; }

  // Internal: for select's cases.
  detail::ChannelState<T>& state() const noexcept { return *state_; }

private:
  using Case = detail::SendCase<T>;
  using Send = detail::SoloWait<T, false>;
  using SendOr = detail::SingleWait<Case, true>;  // ...or cancelled
  using Recv = detail::SoloWait<T, true>;
  using RecvOr = detail::SingleWait<detail::RecvCase<T>, true>;

  std::shared_ptr<detail::ChannelState<T>> state_;
};

}  // namespace untangle
