// Tests of untangle/observable.hpp, one or more per rule.
#include <untangle/runtime.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using untangle::Channel;
using untangle::EventLoop;
using untangle::Observable;
using untangle::Task;
using Log = std::vector<std::string>;

namespace {

std::vector<int> ints(int from, int to) {
  std::vector<int> v;
  for (int i = from; i <= to; ++i) v.push_back(i);
  return v;
}

Observable<int> failing_after(int n) {
  return Observable<int>([n](untangle::Emitter<int> out) {
    for (int i = 0; i < n; ++i) out.next(i);
    out.error(std::make_exception_ptr(std::runtime_error("source failed")));
    out.next(99);  // ignored: after the end
    out.complete();  // ignored too
  });
}

// Rule 1: values, then at most one terminal event, then nothing.
TEST(Observable, NothingAfterTheTerminalEvent) {
  Log log;
  failing_after(2).subscribe([&](const int& v) { log.push_back(std::to_string(v)); },
                             [&](std::exception_ptr e) { log.push_back("error: " + untangle::detail::describe(e)); },
                             [&] { log.push_back("complete"); });
  EXPECT_EQ(log, (Log{"0", "1", "error: source failed"}));
}

// Rules 1 and 6: nothing happens before subscribe; each subscription runs afresh.
TEST(Observable, ColdAndRepeatable) {
  int runs = 0;
  Observable<int> source([&runs](untangle::Emitter<int> out) {
    ++runs;
    out.next(runs);
    out.complete();
  });
  EXPECT_EQ(runs, 0);
  std::vector<int> seen;
  source.subscribe([&](const int& v) { seen.push_back(v); });
  source.subscribe([&](const int& v) { seen.push_back(v); });
  EXPECT_EQ(seen, (std::vector<int>{1, 2}));
}

// Rule 3: an error nobody handles is reported on stderr.
TEST(Observable, UnhandledErrorIsReported) {
  testing::internal::CaptureStderr();
  failing_after(0).subscribe([](const int&) {});
  EXPECT_NE(testing::internal::GetCapturedStderr().find("untangle: unhandled observable error: source failed"),
            std::string::npos);
}

// Rule 5: map, filter, scan, distinct_until_changed.
TEST(Observable, SynchronousOperators) {
  std::vector<int> seen;
  bool completed = false;
  std::vector<int> input{1, 1, 2, 2, 2, 3, 1, 4, 4};
  untangle::from_range(input)
      .distinct_until_changed()  // 1 2 3 1 4
      .map([](int x) { return x * 10; })  // 10 20 30 10 40
      .filter([](int x) { return x != 30; })  // 10 20 10 40
      .scan(0, [](int acc, int x) { return acc + x; })  // 10 30 40 80
      .subscribe([&](const int& v) { seen.push_back(v); }, {}, [&] { completed = true; });
  EXPECT_EQ(seen, (std::vector<int>{10, 30, 40, 80}));
  EXPECT_TRUE(completed);
}

Task<std::vector<std::size_t>> first_ticks(EventLoop* loop) {
  co_return co_await untangle::to_vector(untangle::interval(*loop, 2ms).take(4));
}

// Rules 2, 5 and 6: interval + take: take completes and cancels the interval (the loop
// then has no timer left and run() returns).
TEST(Observable, IntervalTakeCompletesAndStopsTheTimer) {
  EventLoop loop;
  EXPECT_EQ(untangle::sync_wait(loop, first_ticks(&loop)), (std::vector<std::size_t>{0, 1, 2, 3}));
  auto start = EventLoop::Clock::now();
  loop.run();
  EXPECT_LT(EventLoop::Clock::now() - start, 5s);  // a timer left behind would never let run() return
}

// Rule 2: cancel() stops the pipeline; it is idempotent. Nothing is timed here: the
// interval's first deadline (1 ms) comes before the timeout's (10 ms), and loop rule 3 fires
// timers in deadline order, so at least one value arrives; after cancel() none does, and
// run() returns only because the interval timer was cleared.
TEST(Observable, CancelStopsTheSource) {
  EventLoop loop;
  std::vector<std::size_t> seen;
  std::size_t seen_at_cancel = 0;
  untangle::Subscription sub = untangle::interval(loop, 1ms).subscribe([&](const std::size_t& v) { seen.push_back(v); });
  loop.set_timeout(10ms, [&] {
    seen_at_cancel = seen.size();
    sub.cancel();
    sub.cancel();
  });
  loop.run();
  EXPECT_TRUE(sub.cancelled());
  EXPECT_GE(seen_at_cancel, 1u);
  EXPECT_EQ(seen.size(), seen_at_cancel);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i);
}

// Rule 2: a subscriber may cancel from inside its own callback; no value follows.
TEST(Observable, CancelFromInsideTheCallback) {
  EventLoop loop;
  std::vector<std::size_t> seen;
  untangle::Subscription sub;
  sub = untangle::interval(loop, 1ms).subscribe([&](const std::size_t& v) {
    seen.push_back(v);
    if (v == 2) sub.cancel();
  });
  loop.run();
  EXPECT_EQ(seen, (std::vector<std::size_t>{0, 1, 2}));
}

Task<void> feed_with_pauses(Channel<int> ch) {
  // Bursts of three, 30 ms apart: debounce(10 ms) keeps each burst's last value.
  for (int burst = 0; burst < 3; ++burst) {
    for (int i = 0; i < 3; ++i) co_await ch.send(burst * 10 + i);
    co_await untangle::sleep_for(30ms);
  }
  co_await ch.send(99);
  ch.close();  // completion flushes the pending 99
}

Task<std::vector<int>> debounced(Channel<int> ch) {
  co_return co_await untangle::to_vector(untangle::from_channel(ch).debounce(10ms));
}

// Rules 5 and 6: from_channel + debounce; completion flushes the pending value.
TEST(Observable, DebounceKeepsTheLastOfEachBurst) {
  EventLoop loop;
  Channel<int> ch;
  untangle::spawn(feed_with_pauses(ch));
  EXPECT_EQ(untangle::sync_wait(loop, debounced(ch)), (std::vector<int>{2, 12, 22, 99}));
}

Task<std::vector<std::size_t>> throttled(EventLoop* loop) {
  co_return co_await untangle::to_vector(untangle::interval(*loop, 10ms).throttle(35ms).take(3));
}

// Rule 5: throttle emits a value, then drops values for its window.
TEST(Observable, ThrottleDropsValuesInsideTheWindow) {
  EventLoop loop;
  auto got = untangle::sync_wait(loop, throttled(&loop));
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], 0u);
  // The tick after a passed value is due at most 10 ms after it, before the 35 ms window
  // closes, and loop rule 3 fires timers in deadline order, so it is always dropped. (Two
  // more usually are too, but a stalled machine can make a late tick re-arm past the window.)
  for (std::size_t i = 1; i < got.size(); ++i) EXPECT_GE(got[i] - got[i - 1], 2u) << "a value inside the window got through";
}

Task<std::vector<int>> merged() {
  std::vector<int> a = ints(1, 3), b = ints(10, 11);
  co_return co_await untangle::to_vector(untangle::merge(untangle::from_range(a), untangle::from_range(b)));
}

// Rule 5: merge interleaves and completes when all complete.
TEST(Observable, MergeCompletesWhenAllComplete) {
  EventLoop loop;
  EXPECT_EQ(untangle::sync_wait(loop, merged()), (std::vector<int>{1, 2, 3, 10, 11}));
}

// Rule 5: merge fails at the first error and cancels the others.
TEST(Observable, MergeFailsAtTheFirstErrorAndCancelsTheRest) {
  EventLoop loop;
  Log log;
  auto sub = untangle::merge(untangle::interval(loop, 1ms).map([](std::size_t v) { return static_cast<int>(v); }),
                             failing_after(1))
                 .subscribe([&](const int& v) { log.push_back(std::to_string(v)); },
                            [&](std::exception_ptr e) { log.push_back("error: " + untangle::detail::describe(e)); });
  loop.run();  // returns only if the interval was cancelled
  EXPECT_EQ(log, (Log{"0", "error: source failed"}));
  EXPECT_TRUE(sub.cancelled());
}

// Rule 5: take(n) inside a merge stops only its own branch.
TEST(Observable, TakeInsideMergeStopsOnlyItsBranch) {
  EventLoop loop;
  std::vector<int> a = ints(1, 5), b = ints(10, 12);
  std::vector<int> seen;
  bool completed = false;
  untangle::merge(untangle::from_range(a).take(2), untangle::from_range(b))
      .subscribe([&](const int& v) { seen.push_back(v); }, {}, [&] { completed = true; });
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 10, 11, 12}));
  EXPECT_TRUE(completed);
}

untangle::AsyncGenerator<int> squares(int n) {
  for (int i = 1; i <= n; ++i) {
    co_await untangle::sleep_for(1ms);
    co_yield i * i;
  }
}

Task<std::vector<int>> from_gen() { co_return co_await untangle::to_vector(untangle::from_generator(squares(4))); }

// Rule 6: from_generator, subscribable once.
TEST(Observable, FromGenerator) {
  EventLoop loop;
  EXPECT_EQ(untangle::sync_wait(loop, from_gen()), (std::vector<int>{1, 4, 9, 16}));
  auto once = untangle::from_generator(squares(1));
  once.subscribe([](const int&) {});
  bool failed = false;
  once.subscribe([](const int&) {}, [&](std::exception_ptr) { failed = true; });
  EXPECT_TRUE(failed);
  loop.run();
}

Task<std::vector<int>> read_all(Channel<int> ch) {
  std::vector<int> out;
  while (std::optional<int> v = co_await ch.recv()) out.push_back(*v);
  co_return out;
}

// Rule 6: to_channel sends every value in order, waiting for room, then closes.
TEST(Observable, ToChannelDeliversInOrderThenCloses) {
  EventLoop loop;
  Channel<int> ch(2);  // smaller than the burst: the sink must wait for room
  untangle::to_channel(untangle::from_range(ints(1, 6)), ch);
  EXPECT_EQ(untangle::sync_wait(loop, read_all(ch)), ints(1, 6));
}

Task<std::vector<int>> first_values_then_stop(Channel<int> ch, untangle::Subscription* sub, EventLoop* loop) {
  std::vector<int> out;
  *sub = untangle::from_channel(ch).subscribe([&out](const int& v) { out.push_back(v); });
  co_await ch.send(1);
  co_await ch.send(2);
  for (int i = 0; i < 3; ++i) co_await loop->schedule();  // the pump takes both
  sub->cancel();  // from_channel stops receiving
  co_await loop->schedule();
  co_return out;
}

// Rule 2: a cancelled from_channel leaves later values in the channel.
TEST(Observable, CancelledFromChannelStopsReceiving) {
  EventLoop loop;
  Channel<int> ch(4);
  untangle::Subscription sub;
  EXPECT_EQ(untangle::sync_wait(loop, first_values_then_stop(ch, &sub, &loop)), (std::vector<int>{1, 2}));
  EXPECT_TRUE(ch.try_send(3));
  loop.run();
  EXPECT_EQ(ch.try_recv(), 3);  // nobody took it
}

}  // namespace
