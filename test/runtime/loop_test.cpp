// Tests of untangle/loop.hpp: one test (or more) per rule of its header comment.
#include <untangle/loop.hpp>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using untangle::EventLoop;
using untangle::TimerId;

namespace {

using Log = std::vector<std::string>;

TEST(Loop, RunReturnsAtOnceWithNothingToDo) {
  EventLoop loop;
  loop.run();
  SUCCEED();
}

// Rule 1
TEST(Loop, MacrotasksRunInFifoOrder) {
  EventLoop loop;
  Log log;
  for (int i = 0; i < 200; ++i) loop.post([&log, i] { log.push_back(std::to_string(i)); });
  loop.run();
  ASSERT_EQ(log.size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(log[i], std::to_string(i));
}

// Rule 1: a macrotask posted during a turn runs after the timers that became due meanwhile.
TEST(Loop, MacrotaskPostedDuringATurnRunsAfterDueTimers) {
  EventLoop loop;
  Log log;
  loop.post([&] {
    loop.set_timeout(0ms, [&] { log.push_back("timer"); });
    std::this_thread::sleep_for(2ms);  // the timer is due before the next turn begins
    loop.post([&] { log.push_back("posted"); });
  });
  loop.run();
  EXPECT_EQ(log, (Log{"timer", "posted"}));
}

// Rule 2
TEST(Loop, MicrotasksDrainAfterEachMacrotask) {
  EventLoop loop;
  Log log;
  loop.post([&] {
    log.push_back("macro1");
    loop.queue_microtask([&] {
      log.push_back("micro1");
      loop.queue_microtask([&] { log.push_back("micro1.1"); });  // same drain
    });
    loop.post([&] { log.push_back("macro3"); });
  });
  loop.post([&] {
    log.push_back("macro2");
    loop.queue_microtask([&] { log.push_back("micro2"); });
  });
  loop.run();
  EXPECT_EQ(log, (Log{"macro1", "micro1", "micro1.1", "macro2", "micro2", "macro3"}));
}

TEST(Loop, MicrotasksDrainAfterEachTimerCallback) {
  EventLoop loop;
  Log log;
  loop.set_timeout(1ms, [&] {
    log.push_back("t1");
    loop.queue_microtask([&] { log.push_back("m1"); });
  });
  loop.set_timeout(1ms, [&] {
    log.push_back("t2");
    loop.queue_microtask([&] { log.push_back("m2"); });
  });
  loop.run();
  EXPECT_EQ(log, (Log{"t1", "m1", "t2", "m2"}));
}

// Rule 3
TEST(Loop, TimersFireInDeadlineOrderAndEqualDeadlinesInSetOrder) {
  EventLoop loop;
  Log log;
  loop.post([&] {
    loop.set_timeout(30ms, [&] { log.push_back("30"); });
    loop.set_timeout(10ms, [&] { log.push_back("10"); });
    loop.set_timeout(20ms, [&] { log.push_back("20"); });
  });
  loop.run();
  EXPECT_EQ(log, (Log{"10", "20", "30"}));

  // Equal durations set within one callback: the later one's deadline is not earlier, and
  // zero-delay timers all share the exact same deadline class; order must be set order.
  log.clear();
  loop.post([&] {
    for (int i = 0; i < 100; ++i) loop.set_timeout(0ms, [&log, i] { log.push_back(std::to_string(i)); });
  });
  loop.run();
  ASSERT_EQ(log.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(log[i], std::to_string(i));
}

TEST(Loop, TimerNeverFiresEarly) {
  EventLoop loop;
  std::vector<std::chrono::steady_clock::duration> late;
  for (int i = 0; i < 5; ++i) {
    auto start = std::chrono::steady_clock::now();
    loop.set_timeout(15ms, [&late, start] { late.push_back(std::chrono::steady_clock::now() - start); });
    loop.run();
  }
  ASSERT_EQ(late.size(), 5u);
  for (auto d : late) EXPECT_GE(d, 15ms);
}

TEST(Loop, IntervalRepeatsUntilCleared) {
  EventLoop loop;
  int calls = 0;
  TimerId id;
  id = loop.set_interval(1ms, [&] {
    if (++calls == 5) {
      EXPECT_TRUE(loop.clear_timer(id));
    }
  });
  loop.run();  // returns only because the interval was cleared
  EXPECT_EQ(calls, 5);
  EXPECT_FALSE(loop.clear_timer(id));  // already cleared
}

TEST(Loop, IntervalDoesNotBurstAfterALongCallback) {
  EventLoop loop;
  std::vector<std::chrono::steady_clock::time_point> when;
  TimerId id;
  id = loop.set_interval(5ms, [&] {
    when.push_back(std::chrono::steady_clock::now());
    if (when.size() == 1) std::this_thread::sleep_for(30ms);  // misses several periods
    if (when.size() == 3) loop.clear_timer(id);
  });
  loop.run();
  ASSERT_EQ(when.size(), 3u);
  // The call after the long one comes at once, the next a full period later, not in a burst.
  EXPECT_GE(when[2] - when[1], 4ms);
}

TEST(Loop, TimerClearedByACallbackOfTheSameTurnNeverFires) {
  EventLoop loop;
  bool second_fired = false;
  TimerId second;
  loop.set_timeout(1ms, [&] { EXPECT_TRUE(loop.clear_timer(second)); });
  second = loop.set_timeout(1ms, [&] { second_fired = true; });
  loop.run();
  EXPECT_FALSE(second_fired);
}

TEST(Loop, ClearingUnknownOrFiredTimersIsHarmless) {
  EventLoop loop;
  EXPECT_FALSE(loop.clear_timer(TimerId{}));
  EXPECT_FALSE(loop.clear_timer(TimerId{12345, 7}));
  TimerId fired = loop.set_timeout(0ms, [] {});
  loop.run();
  EXPECT_FALSE(loop.clear_timer(fired));
  // The slot is reused by a new timer; the stale id must not clear it.
  bool ran = false;
  TimerId fresh = loop.set_timeout(0ms, [&] { ran = true; });
  EXPECT_EQ(fresh.slot, fired.slot);
  EXPECT_FALSE(loop.clear_timer(fired));
  loop.run();
  EXPECT_TRUE(ran);
}

TEST(Loop, ManySetAndClearedTimersDoNotKeepTheLoopAlive) {
  EventLoop loop;
  int fired = 0;
  for (int round = 0; round < 10000; ++round) {
    TimerId id = loop.set_timeout(1h, [] {});
    loop.clear_timer(id);
  }
  loop.set_timeout(1ms, [&] { ++fired; });
  auto start = std::chrono::steady_clock::now();
  loop.run();
  EXPECT_EQ(fired, 1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

TEST(Loop, TimerSetFromItsOwnCallbackAndIntervalGrowingSlots) {
  EventLoop loop;
  int calls = 0;
  TimerId id;
  id = loop.set_interval(1ms, [&] {
    // Growing the slot vector while the interval's callback runs must be safe.
    for (int i = 0; i < 100; ++i) loop.set_timeout(0ms, [] {});
    if (++calls == 3) loop.clear_timer(id);
  });
  loop.run();
  EXPECT_EQ(calls, 3);
}

// Rule 4
TEST(Loop, PostFromAnotherThreadWakesASleepingLoop) {
  EventLoop loop;
  auto keep = loop.keep_alive();
  std::atomic<bool> ran{false};
  std::thread other([&] {
    std::this_thread::sleep_for(20ms);  // the loop is asleep in epoll_wait by now
    loop.post([&] {
      ran = true;
      loop.stop();
    });
  });
  auto start = std::chrono::steady_clock::now();
  loop.run();
  other.join();
  EXPECT_TRUE(ran);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(Loop, PostsFromSeveralThreadsKeepPerThreadOrder) {
  EventLoop loop;
  constexpr int threads = 4, per_thread = 2000;
  std::vector<std::vector<int>> seen(threads);
  int done = 0;
  auto keep = std::make_unique<EventLoop::KeepAlive>(loop);
  std::vector<std::thread> posters;
  for (int t = 0; t < threads; ++t)
    posters.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i)
        loop.post([&, t, i] {
          seen[t].push_back(i);
          if (i == per_thread - 1 && ++done == threads) keep.reset();
        });
    });
  loop.run();
  for (auto& p : posters) p.join();
  for (int t = 0; t < threads; ++t) {
    ASSERT_EQ(seen[t].size(), std::size_t(per_thread));
    for (int i = 0; i < per_thread; ++i) ASSERT_EQ(seen[t][i], i);
  }
}

TEST(Loop, QueueMicrotaskFromAnotherThreadRunsOnTheLoop) {
  EventLoop loop;
  auto keep = std::make_unique<EventLoop::KeepAlive>(loop);
  std::thread::id ran_on;
  std::thread other([&] { loop.queue_microtask([&] { ran_on = std::this_thread::get_id(); keep.reset(); }); });
  loop.run();
  other.join();
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST(Loop, KeepAliveHoldsRunOpenUntilReleased) {
  EventLoop loop;
  auto keep = std::make_unique<EventLoop::KeepAlive>(loop.keep_alive());
  std::atomic<bool> released{false};
  std::thread other([&] {
    std::this_thread::sleep_for(20ms);
    released = true;
    keep.reset();
  });
  loop.run();
  EXPECT_TRUE(released);
  other.join();
}

TEST(Loop, ScheduleHopsACoroutineBackFromAnotherThread) {
  // Without coroutines here: schedule()'s awaiter posts the resumption, which is what a
  // pool thread's `co_await loop.schedule()` does.
  EventLoop loop;
  auto keep = std::make_unique<EventLoop::KeepAlive>(loop);
  std::thread::id ran_on;
  std::thread other([&] { loop.post([&] { ran_on = std::this_thread::get_id(); keep.reset(); }); });
  loop.run();
  other.join();
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

// Rule 5
TEST(Loop, StopFromACallbackReturnsAndQueuedWorkWaitsForTheNextRun) {
  EventLoop loop;
  Log log;
  loop.post([&] {
    log.push_back("a");
    loop.stop();
  });
  loop.post([&] { log.push_back("b"); });
  loop.run();
  EXPECT_EQ(log, (Log{"a"}));
  loop.run();
  EXPECT_EQ(log, (Log{"a", "b"}));
}

TEST(Loop, StopBeforeRunMakesTheNextRunReturnAtOnce) {
  EventLoop loop;
  bool ran = false;
  loop.post([&] { ran = true; });
  loop.stop();
  loop.run();
  EXPECT_FALSE(ran);
  loop.run();
  EXPECT_TRUE(ran);
}

TEST(Loop, StopFromAnotherThreadEndsASleepingRun) {
  EventLoop loop;
  auto keep = loop.keep_alive();
  std::thread other([&] {
    std::this_thread::sleep_for(20ms);
    loop.stop();
  });
  loop.run();
  other.join();
  SUCCEED();
}

TEST(Loop, RunInsideRunIsRefused) {
  EventLoop loop;
  bool refused = false;
  loop.post([&] {
    try {
      loop.run();
    } catch (const std::logic_error&) {
      refused = true;
    }
  });
  loop.run();
  EXPECT_TRUE(refused);
}

// Rule 6
TEST(Loop, ExceptionPropagatesOutOfRunAndTheLoopContinuesLater) {
  EventLoop loop;
  Log log;
  loop.post([&] { log.push_back("1"); });
  loop.post([] { throw std::runtime_error("boom"); });
  loop.post([&] { log.push_back("3"); });
  EXPECT_THROW(loop.run(), std::runtime_error);
  EXPECT_EQ(log, (Log{"1"}));
  EXPECT_EQ(EventLoop::current(), &loop);  // not running, but the thread's loop
  loop.run();
  EXPECT_EQ(log, (Log{"1", "3"}));
}

// Rule 7
struct Flag {
  bool* destroyed;
  explicit Flag(bool* d) : destroyed(d) {}
  Flag(Flag&& o) noexcept : destroyed(std::exchange(o.destroyed, nullptr)) {}
  ~Flag() {
    if (destroyed) *destroyed = true;
  }
};

TEST(Loop, DestroyingTheLoopDestroysQueuedCallbacksWithoutRunningThem) {
  bool ran = false, macro_gone = false, timer_gone = false, watch_gone = false;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  {
    EventLoop loop;
    loop.post([&ran, f = Flag(&macro_gone)] { ran = true; });
    loop.set_timeout(1h, [&ran, f = Flag(&timer_gone)] { ran = true; });
    loop.watch_readable(fds[0], [&ran, f = std::make_shared<Flag>(&watch_gone)] { ran = true; });
  }
  EXPECT_FALSE(ran);
  EXPECT_TRUE(macro_gone);
  EXPECT_TRUE(timer_gone);
  EXPECT_TRUE(watch_gone);
  ::close(fds[0]);
  ::close(fds[1]);
}

struct PostsOnDestruction {
  EventLoop* loop;
  bool* posted_ran;
  PostsOnDestruction(EventLoop* l, bool* r) : loop(l), posted_ran(r) {}
  PostsOnDestruction(PostsOnDestruction&& o) noexcept
      : loop(std::exchange(o.loop, nullptr)), posted_ran(o.posted_ran) {}
  ~PostsOnDestruction() {
    if (!loop) return;
    bool* r = posted_ran;
    loop->post([r] { *r = true; });
    loop->set_timeout(0ms, [r] { *r = true; });
  }
};

TEST(Loop, PostingWhileTheLoopIsDestroyedDropsTheCallable) {
  bool posted_ran = false;
  {
    auto loop = std::make_unique<EventLoop>();
    loop->post([p = PostsOnDestruction(loop.get(), &posted_ran)] {});
    loop->stop();
    loop->run();  // stops before running anything; the loop then dies with the task queued
  }
  EXPECT_FALSE(posted_ran);
}

// A keep-alive held by another thread: sync_wait may return while a pool job that came from
// the loop is still ending, and the loop's destructor must not free it under that job.
TEST(Loop, DestructorWaitsForKeepAlivesHeldElsewhereAndDropsTheirPosts) {
  auto loop = std::make_unique<EventLoop>();
  std::atomic<bool> holder_done{false}, posted_ran{false};
  std::atomic<bool> loop_destroying{false};
  auto keep = std::make_unique<EventLoop::KeepAlive>(loop->keep_alive());
  std::thread holder([&, raw = loop.get()] {
    while (!loop_destroying) std::this_thread::yield();
    std::this_thread::sleep_for(30ms);
    raw->post([&] { posted_ran = true; });  // the loop is closing: dropped, never run
    holder_done = true;
    keep.reset();  // heap memory: ASan sees a release after the loop was freed
  });
  loop_destroying = true;
  loop.reset();
  EXPECT_TRUE(holder_done) << "the destructor returned while a keep-alive was still held";
  holder.join();
  EXPECT_FALSE(posted_ran);
}

TEST(Loop, DestructorSaysSoWhenAKeepAliveIsHeldLong) {
  auto loop = std::make_unique<EventLoop>();
  auto keep = std::make_unique<EventLoop::KeepAlive>(loop->keep_alive());
  std::thread holder([&] {
    std::this_thread::sleep_for(5500ms);
    keep.reset();
  });
  ::testing::internal::CaptureStderr();
  loop.reset();
  std::string err = ::testing::internal::GetCapturedStderr();
  holder.join();
  EXPECT_NE(err.find("untangle: an EventLoop is being destroyed while a KeepAlive of it is still held"),
            std::string::npos)
      << err;
}

// current()
TEST(Loop, CurrentIsTheRunningLoopElseTheNewestLoopOfThisThread) {
  EXPECT_EQ(EventLoop::current(), nullptr);
  EventLoop outer;
  EXPECT_EQ(EventLoop::current(), &outer);
  {
    EventLoop inner;
    EXPECT_EQ(EventLoop::current(), &inner);
    EventLoop* seen = nullptr;
    outer.post([&] { seen = EventLoop::current(); });
    outer.run();
    EXPECT_EQ(seen, &outer);  // running wins over newest
  }
  EXPECT_EQ(EventLoop::current(), &outer);
  EventLoop* elsewhere = &outer;
  std::thread([&] { elsewhere = EventLoop::current(); }).join();
  EXPECT_EQ(elsewhere, nullptr);  // loops belong to their thread
}

// fd readiness
struct Pipe {
  int read_end = -1, write_end = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    read_end = fds[0];
    write_end = fds[1];
  }
  ~Pipe() {
    if (read_end >= 0) ::close(read_end);
    if (write_end >= 0) ::close(write_end);
  }
};

TEST(Loop, WatchReadableFiresWhenDataArrivesAndUntilUnwatched) {
  EventLoop loop;
  Pipe p;
  std::string received;
  loop.watch_readable(p.read_end, [&] {
    char buf[16];
    ssize_t n = ::read(p.read_end, buf, sizeof buf);
    if (n > 0) received.append(buf, static_cast<std::size_t>(n));
    if (received.size() >= 6) loop.unwatch(p.read_end);  // from inside its own callback
  });
  loop.set_timeout(5ms, [&] { ASSERT_EQ(::write(p.write_end, "abc", 3), 3); });
  loop.set_timeout(10ms, [&] { ASSERT_EQ(::write(p.write_end, "def", 3), 3); });
  loop.run();  // ends once unwatched: no watch, no timer left
  EXPECT_EQ(received, "abcdef");
}

TEST(Loop, WatchWritableFiresOnAWritablePipe) {
  EventLoop loop;
  Pipe p;
  int calls = 0;
  loop.watch_writable(p.write_end, [&] {
    ++calls;
    loop.unwatch(p.write_end);
  });
  loop.run();
  EXPECT_EQ(calls, 1);
}

TEST(Loop, HangUpWakesTheReader) {
  EventLoop loop;
  Pipe p;
  bool saw_eof = false;
  loop.watch_readable(p.read_end, [&] {
    char c;
    if (::read(p.read_end, &c, 1) == 0) saw_eof = true;
    loop.unwatch(p.read_end);
  });
  loop.post([&] {
    ::close(p.write_end);
    p.write_end = -1;
  });
  loop.run();
  EXPECT_TRUE(saw_eof);
}

TEST(Loop, WatchingABadFdThrowsAndLeavesNoWatch) {
  EventLoop loop;
  EXPECT_THROW(loop.watch_readable(-1, [] {}), std::system_error);
  loop.unwatch(-1);  // harmless
  loop.run();        // nothing was left behind to keep it running
  SUCCEED();
}

// Rule 4: the creator posts before run() without a lock; a million of them, with a
// microtask among them, come out in order, the microtask first.
TEST(Loop, CreatorPostsBeforeRunKeepTheirOrderAndItsMicrotasksRunFirst) {
  EventLoop loop;
  std::vector<int> seen;
  seen.reserve(1'000'001);
  for (int i = 0; i < 1'000'000; ++i) loop.post([&seen, i] { seen.push_back(i); });
  loop.queue_microtask([&seen] { seen.push_back(-1); });
  loop.run();
  ASSERT_EQ(seen.size(), 1'000'001u);
  EXPECT_EQ(seen[0], -1);
  for (int i = 0; i < 1'000'000; ++i) ASSERT_EQ(seen[i + 1], i);
}

// Rule 4: once another thread runs the loop, the creator's earlier lock-free posts are
// all seen by it, and its later posts take the locked path (under TSan: no race).
TEST(Loop, AnotherThreadRunningTheLoopSeesTheCreatorsEarlierPosts) {
  EventLoop loop;
  std::vector<int> seen;
  for (int i = 0; i < 1000; ++i) loop.post([&seen, i] { seen.push_back(i); });
  auto hold = std::make_unique<EventLoop::KeepAlive>(loop.keep_alive());
  std::thread runner([&] { loop.run(); });
  for (int i = 1000; i < 2000; ++i) loop.post([&seen, i] { seen.push_back(i); });
  loop.post([&hold] { hold.reset(); });  // ends run() once everything above ran
  runner.join();
  ASSERT_EQ(seen.size(), 2000u);
  for (int i = 0; i < 2000; ++i) ASSERT_EQ(seen[i], i);
}

// Rule 4: the creator posting while another thread starts run(): every post runs exactly
// once, whichever path it took (the revocation waits for a post in progress).
TEST(Loop, CreatorPostingWhileAnotherThreadStartsRunLosesNothing) {
  for (int round = 0; round < 20; ++round) {
    EventLoop loop;
    std::atomic<int> ran{0};
    auto hold = std::make_unique<EventLoop::KeepAlive>(loop.keep_alive());
    std::atomic<bool> go{false};
    std::thread runner([&] {
      while (!go.load()) std::this_thread::yield();
      loop.run();
    });
    go.store(true);
    for (int i = 0; i < 20'000; ++i) loop.post([&ran] { ran.fetch_add(1, std::memory_order_relaxed); });
    loop.post([&hold] { hold.reset(); });
    runner.join();
    ASSERT_EQ(ran.load(), 20'000) << "round " << round;
  }
}

// Queue memory that a backlog left pooled is given back when the loop goes to sleep, so
// a burst does not pin its peak for the loop's life.
TEST(Loop, QueueMemoryOfABacklogIsReleasedWhenTheLoopSleeps) {
  EventLoop loop;
  long sum = 0;
  auto peak_then_idle = [&] {
    loop.post([&] {
      for (int i = 0; i < 2'000'000; ++i) loop.post([&sum] { ++sum; });
      // After the backlog, the loop sleeps for this timer.
      loop.post([&] { loop.set_timeout(1ms, [] {}); });
    });
    loop.run();
  };
  peak_then_idle();
  EXPECT_EQ(sum, 2'000'000);
  EXPECT_LE(loop.pooled_queue_bytes(), std::size_t{2} << 20);
}

TEST(Loop, LargeCallablesAndMoveOnlyCallablesWork) {
  EventLoop loop;
  std::array<long, 32> big{};
  big[31] = 7;
  long seen = 0;
  auto owned = std::make_unique<int>(5);
  loop.post([&seen, big] { seen += big[31]; });
  loop.post([&seen, owned = std::move(owned)] { seen += *owned; });
  loop.run();
  EXPECT_EQ(seen, 12);
}

}  // namespace
