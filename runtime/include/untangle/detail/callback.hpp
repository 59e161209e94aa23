// untangle/detail/callback.hpp — a move-only `void()` callable with inline storage.
//
// Every queue of the event loop stores these. std::function would heap-allocate any lambda
// bigger than two pointers and must be copyable; the loop needs neither, and posting is the
// hottest path of the runtime, so callables up to `inline_size` bytes live inside the object
// and trivially copyable ones are relocated with memcpy instead of an indirect call.
#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace untangle::detail {

class Callback {
public:
  static constexpr std::size_t inline_size = 48;

  Callback() noexcept = default;

  template <class F>
    requires(!std::is_same_v<std::decay_t<F>, Callback> && std::is_invocable_v<std::decay_t<F>&>)
  Callback(F&& f) {  // NOLINT(google-explicit-constructor): a callable *is* a callback
    using Fn = std::decay_t<F>;
    if constexpr (stored_inline<Fn>) {
      ::new (static_cast<void*>(storage_)) Fn(std::forward<F>(f));
      ops_ = &inline_ops<Fn>;
    } else {
      Fn* heap = new Fn(std::forward<F>(f));
      std::memcpy(storage_, &heap, sizeof heap);
      ops_ = &heap_ops<Fn>;
    }
  }

  Callback(Callback&& other) noexcept { take(other); }
  Callback& operator=(Callback&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  Callback(const Callback&) = delete;
  Callback& operator=(const Callback&) = delete;
  ~Callback() { reset(); }

  explicit operator bool() const noexcept { return ops_ != nullptr; }

  // May be called any number of times (fd watches and intervals call it repeatedly).
  void operator()() { ops_->invoke(storage_); }

  void reset() noexcept {
    if (ops_ && ops_->destroy) ops_->destroy(storage_);
    ops_ = nullptr;
  }

private:
  struct Ops {
    void (*invoke)(void*);
    // Null when a memcpy of the storage relocates the callable (trivially copyable ones and
    // the heap pointer), which spares an indirect call per queue hop.
    void (*relocate)(void* to, void* from) noexcept;
    void (*destroy)(void*) noexcept;  // null when trivially destructible
  };

  template <class Fn>
  static constexpr bool stored_inline = sizeof(Fn) <= inline_size &&
                                        alignof(Fn) <= alignof(std::max_align_t) &&
                                        std::is_nothrow_move_constructible_v<Fn>;

  template <class Fn>
  static constexpr Ops inline_ops{
      [](void* s) { (*std::launder(static_cast<Fn*>(s)))(); },
      std::is_trivially_copyable_v<Fn> ? nullptr
                                       : +[](void* to, void* from) noexcept {
                                           Fn* src = std::launder(static_cast<Fn*>(from));
                                           ::new (to) Fn(std::move(*src));
                                           src->~Fn();
                                         },
      std::is_trivially_destructible_v<Fn>
          ? nullptr
          : +[](void* s) noexcept { std::launder(static_cast<Fn*>(s))->~Fn(); }};

  template <class Fn>
  static Fn* heap_object(void* s) noexcept {
    Fn* p;
    std::memcpy(&p, s, sizeof p);
    return p;
  }
  template <class Fn>
  static constexpr Ops heap_ops{[](void* s) { (*heap_object<Fn>(s))(); }, nullptr,
                                [](void* s) noexcept { delete heap_object<Fn>(s); }};

  void take(Callback& other) noexcept {
    ops_ = std::exchange(other.ops_, nullptr);
    if (!ops_) return;
    if (ops_->relocate)
      ops_->relocate(storage_, other.storage_);
    else
      std::memcpy(storage_, other.storage_, inline_size);
  }

  alignas(std::max_align_t) unsigned char storage_[inline_size];
  const Ops* ops_ = nullptr;
};

// A FIFO of callbacks in a power-of-two ring: pushing constructs in place, popping relocates
// the front out before running it, so a callback may push onto the queue it came from (which
// can grow the ring) while it runs.
class CallbackQueue {
public:
  CallbackQueue() = default;
  CallbackQueue(const CallbackQueue&) = delete;
  CallbackQueue& operator=(const CallbackQueue&) = delete;
  ~CallbackQueue() { clear(); ::operator delete(slots_, std::align_val_t{alignof(Callback)}); }

  bool empty() const noexcept { return head_ == tail_; }
  std::size_t size() const noexcept { return tail_ - head_; }

  template <class F>
  void push(F&& f) {
    if (size() == capacity_) grow();
    ::new (static_cast<void*>(&slots_[tail_ & (capacity_ - 1)])) Callback(std::forward<F>(f));
    ++tail_;
  }

  Callback pop() noexcept {
    Callback& front = slots_[head_ & (capacity_ - 1)];
    Callback out(std::move(front));
    front.~Callback();
    ++head_;
    return out;
  }

  // Runs the front callback. Exception-safe: the queue is consistent before the call.
  void run_front() {
    Callback next = pop();
    next();
  }

  // Destroys every queued callback without running it. A destructor that pushes more
  // (a destroyed completion callback resuming a coroutine that posts) is drained too.
  void clear() noexcept {
    while (!empty()) pop();
  }

private:
  void grow() {
    std::size_t new_capacity = capacity_ ? capacity_ * 2 : 64;
    auto* fresh = static_cast<Callback*>(
        ::operator new(new_capacity * sizeof(Callback), std::align_val_t{alignof(Callback)}));
    std::size_t n = size();
    for (std::size_t i = 0; i < n; ++i) {
      Callback& from = slots_[(head_ + i) & (capacity_ - 1)];
      ::new (static_cast<void*>(&fresh[i])) Callback(std::move(from));
      from.~Callback();
    }
    ::operator delete(slots_, std::align_val_t{alignof(Callback)});
    slots_ = fresh;
    capacity_ = new_capacity;
    head_ = 0;
    tail_ = n;
  }

  Callback* slots_ = nullptr;
  std::size_t capacity_ = 0;  // always zero or a power of two
  std::size_t head_ = 0;
  std::size_t tail_ = 0;
};

}  // namespace untangle::detail
