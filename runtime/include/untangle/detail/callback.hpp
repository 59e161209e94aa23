// untangle/detail/callback.hpp — a move-only `void()` callable with inline storage.
//
// Timers, fd watches and promise continuations store these (the loop's queues store
// callables in place, detail/callback_queue.hpp). std::function would heap-allocate any
// lambda bigger than two pointers and must be copyable; neither is needed, so callables up
// to `inline_size` bytes live inside the object and trivially copyable ones are relocated
// with memcpy instead of an indirect call.
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

}  // namespace untangle::detail
