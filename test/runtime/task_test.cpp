// Tests of untangle/task.hpp and untangle/sleep.hpp, one or more per rule.
#include <untangle/runtime.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using untangle::EventLoop;
using untangle::Task;
using Log = std::vector<std::string>;

namespace {

Task<int> answer(Log& log) {
  log.push_back("answer runs");
  co_return 42;
}

Task<int> add_one(Log& log) {
  int v = co_await answer(log);
  co_return v + 1;
}

// Rule 1: lazy.
TEST(Task, DoesNothingUntilAwaited) {
  EventLoop loop;
  Log log;
  auto task = answer(log);
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(untangle::sync_wait(loop, std::move(task)), 42);
  EXPECT_EQ(log, (Log{"answer runs"}));
}

TEST(Task, NestedAwaitsReturnValues) {
  EventLoop loop;
  Log log;
  EXPECT_EQ(untangle::sync_wait(loop, add_one(log)), 43);
}

// Rule 1: the awaiter resumes right where the child finished — no loop hop in between.
Task<void> child_then_mark(Log& log) {
  log.push_back("child");
  co_return;
}
Task<void> parent_marks(EventLoop& loop, Log& log) {
  loop.post([&log] { log.push_back("posted"); });
  co_await child_then_mark(log);
  log.push_back("parent resumed");
}
TEST(Task, AwaiterResumesWithoutALoopHop) {
  EventLoop loop;
  Log log;
  untangle::sync_wait(loop, parent_marks(loop, log));
  loop.run();
  EXPECT_EQ(log, (Log{"child", "parent resumed", "posted"}));
}

Task<int> nested(int depth) {
  if (depth == 0) co_return 0;
  co_return 1 + co_await nested(depth - 1);
}
// The million-deep chain at -O0/-O2 with both compilers is test/runtime/programs/deep_chain.cpp;
// here the same shape runs in this build's configuration (sanitizers included).
TEST(Task, DeepChainUsesConstantStack) {
  EventLoop loop;
  EXPECT_EQ(untangle::sync_wait(loop, nested(200000)), 200000);
}

Task<int> throws_logic() {
  throw std::invalid_argument("bad input");
  co_return 0;
}
Task<std::string> catches() {
  try {
    co_await throws_logic();
  } catch (const std::invalid_argument& e) {
    co_return std::string("caught ") + e.what();
  }
  co_return "not caught";
}
TEST(Task, ExceptionsPropagateToTheAwaiter) {
  EventLoop loop;
  EXPECT_EQ(untangle::sync_wait(loop, catches()), "caught bad input");
  EXPECT_THROW(untangle::sync_wait(loop, throws_logic()), std::invalid_argument);
}

// Rule 2
Task<void> await_moved_from(Log& log) {
  auto task = answer(log);
  auto other = std::move(task);
  co_await other;
  co_await task;  // moved-from
}
Task<void> await_twice(Log& log) {
  auto task = answer(log);
  co_await task;
  co_await task;  // result already taken
}
TEST(Task, AwaitingAMovedFromOrConsumedTaskThrowsLogicError) {
  EventLoop loop;
  Log log;
  EXPECT_THROW(untangle::sync_wait(loop, await_moved_from(log)), std::logic_error);
  EXPECT_THROW(untangle::sync_wait(loop, await_twice(log)), std::logic_error);
  EXPECT_THROW(untangle::sync_wait(loop, Task<int>{}), std::logic_error);
  EXPECT_THROW(untangle::spawn(Task<void>{}), std::logic_error);
}

// Rule 3
struct Guard {
  bool* destroyed;
  ~Guard() { *destroyed = true; }
};
Task<void> never_started(Log& log, [[maybe_unused]] std::shared_ptr<Guard> guard) {
  log.push_back("ran");
  co_return;
}
TEST(Task, DestroyingAnUnawaitedTaskFreesItsFrameWithoutRunningIt) {
  EventLoop loop;
  Log log;
  bool destroyed = false;
  {
    auto task = never_started(log, std::shared_ptr<Guard>(new Guard{&destroyed}));
    EXPECT_FALSE(destroyed);  // the frame holds the parameter
  }
  EXPECT_TRUE(destroyed);
  EXPECT_TRUE(log.empty());
}

// Rule 4
Task<void> spawned(Log& log) {
  log.push_back("spawned starts");
  co_await untangle::sleep_for(1ms);
  log.push_back("spawned resumes");
}
TEST(Task, SpawnRunsEagerlyUntilTheFirstSuspension) {
  EventLoop loop;
  Log log;
  loop.post([&] {
    untangle::spawn(spawned(log));
    log.push_back("after spawn");
  });
  loop.run();
  EXPECT_EQ(log, (Log{"spawned starts", "after spawn", "spawned resumes"}));
}

Task<void> spawned_throws() {
  co_await untangle::sleep_for(1ms);
  throw std::runtime_error("escaped");
}
TEST(Task, ExceptionEscapingASpawnedTaskIsReported) {
  testing::internal::CaptureStderr();
  {
    EventLoop loop;
    loop.post([] { untangle::spawn(spawned_throws()); });
    loop.run();
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("untangle: exception escaped a spawned task: escaped"), std::string::npos) << err;
}

// Rule 5
Task<int> waits_forever() {
  auto [p, r] = untangle::make_promise<int>();
  auto keep_resolver_alive = std::make_shared<untangle::Resolver<int>>(std::move(r));
  static std::shared_ptr<untangle::Resolver<int>> leaked;  // someone holds it, never resolves
  leaked = keep_resolver_alive;
  co_return co_await p;
}
TEST(Task, SyncWaitThrowsWhenTheLoopRunsOutOfWork) {
  EventLoop loop;
  EXPECT_THROW(untangle::sync_wait(loop, waits_forever()), std::logic_error);
}

Task<void> stops_its_loop(EventLoop& loop) {
  loop.stop();
  co_await untangle::sleep_for(1ms);
}
TEST(Task, SyncWaitThrowsWhenTheLoopIsStoppedAndTheTaskFinishesLater) {
  EventLoop loop;
  EXPECT_THROW(untangle::sync_wait(loop, stops_its_loop(loop)), std::logic_error);
  loop.run();  // the abandoned task completes and frees itself (checked by ASan/LSan)
}

// sleep_for
Task<std::chrono::steady_clock::duration> timed_sleep(std::chrono::milliseconds d) {
  auto start = std::chrono::steady_clock::now();
  co_await untangle::sleep_for(d);
  co_return std::chrono::steady_clock::now() - start;
}
TEST(Sleep, SleepsAtLeastTheDurationAndNeedsALoop) {
  EventLoop loop;
  EXPECT_GE(untangle::sync_wait(loop, timed_sleep(10ms)), 10ms);
}
TEST(Sleep, WithoutALoopIsALogicError) { EXPECT_THROW((void)untangle::sleep_for(1ms), std::logic_error); }

Task<void> sleeps_long(bool& resumed, std::string& error) {
  try {
    co_await untangle::sleep_for(1h);
    resumed = true;
  } catch (const untangle::broken_promise& e) {
    error = e.what();
  }
}
TEST(Sleep, DestroyingTheLoopResumesTheSleeperWithBrokenPromise) {
  bool resumed = false;
  std::string error;
  {
    EventLoop loop;
    loop.post([&] {
      untangle::spawn(sleeps_long(resumed, error));
      loop.stop();
    });
    loop.run();
    EXPECT_TRUE(error.empty());
  }
  EXPECT_FALSE(resumed);
  EXPECT_NE(error.find("broken promise"), std::string::npos);
}

// Generator
untangle::Generator<int> count_to(int n, Log& log) {
  for (int i = 1; i <= n; ++i) {
    log.push_back("yield " + std::to_string(i));
    co_yield i;
  }
}
TEST(Generator, YieldsLazilyInRangeFor) {
  Log log;
  auto gen = count_to(3, log);
  EXPECT_TRUE(log.empty());
  std::vector<int> seen;
  for (int v : gen) {
    seen.push_back(v);
    log.push_back("got " + std::to_string(v));
  }
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(log, (Log{"yield 1", "got 1", "yield 2", "got 2", "yield 3", "got 3"}));
}

untangle::Generator<int> fails_after(int n) {
  for (int i = 0; i < n; ++i) co_yield i;
  throw std::runtime_error("generator failed");
}
TEST(Generator, ExceptionsComeOutOfTheIncrement) {
  int sum = 0;
  auto consume = [&] {
    for (int v : fails_after(3)) sum += v;
  };
  EXPECT_THROW(consume(), std::runtime_error);
  EXPECT_EQ(sum, 3);
}

untangle::Generator<std::string> words(bool& finished) {
  co_yield "a";
  co_yield std::string("b");
  finished = true;
}
TEST(Generator, BreakingEarlyDestroysTheBody) {
  bool finished = false;
  std::vector<std::string> seen;
  for (const std::string& w : words(finished)) {
    seen.push_back(w);
    break;
  }
  EXPECT_EQ(seen, std::vector<std::string>{"a"});
  EXPECT_FALSE(finished);
}

}  // namespace
