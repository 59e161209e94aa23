// untangle/task.hpp — Task<T>: a lazy coroutine, plus spawn() and sync_wait().
//
// Rules (tested in test/runtime/task_test.cpp, rule 6 in foreign_loop_test.cpp):
//  1. A Task does nothing until it is awaited (lazy). Awaiting starts it on the awaiting
//     thread; when it finishes, the awaiter resumes right there (symmetric transfer, no loop
//     hop), so a chain of any depth of nested co_awaits uses constant stack (see
//     detail/resume.hpp for the compilers that need a trampoline for that).
//  2. A Task is awaited at most once: awaiting a moved-from Task, or one whose result was
//     already taken, throws std::logic_error at the co_await.
//  3. Destroying a Task that was never awaited destroys its frame without running it.
//  4. spawn(task) starts it at once, detached: it runs eagerly until its first suspension and
//     then owns its own frame; an exception escaping it is reported on stderr.
//  5. sync_wait(loop, task) starts the task as a macrotask of `loop` and runs the loop until
//     the task completes; it returns the value or rethrows the exception. If the loop runs
//     out of work first (nothing left could ever complete the task) or is stopped,
//     sync_wait throws std::logic_error instead of hanging, and the task is left detached as
//     by spawn(): it frees itself if what it waits for ever happens.
//  6. Task, awaiting a Task and spawn() need no EventLoop: nothing of theirs posts anywhere
//     (a finished task resumes its awaiter inline, rule 1; a spawned one frees its own frame
//     and reports its exception on stderr, rule 4). A spawned chain whose awaits complete on
//     another library's loop (from_callback.hpp rule 8) runs on that loop alone. Only
//     sync_wait needs one, as it runs it: on a foreign loop, the chain hands its result on
//     itself (its last step, or a completion of that library). Tested in
//     test/runtime/foreign_loop_test.cpp (ForeignLoop.*, with no EventLoop alive;
//     ExceptionEscapingAChainOnAnIoContextIsReported for the report).
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

#include "detail/resume.hpp"
#include "errors.hpp"
#include "loop.hpp"

namespace untangle {

template <class T = void>
class Task;

namespace detail {

struct TaskPromiseBase {
  std::coroutine_handle<> continuation;
  std::exception_ptr error;

  std::suspend_always initial_suspend() noexcept { return {}; }

  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> done) noexcept {
      auto next = done.promise().continuation;
      return next ? transfer_to(next) : std::noop_coroutine();
    }
    void await_resume() const noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { error = std::current_exception(); }
};

template <class T>
struct TaskPromise : TaskPromiseBase {
  std::optional<T> value;
  Task<T> get_return_object() noexcept;
  template <class V>
    requires std::is_convertible_v<V&&, T>
  void return_value(V&& v) {
    value.emplace(std::forward<V>(v));
  }
  T take() {
    if (error) std::rethrow_exception(std::exchange(error, nullptr));
    if (!value) throw std::logic_error("untangle: the result of this Task was already taken");
    T out = std::move(*value);
    value.reset();
    return out;
  }
};

template <>
struct TaskPromise<void> : TaskPromiseBase {
  bool taken = false;
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take() {
    if (error) std::rethrow_exception(std::exchange(error, nullptr));
    if (std::exchange(taken, true)) throw std::logic_error("untangle: the result of this Task was already taken");
  }
};

}  // namespace detail

template <class T>
class [[nodiscard]] Task {
public:
  using promise_type = detail::TaskPromise<T>;
  using value_type = T;

  Task() noexcept = default;
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  ~Task() { destroy(); }

  bool valid() const noexcept { return static_cast<bool>(handle_); }
  bool done() const noexcept { return handle_ && handle_.done(); }

  auto operator co_await() noexcept {
    struct Awaiter {
      std::coroutine_handle<promise_type> task;
      bool await_ready() const noexcept { return !task || task.done(); }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
        task.promise().continuation = awaiting;
        return detail::transfer_to(task);
      }
      T await_resume() {
        if (!task) throw std::logic_error("untangle: co_await on an empty (moved-from) Task");
        return task.promise().take();
      }
    };
    return Awaiter{handle_};
  }

  // Internal: releases the frame to a new owner (spawn, sync_wait).
  std::coroutine_handle<promise_type> release() noexcept { return std::exchange(handle_, {}); }

private:
  friend promise_type;
  explicit Task(std::coroutine_handle<promise_type> h) noexcept : handle_(h) {}
  void destroy() noexcept {
    if (handle_) std::exchange(handle_, {}).destroy();
  }
  std::coroutine_handle<promise_type> handle_;
};

namespace detail {

template <class T>
Task<T> TaskPromise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<TaskPromise<T>>::from_promise(*this));
}
inline Task<void> TaskPromise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<TaskPromise<void>>::from_promise(*this));
}

// The frame that owns a spawned task: it starts suspended so that spawn() can start it
// through detail::resume (the trampoline needs that), and frees itself at the end.
struct Detached {
  struct promise_type {
    Detached get_return_object() noexcept {
      return Detached{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept {
      report("exception escaped a spawned task", describe(std::current_exception()));
    }
  };
  std::coroutine_handle<promise_type> handle;
};

template <class T>
Detached run_detached(Task<T> task) {
  co_await std::move(task);
}

// Becomes the continuation of a task that sync_wait gave up on: frees the task's frame when
// it finally completes (reporting an exception nobody will see otherwise), then itself.
template <class T>
Detached reap_when_done(std::coroutine_handle<TaskPromise<T>> task) {
  if (task.promise().error) report("exception escaped an abandoned sync_wait task", describe(task.promise().error));
  task.destroy();
  co_return;
}

}  // namespace detail

// Starts `task` now, detached (rule 4).
template <class T>
void spawn(Task<T> task) {
  if (!task.valid()) throw std::logic_error("untangle: spawn() of an empty (moved-from) Task");
  detail::resume(detail::run_detached(std::move(task)).handle);
}

// Runs `loop` until `task` completes (rule 5).
template <class T>
T sync_wait(EventLoop& loop, Task<T> task) {
  if (!task.valid()) throw std::logic_error("untangle: sync_wait() of an empty (moved-from) Task");
  auto handle = task.release();
  // The task's continuation stays empty: it finishes at its final suspend point and
  // sync_wait, seeing done(), takes the result and frees the frame.
  loop.post([handle] { detail::resume(handle); });
  if (!loop.run_until([handle] { return handle.done(); })) {
    // Something may still hold the suspended frame's handle (a timer, a resolver on another
    // thread), so destroying it here could lead to resuming freed memory later.
    handle.promise().continuation = detail::reap_when_done(handle).handle;
    throw std::logic_error(
        "untangle: sync_wait: the event loop ran out of work before the task completed (it "
        "waits for something that can no longer happen), or was stopped");
  }
  struct FrameOwner {
    std::coroutine_handle<detail::TaskPromise<T>> h;
    ~FrameOwner() { h.destroy(); }
  } owner{handle};
  return handle.promise().take();
}

}  // namespace untangle
