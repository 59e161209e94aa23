// Tests of untangle/sync.hpp, one or more per rule.
#include <untangle/runtime.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using untangle::AsyncMutex;
using untangle::AsyncSemaphore;
using untangle::EventLoop;
using untangle::Task;
using untangle::WaitGroup;
using Log = std::vector<std::string>;

namespace {

Task<void> take_permit(AsyncSemaphore* s, Log* log, std::string name) {
  co_await s->acquire();
  log->push_back(name);
}

Task<void> yield_turns(EventLoop* loop, int n) {
  for (int i = 0; i < n; ++i) co_await loop->schedule();
}

// Rule 1: FIFO, and a release hands the permit to the first waiter, not to a newcomer.
TEST(AsyncSemaphore, ServesWaitersFirstComeFirstServedWithoutBarging) {
  EventLoop loop;
  AsyncSemaphore sem(1);
  Log log;
  untangle::spawn(take_permit(&sem, &log, "holder"));
  untangle::spawn(take_permit(&sem, &log, "w1"));
  untangle::spawn(take_permit(&sem, &log, "w2"));
  EXPECT_EQ(log, (Log{"holder"}));
  sem.release();  // goes to w1, though w1 has not run yet
  EXPECT_FALSE(sem.try_acquire()) << "a newcomer barged in ahead of a waiter";
  EXPECT_EQ(sem.available(), 0u);
  untangle::sync_wait(loop, yield_turns(&loop, 2));
  EXPECT_EQ(log, (Log{"holder", "w1"}));
  sem.release();
  untangle::sync_wait(loop, yield_turns(&loop, 2));
  EXPECT_EQ(log, (Log{"holder", "w1", "w2"}));
  sem.release();
  EXPECT_EQ(sem.available(), 1u);
  sem.release(2);
  EXPECT_EQ(sem.available(), 3u);
}

Task<void> locked_increments(AsyncMutex* m, long* counter, int n, EventLoop* loop) {
  for (int i = 0; i < n; ++i) {
    auto guard = co_await m->lock();
    long v = *counter;
    if (i % 16 == 0) co_await loop->schedule();  // hold the lock across a suspension
    *counter = v + 1;
  }
}

// Rules 2 and 4: coroutines on four loops in four threads, a non-atomic counter guarded by
// an AsyncMutex that is held across suspensions: no increment is lost (and TSan sees no race).
TEST(AsyncMutex, GuardsACounterAcrossThreadsAndSuspensions) {
  AsyncMutex m;
  long counter = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      EventLoop loop;
      untangle::sync_wait(loop, locked_increments(&m, &counter, 2000, &loop));
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(counter, 8000);
}

// Rule 2: try_lock only when free; the guard unlocks on destruction or unlock().
TEST(AsyncMutex, TryLockAndGuardRelease) {
  AsyncMutex m;
  {
    std::optional<AsyncMutex::Guard> g = m.try_lock();
    ASSERT_TRUE(g.has_value());
    EXPECT_TRUE(g->owns_lock());
    EXPECT_FALSE(m.try_lock().has_value());
    AsyncMutex::Guard moved = std::move(*g);
    EXPECT_FALSE(g->owns_lock());
    EXPECT_FALSE(m.try_lock().has_value());
    moved.unlock();
    EXPECT_FALSE(moved.owns_lock());
    auto again = m.try_lock();
    EXPECT_TRUE(again.has_value());
  }
  EXPECT_TRUE(m.try_lock().has_value());
}

Task<void> work_then_done(WaitGroup* wg, EventLoop::Clock::duration d, std::atomic<int>* finished) {
  co_await untangle::sleep_for(d);
  ++*finished;
  wg->done();
}

Task<int> wait_for_group(WaitGroup* wg, std::atomic<int>* finished) {
  for (int i = 1; i <= 3; ++i) {
    wg->add(1);
    untangle::spawn(work_then_done(wg, i * 5ms, finished));
  }
  co_await wg->wait();
  co_return finished->load();
}

// Rule 3: wait() resumes once the count is zero.
TEST(WaitGroup, WaitResumesWhenAllAreDone) {
  EventLoop loop;
  WaitGroup wg;
  std::atomic<int> finished{0};
  EXPECT_EQ(untangle::sync_wait(loop, wait_for_group(&wg, &finished)), 3);
  EXPECT_EQ(wg.count(), 0u);
}

Task<bool> wait_now(WaitGroup* wg) {
  co_await wg->wait();
  co_return true;
}

// Rule 3: zero means at once; going negative throws.
TEST(WaitGroup, ZeroIsReadyAndNegativeThrows) {
  EventLoop loop;
  WaitGroup wg;
  EXPECT_TRUE(untangle::sync_wait(loop, wait_now(&wg)));
  EXPECT_THROW(wg.done(), std::logic_error);
  wg.add(2);
  EXPECT_THROW(wg.add(-3), std::logic_error);
  EXPECT_EQ(wg.count(), 2u);
}

Task<void> wait_on_loop(WaitGroup* wg, std::atomic<int>* woken, std::thread::id* where) {
  co_await wg->wait();
  *where = std::this_thread::get_id();
  ++*woken;
}

// Rules 3 and 4: done() from other threads; waiters resume on their own loop.
TEST(WaitGroup, DoneFromOtherThreadsWakesWaitersOnTheirLoop) {
  EventLoop loop;
  WaitGroup wg;
  wg.add(4);
  std::atomic<int> woken{0};
  std::thread::id where1, where2;
  untangle::spawn(wait_on_loop(&wg, &woken, &where1));
  untangle::spawn(wait_on_loop(&wg, &woken, &where2));
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&] {
      std::this_thread::sleep_for(10ms);
      wg.done();
    });
  loop.run();  // the parked waiters keep it running until both resumed
  for (auto& t : workers) t.join();
  EXPECT_EQ(woken.load(), 2);
  EXPECT_EQ(where1, std::this_thread::get_id());
  EXPECT_EQ(where2, std::this_thread::get_id());
}

}  // namespace
