// Tests of untangle/async_generator.hpp, one or more per rule.
#include <untangle/runtime.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using untangle::AsyncGenerator;
using untangle::EventLoop;
using untangle::Task;
using Log = std::vector<std::string>;

namespace {

AsyncGenerator<int> counted(Log* log, int n) {
  for (int i = 0; i < n; ++i) {
    log->push_back("body " + std::to_string(i));
    co_await untangle::sleep_for(1ms);
    co_yield i;
  }
  log->push_back("body ends");
}

Task<std::vector<int>> consume(AsyncGenerator<int> gen, Log* log) {
  std::vector<int> out;
  log->push_back("consumer starts");
  while (std::optional<int> v = co_await gen.next()) {
    log->push_back("got " + std::to_string(*v));
    out.push_back(*v);
  }
  EXPECT_EQ(co_await gen.next(), std::nullopt);  // finished stays finished
  co_return out;
}

// Rule 1: lazy; co_await and co_yield in one body; every value once, in order; then nullopt.
TEST(AsyncGenerator, InterleavesBodyAndConsumerLazily) {
  EventLoop loop;
  Log log;
  auto gen = counted(&log, 3);
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(untangle::sync_wait(loop, consume(std::move(gen), &log)), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(log, (Log{"consumer starts", "body 0", "got 0", "body 1", "got 1", "body 2", "got 2", "body ends"}));
}

AsyncGenerator<long> numbers(long n) {
  for (long i = 0; i < n; ++i) co_yield i;
}

Task<long> sum_all(AsyncGenerator<long> gen) {
  long sum = 0;
  while (std::optional<long> v = co_await gen.next()) sum += *v;
  co_return sum;
}

// Rule 2: symmetric transfer both ways: a million synchronous yields need constant stack.
TEST(AsyncGenerator, MillionYieldsUseConstantStack) {
  EventLoop loop;
  EXPECT_EQ(untangle::sync_wait(loop, sum_all(numbers(1'000'000))), 499'999'500'000L);
}

AsyncGenerator<int> from_pool(untangle::ThreadPool* pool) {
  co_await pool->schedule();
  co_yield 1;
}

Task<bool> consume_from_pool(untangle::ThreadPool* pool, EventLoop* loop) {
  auto gen = from_pool(pool);
  std::optional<int> v = co_await gen.next();
  bool on_pool = untangle::ThreadPool::current() == pool;  // resumed where the body yielded
  co_await loop->schedule();
  co_return v == 1 && on_pool;
}

// Rule 2: the consumer resumes on the thread the body yielded on.
TEST(AsyncGenerator, ConsumerResumesWhereTheBodyYielded) {
  EventLoop loop;
  untangle::ThreadPool pool(1);
  EXPECT_TRUE(untangle::sync_wait(loop, consume_from_pool(&pool, &loop)));
}

AsyncGenerator<int> throws_after_one() {
  co_yield 1;
  throw std::runtime_error("generator failed");
}

Task<std::string> consume_failing() {
  auto gen = throws_after_one();
  std::string out = std::to_string(*co_await gen.next());
  try {
    co_await gen.next();
  } catch (const std::runtime_error& e) {
    out += std::string(" then ") + e.what();
  }
  out += (co_await gen.next()).has_value() ? " then more" : " then finished";
  co_return out;
}

// Rule 3: an exception comes out of that next(); the generator is then finished.
TEST(AsyncGenerator, ExceptionComesOutOfNext) {
  EventLoop loop;
  EXPECT_EQ(untangle::sync_wait(loop, consume_failing()), "1 then generator failed then finished");
}

struct Tracked {
  int* destroyed;
  ~Tracked() { ++*destroyed; }
};

AsyncGenerator<int> owns_a_resource(int* destroyed) {
  Tracked t{destroyed};
  for (int i = 0;; ++i) co_yield i;
}

Task<int> take_two(AsyncGenerator<int> gen) {
  int a = *co_await gen.next();
  int b = *co_await gen.next();
  co_return a + b;
}

// Rule 4: destroying the generator between next() calls destroys the body's frame.
TEST(AsyncGenerator, DestroyingItRunsTheBodysDestructors) {
  EventLoop loop;
  int destroyed = 0;
  EXPECT_EQ(untangle::sync_wait(loop, take_two(owns_a_resource(&destroyed))), 1);
  EXPECT_EQ(destroyed, 1);
}

AsyncGenerator<int> slow_one() {
  co_await untangle::sleep_for(10ms);
  co_yield 1;
}

Task<void> drive(AsyncGenerator<int>* gen) { co_await gen->next(); }

Task<bool> second_next_throws(AsyncGenerator<int>* gen) {
  try {
    co_await gen->next();
  } catch (const std::logic_error&) {
    co_return true;
  }
  co_return false;
}

// Rule 4: a second next() while one is pending throws.
TEST(AsyncGenerator, SecondPendingNextThrows) {
  EventLoop loop;
  auto gen = slow_one();
  untangle::spawn(drive(&gen));  // pending: the body sleeps
  EXPECT_TRUE(untangle::sync_wait(loop, second_next_throws(&gen)));
  loop.run();  // the first next() completes
}

}  // namespace
