// Tests of untangle/when_all.hpp, one or more per rule.
#include <untangle/runtime.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <variant>
#include <vector>

using namespace std::chrono_literals;
using untangle::EventLoop;
using untangle::Task;
using Log = std::vector<std::string>;

namespace {

Task<int> logged(Log* log, std::string name, int v, EventLoop::Clock::duration d) {
  log->push_back(name + " starts");
  if (d > EventLoop::Clock::duration::zero()) co_await untangle::sleep_for(d);
  log->push_back(name + " ends");
  co_return v;
}

Task<void> nothing(Log* log) {
  log->push_back("void runs");
  co_return;
}

Task<std::tuple<int, int, std::monostate>> all_three(Log* log) {
  auto a = logged(log, "a", 1, 20ms);
  auto b = logged(log, "b", 2, 1ms);
  auto c = nothing(log);
  log->push_back("created");
  auto r = co_await untangle::when_all(std::move(a), std::move(b), std::move(c));
  log->push_back("joined");
  co_return r;
}

// Rules 1 and 2: lazy, started in argument order, results in argument order.
TEST(WhenAll, StartsInOrderAndYieldsResultsInOrder) {
  EventLoop loop;
  Log log;
  auto [a, b, c] = untangle::sync_wait(loop, all_three(&log));
  (void)c;
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 2);
  EXPECT_EQ(log, (Log{"created", "a starts", "b starts", "void runs", "b ends", "a ends", "joined"}));
}

Task<int> fails_after(EventLoop::Clock::duration d, std::string what) {
  co_await untangle::sleep_for(d);
  throw std::runtime_error(what);
}
Task<int> finishes_after(EventLoop::Clock::duration d, std::atomic<int>* finished) {
  co_await untangle::sleep_for(d);
  ++*finished;
  co_return 1;
}

Task<std::string> all_with_failures(std::atomic<int>* finished) {
  try {
    co_await untangle::when_all(finishes_after(1ms, finished), fails_after(30ms, "first"), fails_after(1ms, "second"),
                                finishes_after(40ms, finished));
  } catch (const std::runtime_error& e) {
    co_return std::string(e.what()) + " after " + std::to_string(finished->load());
  }
  co_return "no error";
}

// Rule 2: waits for every task even when some threw, then rethrows the first in argument order.
TEST(WhenAll, WaitsForAllThenRethrowsTheFirstFailureInArgumentOrder) {
  EventLoop loop;
  std::atomic<int> finished{0};
  EXPECT_EQ(untangle::sync_wait(loop, all_with_failures(&finished)), "first after 2");
}

Task<int> square_on_pool(untangle::ThreadPool* pool, EventLoop* loop, int x) {
  co_await pool->schedule();
  std::this_thread::sleep_for(5ms);
  int r = x * x;
  co_await loop->schedule();
  co_return r;
}

Task<std::vector<int>> squares(untangle::ThreadPool* pool, EventLoop* loop) {
  std::vector<Task<int>> tasks;
  for (int i = 1; i <= 6; ++i) tasks.push_back(square_on_pool(pool, loop, i));
  co_return co_await untangle::when_all(std::move(tasks));
}

// Rules 2 and 4: the vector form, with tasks running in parallel on a pool.
TEST(WhenAll, VectorOfTasksOnAPool) {
  EventLoop loop;
  untangle::ThreadPool pool(2);
  EXPECT_EQ(untangle::sync_wait(loop, squares(&pool, &loop)), (std::vector<int>{1, 4, 9, 16, 25, 36}));
}

Task<int> compute_on_pool(untangle::ThreadPool* pool, int x) {
  co_await pool->schedule();
  std::this_thread::sleep_for(10ms);
  co_return x;  // finishes on the pool
}

Task<bool> join_from_loop(untangle::ThreadPool* pool, EventLoop* loop) {
  auto [a, b] = co_await untangle::when_all(compute_on_pool(pool, 1), compute_on_pool(pool, 2));
  co_return a + b == 3 && loop->on_loop_thread() && untangle::ThreadPool::current() == nullptr;
}

// Rule 4: tasks finishing on pool threads resume the awaiter on its own loop.
TEST(WhenAll, AwaiterResumesAtItsHome) {
  EventLoop loop;
  untangle::ThreadPool pool(2);
  EXPECT_TRUE(untangle::sync_wait(loop, join_from_loop(&pool, &loop)));
}

Task<int> finish_in_a_job(EventLoop* loop, Log* log) {
  co_await loop->schedule();
  loop->post([log] { log->push_back("job posted by the last task"); });
  co_return 1;
}

Task<void> join_on_same_loop(EventLoop* loop, Log* log) {
  co_await untangle::when_all(finish_in_a_job(loop, log), finish_in_a_job(loop, log));
  log->push_back("awaiter resumed");
}

// Rule 4: the last task finishing on the awaiter's own loop continues it directly, before
// any job queued meanwhile.
TEST(WhenAll, LastTaskOnTheSameLoopHandsOverDirectly) {
  EventLoop loop;
  Log log;
  untangle::sync_wait(loop, join_on_same_loop(&loop, &log));
  loop.run();
  EXPECT_EQ(log, (Log{"awaiter resumed", "job posted by the last task", "job posted by the last task"}));
}

Task<std::size_t> first_of(Log* log) {
  auto r = co_await untangle::when_any(logged(log, "slow", 1, 40ms), logged(log, "fast", 2, 5ms));
  log->push_back("winner " + std::to_string(r.index()) + " value " + std::to_string(std::get<1>(r)));
  co_return r.index();
}

Task<void> wait_for(EventLoop::Clock::duration d) { co_await untangle::sleep_for(d); }

// Rule 3: when_any yields the first to finish; the loser runs on, detached, and ends.
TEST(WhenAny, YieldsTheFirstAndLetsTheLosersFinish) {
  EventLoop loop;
  Log log;
  EXPECT_EQ(untangle::sync_wait(loop, first_of(&log)), 1u);
  EXPECT_EQ(log, (Log{"slow starts", "fast starts", "fast ends", "winner 1 value 2"}));
  untangle::sync_wait(loop, wait_for(60ms));
  EXPECT_EQ(log.back(), "slow ends");
}

Task<int> cancellable_forever(untangle::CancellationToken token, std::atomic<int>* frames) {
  struct Alive {
    std::atomic<int>* n;
    ~Alive() { --*n; }
  } alive{frames};
  ++*frames;
  co_await untangle::sleep_for(1h, token);
  co_return 0;
}

Task<std::size_t> any_then_cancel(std::atomic<int>* frames, Log* log) {
  untangle::CancellationSource source;
  auto r = co_await untangle::when_any(cancellable_forever(source.token(), frames), logged(log, "quick", 5, 1ms));
  source.cancel();
  co_return r.index();
}

// Rule 3: losers given a token end when it is cancelled; their frames are freed.
TEST(WhenAny, CancelledLosersFreeTheirFrames) {
  EventLoop loop;
  std::atomic<int> frames{0};
  Log log;
  EXPECT_EQ(untangle::sync_wait(loop, any_then_cancel(&frames, &log)), 1u);
  loop.run();  // the loser wakes with operation_cancelled and frees itself
  EXPECT_EQ(frames.load(), 0);
}

Task<std::string> any_failing(std::atomic<int>* finished) {
  try {
    co_await untangle::when_any(fails_after(1ms, "boom"), finishes_after(30ms, finished));
  } catch (const std::runtime_error& e) {
    co_return e.what();
  }
  co_return "no error";
}

// Rule 3: a winner's exception comes out of the co_await.
TEST(WhenAny, WinnersExceptionIsRethrown) {
  EventLoop loop;
  std::atomic<int> finished{0};
  EXPECT_EQ(untangle::sync_wait(loop, any_failing(&finished)), "boom");
  loop.run();
  EXPECT_EQ(finished.load(), 1);  // the loser ran to its end
}

}  // namespace
