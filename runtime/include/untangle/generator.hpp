// untangle/generator.hpp — Generator<T>: a synchronous, lazy generator for range-for.
//
// The body runs only as the consumer advances: up to the first co_yield at begin(), to the
// next one at each ++. An exception thrown by the body comes out of begin() or ++. A
// Generator is move-only and can be iterated once (an input range).
#pragma once

#include <coroutine>
#include <exception>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>

namespace untangle {

template <class T>
class [[nodiscard]] Generator {
public:
  using value_type = std::remove_cvref_t<T>;
  using reference = std::conditional_t<std::is_reference_v<T>, T, const value_type&>;

  struct promise_type {
    std::add_pointer_t<reference> current = nullptr;
    std::exception_ptr error;

    Generator get_return_object() noexcept {
      return Generator(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    // The yielded object lives in the suspended body until the consumer advances.
    std::suspend_always yield_value(reference v) noexcept {
      current = std::addressof(v);
      return {};
    }
    std::suspend_always yield_value(value_type&& v) noexcept
      requires(!std::is_reference_v<T>)
    {
      current = std::addressof(v);
      return {};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
    template <class U>
    std::suspend_never await_transform(U&&) = delete;  // synchronous: no co_await inside
  };

  class iterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using difference_type = std::ptrdiff_t;
    using value_type = Generator::value_type;
    iterator() noexcept = default;
    reference operator*() const noexcept { return static_cast<reference>(*handle_.promise().current); }
    iterator& operator++() {
      advance(handle_);
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept {
      return !it.handle_ || it.handle_.done();
    }

  private:
    friend Generator;
    explicit iterator(std::coroutine_handle<promise_type> h) noexcept : handle_(h) {}
    std::coroutine_handle<promise_type> handle_;
  };

  Generator(Generator&& o) noexcept : handle_(std::exchange(o.handle_, {})) {}
  Generator& operator=(Generator&& o) noexcept {
    if (this != &o) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(o.handle_, {});
    }
    return *this;
  }
  ~Generator() {
    if (handle_) handle_.destroy();
  }

  iterator begin() {
    if (handle_ && !handle_.done()) advance(handle_);
    return iterator(handle_);
  }
  std::default_sentinel_t end() const noexcept { return {}; }

private:
  explicit Generator(std::coroutine_handle<promise_type> h) noexcept : handle_(h) {}
  static void advance(std::coroutine_handle<promise_type> h) {
    h.resume();
    if (h.promise().error) std::rethrow_exception(std::exchange(h.promise().error, nullptr));
  }
  std::coroutine_handle<promise_type> handle_;
};

}  // namespace untangle
