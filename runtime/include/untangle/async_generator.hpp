// untangle/async_generator.hpp — AsyncGenerator<T>: co_yield and co_await in one body.
//
//   AsyncGenerator<int> ticks(EventLoop::Clock::duration d) {
//     for (int i = 0;; ++i) { co_await sleep_for(d); co_yield i; }
//   }
//   auto gen = ticks(10ms);
//   while (std::optional<int> v = co_await gen.next()) use(*v);   // the loop idiom
//
// Rules (each one is tested in test/runtime/async_generator_test.cpp):
//  1. Lazy: the body runs only inside `co_await gen.next()`, from where it stopped up to its
//     next co_yield (next() yields the value) or its end (next() yields nullopt, and so does
//     every later next()). Each yielded value is delivered exactly once, in order.
//  2. The consumer and the body hand over to each other by symmetric transfer: no loop hop,
//     constant stack. When the body waits (co_await), the consumer stays suspended until
//     the body yields or ends, and resumes on the thread the body did that on.
//  3. An exception escaping the body comes out of that next(); the generator is then
//     finished.
//  4. Only one next() may be pending at a time (a second one throws std::logic_error).
//     Destroying the generator between next() calls destroys the body's frame (running
//     its destructors); it must not be destroyed while a next() is pending.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "detail/resume.hpp"

namespace untangle {

template <class T>
class [[nodiscard]] AsyncGenerator {
public:
  using value_type = std::remove_cvref_t<T>;

  struct promise_type {
    std::optional<value_type> current;
    std::exception_ptr error;
    std::coroutine_handle<> consumer;

    AsyncGenerator get_return_object() noexcept {
      return AsyncGenerator(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }

    struct ToConsumer {
      bool await_ready() const noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        return detail::transfer_to(std::exchange(h.promise().consumer, {}));
      }
      void await_resume() const noexcept {}
    };
    ToConsumer final_suspend() noexcept { return {}; }
    template <class V>
      requires std::is_constructible_v<value_type, V&&>
    ToConsumer yield_value(V&& v) {
      current.emplace(std::forward<V>(v));
      return {};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
  };

  AsyncGenerator(AsyncGenerator&& o) noexcept : handle_(std::exchange(o.handle_, {})) {}
  AsyncGenerator& operator=(AsyncGenerator&& o) noexcept {
    if (this != &o) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(o.handle_, {});
    }
    return *this;
  }
  ~AsyncGenerator() {
    if (handle_) handle_.destroy();
  }

  [[nodiscard]] auto next() {
    struct Next {
      std::coroutine_handle<promise_type> gen;
      bool await_ready() const noexcept { return !gen || gen.done(); }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> consumer) {
        if (gen.promise().consumer) throw std::logic_error("untangle: AsyncGenerator::next() while another next() is pending");
        gen.promise().consumer = consumer;
        gen.promise().current.reset();
        return detail::transfer_to(gen);
      }
      std::optional<value_type> await_resume() {
        if (!gen || !gen.promise().current) {
          if (gen && gen.promise().error) std::rethrow_exception(std::exchange(gen.promise().error, nullptr));
          return std::nullopt;
        }
        return std::exchange(gen.promise().current, std::nullopt);
      }
    };
    return Next{handle_};
  }

private:
  explicit AsyncGenerator(std::coroutine_handle<promise_type> h) noexcept : handle_(h) {}
  std::coroutine_handle<promise_type> handle_;
};

}  // namespace untangle
