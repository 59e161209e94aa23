// untangle/thread_pool.hpp — ThreadPool: parallelism next to the loops' concurrency.
//
// Rules (each one is tested in test/runtime/thread_pool_test.cpp):
//  1. `post(f)` is safe from any thread; `f` runs on one of the pool's threads. Jobs start in
//     FIFO order (with several threads they may finish in any order).
//  2. `co_await pool.schedule()` continues the coroutine as a job of the pool;
//     `co_await loop.schedule()` hops back to a loop. `ThreadPool::current()` is the pool
//     whose thread is running, or nullptr.
//  3. A job posted from a loop's thread (or from a job that was) keeps that loop's `run()`
//     from returning until the job has run, so `sync_wait(loop, task)` does not give up while
//     the task is on the pool. Coroutines parked by untangle's waits (channels, locks) carry
//     that keep-alive with them, and the loop's destructor waits for it (loop.hpp rule 7).
//  4. An exception escaping a job is reported on stderr; the pool thread carries on.
//  5. The destructor runs every job already queued (and the ones those post), then joins the
//     threads. Destroy a pool only after the coroutines that may still come back to it have
//     finished.
#pragma once

#include <condition_variable>
#include <coroutine>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "detail/callback.hpp"
#include "detail/resume.hpp"
#include "errors.hpp"
#include "loop.hpp"

namespace untangle {

class ThreadPool {
public:
  explicit ThreadPool(unsigned threads = std::thread::hardware_concurrency()) {
    if (threads == 0) threads = 1;
    workers_.reserve(threads);
    for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  ~ThreadPool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (auto& t : workers_) t.join();
    // Nothing can be queued once the last worker left (finished_), but destroy outside the
    // lock anyway: destroying a job may post again.
    std::deque<Job> late;
    {
      std::lock_guard lock(mutex_);
      late.swap(jobs_);
    }
  }

  std::size_t size() const noexcept { return workers_.size(); }

  static ThreadPool* current() noexcept { return current_; }

  template <class F>
  void post(F&& f) {
    enqueue(Job{detail::Callback(std::forward<F>(f)), ambient_keep_alive()});
  }

  auto schedule() noexcept {
    struct Awaiter {
      ThreadPool* pool;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) { pool->post([h] { detail::resume(h); }); }
      void await_resume() const noexcept {}
    };
    return Awaiter{this};
  }

  // Internal (detail/waiter.hpp): resumes `h` as a job that keeps `keep`'s loop alive.
  void post_resume(std::coroutine_handle<> h, EventLoop::KeepAlive keep) {
    enqueue(Job{[h] { detail::resume(h); }, std::move(keep)});
  }

  // The keep-alive a job posted from here inherits (rule 3).
  static EventLoop::KeepAlive ambient_keep_alive() noexcept {
    if (current_) return inherited_ ? *inherited_ : EventLoop::KeepAlive{};
    EventLoop* loop = EventLoop::current();
    if (loop && loop->on_loop_thread()) return loop->keep_alive();
    return {};
  }

private:
  struct Job {
    detail::Callback fn;
    EventLoop::KeepAlive keep;
  };

  void enqueue(Job job) {
    {
      std::lock_guard lock(mutex_);
      if (finished_) return;  // posted while the destructor ends: dropped, never run
      jobs_.push_back(std::move(job));
    }
    ready_.notify_one();
  }

  void work() {
    current_ = this;
    std::unique_lock lock(mutex_);
    for (;;) {
      ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) {
        // stopping_ with nothing queued; the others may still be running jobs that post
        // more, so only the last worker to leave closes the queue.
        if (++leaving_ == workers_.size()) finished_ = true;
        ready_.notify_all();
        break;
      }
      Job job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      inherited_ = &job.keep;
      try {
        job.fn();
      } catch (...) {
        detail::report("exception escaped a thread-pool job", detail::describe(std::current_exception()));
      }
      inherited_ = nullptr;
      job = {};
      lock.lock();
    }
    current_ = nullptr;
  }

  static inline thread_local ThreadPool* current_ = nullptr;
  static inline thread_local const EventLoop::KeepAlive* inherited_ = nullptr;

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> jobs_;
  std::size_t leaving_ = 0;
  bool stopping_ = false;
  bool finished_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace untangle
