// untangle/when_all.hpp — when_all(tasks...) and when_any(tasks...) over Task<T>.
//
// Rules (each one is tested in test/runtime/when_all_test.cpp):
//  1. Nothing starts before the co_await. Then the tasks start one after the other, in
//     argument order, on the awaiting thread, each running until its first suspension; from
//     there they run concurrently (and in parallel if they hop onto a ThreadPool).
//  2. when_all yields a std::tuple of the results in argument order (std::monostate for
//     Task<void>); the vector overload yields a std::vector. It resumes only after every task
//     finished, also when some threw; then it rethrows the exception of the first task (in
//     argument order) that threw. No task outlives the co_await.
//  3. when_any yields a std::variant whose index() is the task that finished first (its value,
//     or its exception rethrown). The other tasks are left running, detached: each frees its
//     frame when it finishes and its result (or exception) is dropped unseen. To stop them,
//     give them a CancellationToken and cancel its source once when_any returned.
//  4. The awaiting coroutine resumes at its home (detail/waiter.hpp): when the deciding task
//     finishes on that same loop or pool, by symmetric transfer from it; otherwise as a job
//     posted there. Its loop's run() does not return meanwhile.
#pragma once

#include <array>
#include <atomic>
#include <coroutine>
#include <exception>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "detail/resume.hpp"
#include "detail/waiter.hpp"
#include "task.hpp"

namespace untangle {

template <class T>
using when_value_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

namespace detail {

// The frame that runs one task of a when_all/when_any for a Join. It frees itself at its
// final suspend and then hands over to whatever the Join says runs next.
template <class Join>
struct JoinChild {
  struct promise_type {
    Join* join;
    std::size_t index;
    JoinChild get_return_object() noexcept {
      return JoinChild{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    auto final_suspend() noexcept {
      struct Final {
        bool await_ready() const noexcept { return false; }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
          Join* join = h.promise().join;
          std::size_t index = h.promise().index;
          h.destroy();
          return join->child_done(index);
        }
        void await_resume() const noexcept {}
      };
      return Final{};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }  // join_child catches everything
  };
  std::coroutine_handle<promise_type> handle;
};

template <class Join, class T>
JoinChild<Join> join_child(Join* join, std::size_t index, Task<T> task) {
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(task);
      join->set(index, std::monostate{});
    } else {
      join->set(index, co_await std::move(task));
    }
  } catch (...) {
    join->fail(index, std::current_exception());
  }
}

template <class Join>
void start_child(Join* join, std::size_t index, std::coroutine_handle<typename JoinChild<Join>::promise_type> h) {
  h.promise().join = join;
  h.promise().index = index;
  detail::resume(h);
}

// Counts the finished children plus the awaiter's own registration, so that whichever of
// them comes last resumes the awaiter — never twice, never before it suspended.
class JoinCounter {
public:
  void arm(std::size_t children) noexcept { pending_.store(children + 1, std::memory_order_relaxed); }
  bool arrive() noexcept { return pending_.fetch_sub(1, std::memory_order_acq_rel) == 1; }

  // The last child continues with the awaiter: directly when its home is here.
  std::coroutine_handle<> resume_parent() {
    if (home.is_here()) return transfer_to(parent);
    home.resume(parent);
    return std::noop_coroutine();
  }

  std::coroutine_handle<> parent;
  Home home;

private:
  std::atomic<std::size_t> pending_{0};
};

template <class... Ts>
class WhenAll {
public:
  using result_type = std::tuple<when_value_t<Ts>...>;
  explicit WhenAll(Task<Ts>... tasks) : tasks_(std::move(tasks)...) {}
  WhenAll(const WhenAll&) = delete;

  bool await_ready() const noexcept { return sizeof...(Ts) == 0; }
  bool await_suspend(std::coroutine_handle<> h) {
    counter_.parent = h;
    counter_.home.capture();
    counter_.arm(sizeof...(Ts));
    start(std::index_sequence_for<Ts...>{});
    return !counter_.arrive();
  }
  result_type await_resume() {
    for (auto& e : errors_)
      if (e) std::rethrow_exception(e);
    return std::apply([](auto&... v) { return result_type(std::move(*v)...); }, values_);
  }

  template <class V>
  void set(std::size_t index, V&& v) {
    set_at(index, std::forward<V>(v), std::index_sequence_for<Ts...>{});
  }
  void fail(std::size_t index, std::exception_ptr e) noexcept { errors_[index] = std::move(e); }
  std::coroutine_handle<> child_done(std::size_t) {
    return counter_.arrive() ? counter_.resume_parent() : std::noop_coroutine();
  }

private:
  template <std::size_t... I>
  void start(std::index_sequence<I...>) {
    (start_child(this, I, join_child(this, I, std::move(std::get<I>(tasks_))).handle), ...);
  }
  template <class V, std::size_t... I>
  void set_at(std::size_t index, V&& v, std::index_sequence<I...>) {
    (
        [&] {
          using Slot = std::tuple_element_t<I, std::tuple<when_value_t<Ts>...>>;
          if constexpr (std::is_same_v<Slot, std::decay_t<V>>)
            if (index == I) std::get<I>(values_).emplace(std::forward<V>(v));
        }(),
        ...);
  }

  std::tuple<Task<Ts>...> tasks_;
  std::tuple<std::optional<when_value_t<Ts>>...> values_;
  std::array<std::exception_ptr, sizeof...(Ts)> errors_{};
  JoinCounter counter_;
};

template <class T>
class WhenAllVector {
public:
  using result_type = std::vector<when_value_t<T>>;
  explicit WhenAllVector(std::vector<Task<T>> tasks)
      : tasks_(std::move(tasks)), values_(tasks_.size()), errors_(tasks_.size()) {}
  WhenAllVector(const WhenAllVector&) = delete;

  bool await_ready() const noexcept { return tasks_.empty(); }
  bool await_suspend(std::coroutine_handle<> h) {
    counter_.parent = h;
    counter_.home.capture();
    counter_.arm(tasks_.size());
    for (std::size_t i = 0; i < tasks_.size(); ++i)
      start_child(this, i, join_child(this, i, std::move(tasks_[i])).handle);
    return !counter_.arrive();
  }
  result_type await_resume() {
    for (auto& e : errors_)
      if (e) std::rethrow_exception(e);
    result_type out;
    out.reserve(values_.size());
    for (auto& v : values_) out.push_back(std::move(*v));
    return out;
  }

  template <class V>
  void set(std::size_t index, V&& v) {
    values_[index].emplace(std::forward<V>(v));
  }
  void fail(std::size_t index, std::exception_ptr e) noexcept { errors_[index] = std::move(e); }
  std::coroutine_handle<> child_done(std::size_t) {
    return counter_.arrive() ? counter_.resume_parent() : std::noop_coroutine();
  }

private:
  std::vector<Task<T>> tasks_;
  std::vector<std::optional<when_value_t<T>>> values_;
  std::vector<std::exception_ptr> errors_;
  JoinCounter counter_;
};

// when_any's state outlives the awaiter: the losers still report to it when they finish.
template <class... Ts>
class WhenAnyState {
public:
  using result_type = std::variant<when_value_t<Ts>...>;

  template <class V>
  void set(std::size_t index, V&& v) {
    if (!claim(index)) return;  // a loser: dropped (rule 3)
    set_at(index, std::forward<V>(v), std::index_sequence_for<Ts...>{});
  }
  void fail(std::size_t index, std::exception_ptr e) noexcept {
    if (claim(index)) error_ = std::move(e);
  }
  // Every child drops its share of the state; the winner also resumes the awaiter.
  std::coroutine_handle<> child_done(std::size_t index) {
    bool won = winner_.load(std::memory_order_acquire) == static_cast<int>(index);
    std::coroutine_handle<> next = won && counter_.arrive() ? counter_.resume_parent() : std::noop_coroutine();
    release();
    return next;
  }

  void add_ref() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  JoinCounter counter_;
  std::optional<result_type> value_;
  std::exception_ptr error_;

private:
  bool claim(std::size_t index) noexcept {
    int open = -1;
    return winner_.compare_exchange_strong(open, static_cast<int>(index), std::memory_order_acq_rel);
  }
  template <class V, std::size_t... I>
  void set_at(std::size_t index, V&& v, std::index_sequence<I...>) {
    (
        [&] {
          using Slot = std::variant_alternative_t<I, result_type>;
          if constexpr (std::is_same_v<Slot, std::decay_t<V>>)
            if (index == I) value_.emplace(std::in_place_index<I>, std::forward<V>(v));
        }(),
        ...);
  }

  std::atomic<int> winner_{-1};
  std::atomic<int> refs_{1};
};

template <class... Ts>
class WhenAny {
public:
  using State = WhenAnyState<Ts...>;
  using result_type = typename State::result_type;
  explicit WhenAny(Task<Ts>... tasks) : tasks_(std::move(tasks)...) {}
  WhenAny(const WhenAny&) = delete;
  ~WhenAny() {
    if (state_) state_->release();
  }

  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) {
    state_ = new State();
    state_->counter_.parent = h;
    state_->counter_.home.capture();
    state_->counter_.arm(1);
    start(std::index_sequence_for<Ts...>{});
    return !state_->counter_.arrive();
  }
  result_type await_resume() {
    if (state_->error_) std::rethrow_exception(state_->error_);
    return std::move(*state_->value_);
  }

private:
  template <std::size_t... I>
  void start(std::index_sequence<I...>) {
    ((state_->add_ref(), start_child(state_, I, join_child(state_, I, std::move(std::get<I>(tasks_))).handle)), ...);
  }

  std::tuple<Task<Ts>...> tasks_;
  State* state_ = nullptr;
};

}  // namespace detail

template <class... Ts>
[[nodiscard]] detail::WhenAll<Ts...> when_all(Task<Ts>... tasks) {
  return detail::WhenAll<Ts...>(std::move(tasks)...);
}
template <class T>
[[nodiscard]] detail::WhenAllVector<T> when_all(std::vector<Task<T>> tasks) {
  return detail::WhenAllVector<T>(std::move(tasks));
}
template <class... Ts>
  requires(sizeof...(Ts) > 0)
[[nodiscard]] detail::WhenAny<Ts...> when_any(Task<Ts>... tasks) {
  return detail::WhenAny<Ts...>(std::move(tasks)...);
}

}  // namespace untangle
