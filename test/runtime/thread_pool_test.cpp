// Tests of untangle/thread_pool.hpp, one or more per rule.
#include <untangle/runtime.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using untangle::EventLoop;
using untangle::Task;
using untangle::ThreadPool;

namespace {

// Rule 1: post from any thread; jobs run on pool threads, started in FIFO order.
TEST(ThreadPool, RunsPostedJobsOnItsThreadsInFifoOrder) {
  std::vector<int> order;
  std::mutex m;
  std::set<std::thread::id> threads;
  {
    ThreadPool pool(1);
    std::thread poster([&] {
      for (int i = 0; i < 100; ++i)
        pool.post([&, i] {
          std::lock_guard lock(m);
          order.push_back(i);
          threads.insert(std::this_thread::get_id());
        });
    });
    poster.join();
  }  // rule 5: the destructor runs what is queued
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[i], i);
  EXPECT_EQ(threads.size(), 1u);
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
}

TEST(ThreadPool, UsesSeveralThreads) {
  ThreadPool pool(2);
  EXPECT_EQ(pool.size(), 2u);
  std::atomic<int> inside{0}, peak{0};
  std::atomic<int> left{8};
  for (int i = 0; i < 8; ++i)
    pool.post([&] {
      int now = ++inside;
      for (int p = peak.load(); now > p && !peak.compare_exchange_weak(p, now);) {
      }
      std::this_thread::sleep_for(20ms);
      --inside;
      --left;
    });
  while (left.load() > 0) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(peak.load(), 2);
}

Task<std::thread::id> hop_there_and_back(ThreadPool* pool, EventLoop* loop, bool* was_on_pool) {
  co_await pool->schedule();
  *was_on_pool = ThreadPool::current() == pool && !loop->on_loop_thread();
  co_await loop->schedule();
  co_return std::this_thread::get_id();
}

// Rule 2: schedule() hops onto the pool, loop.schedule() back; current() names the pool.
TEST(ThreadPool, ScheduleHopsOntoThePoolAndBack) {
  EventLoop loop;
  ThreadPool pool(2);
  bool was_on_pool = false;
  EXPECT_EQ(ThreadPool::current(), nullptr);
  EXPECT_EQ(untangle::sync_wait(loop, hop_there_and_back(&pool, &loop, &was_on_pool)), std::this_thread::get_id());
  EXPECT_TRUE(was_on_pool);
}

Task<int> slow_on_pool(ThreadPool* pool, EventLoop* loop) {
  co_await pool->schedule();
  std::this_thread::sleep_for(50ms);  // the loop has nothing else to do meanwhile
  co_await loop->schedule();
  co_return 7;
}

// Rule 3: the loop's run() waits for a job that came from it (sync_wait does not give up).
TEST(ThreadPool, LoopWaitsForItsWorkOnThePool) {
  EventLoop loop;
  ThreadPool pool(1);
  EXPECT_EQ(untangle::sync_wait(loop, slow_on_pool(&pool, &loop)), 7);
}

Task<int> wait_on_pool_for_thread(ThreadPool* pool, EventLoop* loop, untangle::Channel<int> ch) {
  co_await pool->schedule();
  int v = *co_await ch.recv();  // parked on the pool: carries the loop's keep-alive
  co_await loop->schedule();
  co_return v;
}

TEST(ThreadPool, ParkedPoolCoroutineKeepsItsLoopAlive) {
  EventLoop loop;
  ThreadPool pool(1);
  untangle::Channel<int> ch;
  std::thread sender([ch]() mutable {
    std::this_thread::sleep_for(50ms);
    ch.send_blocking(3);
  });
  EXPECT_EQ(untangle::sync_wait(loop, wait_on_pool_for_thread(&pool, &loop, ch)), 3);
  sender.join();
}

// Rule 3 with loop.hpp rule 7: sync_wait returns as soon as the task is back on its loop,
// while the pool job that posted it back is still ending with the loop's keep-alive. A loop
// destroyed right away (on the heap, so ASan sees a late release) waits for that job.
Task<void> there_and_back(ThreadPool* pool, EventLoop* loop) {
  co_await pool->schedule();
  co_await loop->schedule();
}

TEST(ThreadPool, LoopDestroyedRightAfterSyncWaitOutlivesThePoolJob) {
  ThreadPool pool(2);
  for (int round = 0; round < 2000; ++round) {
    auto loop = std::make_unique<EventLoop>();
    untangle::sync_wait(*loop, there_and_back(&pool, loop.get()));
    loop.reset();
  }
}

// Rule 4: an exception escaping a job is reported; the thread carries on.
TEST(ThreadPool, ExceptionInAJobIsReportedAndTheThreadCarriesOn) {
  std::atomic<bool> ran{false};
  testing::internal::CaptureStderr();
  {
    ThreadPool pool(1);
    pool.post([] { throw std::runtime_error("job failed"); });
    pool.post([&] { ran = true; });
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(ran.load());
  EXPECT_NE(err.find("untangle: exception escaped a thread-pool job: job failed"), std::string::npos) << err;
}

// Rule 5: the destructor runs what is queued, including what queued jobs post.
TEST(ThreadPool, DestructorRunsQueuedJobsAndTheirFollowUps) {
  std::atomic<int> ran{0};
  {
    ThreadPool pool(2);
    for (int i = 0; i < 10; ++i)
      pool.post([&] {
        ++ran;
        pool.post([&] { ++ran; });
      });
  }
  EXPECT_EQ(ran.load(), 20);
}

}  // namespace
