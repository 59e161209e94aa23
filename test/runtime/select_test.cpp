// Tests of untangle/select.hpp, one or more per rule. The million-round and 100k-round
// fairness runs are in channel_stress_test.cpp.
#include <untangle/runtime.hpp>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <variant>

using namespace std::chrono_literals;
using untangle::Channel;
using untangle::EventLoop;
using untangle::Task;
using untangle::recv_case;
using untangle::send_case;

namespace {

Task<std::size_t> select_two_recvs(Channel<int> a, Channel<int> b, int* got) {
  auto r = co_await untangle::select(recv_case(a), recv_case(b));
  *got = r.index() == 0 ? *std::get<0>(r) : *std::get<1>(r);
  co_return r.index();
}

// Rule 1: exactly one case completes; the other keeps its value.
TEST(Select, ExactlyOneReadyCaseCompletes) {
  EventLoop loop;
  Channel<int> a(1), b(1);
  ASSERT_TRUE(a.try_send(1));
  ASSERT_TRUE(b.try_send(2));
  int got = 0;
  std::size_t index = untangle::sync_wait(loop, select_two_recvs(a, b, &got));
  EXPECT_EQ(got, index == 0 ? 1 : 2);
  EXPECT_EQ(a.size() + b.size(), 1u);
}

// Rule 1: a parked select is completed by one channel; its node on the other is gone.
TEST(Select, LosingCaseOfAParkedSelectConsumesNothing) {
  EventLoop loop;
  Channel<int> a, b;
  int got = 0;
  std::thread sender([a]() mutable {
    std::this_thread::sleep_for(20ms);
    a.send_blocking(10);
  });
  EXPECT_EQ(untangle::sync_wait(loop, select_two_recvs(a, b, &got)), 0u);
  sender.join();
  EXPECT_EQ(got, 10);
  EXPECT_FALSE(b.try_send(20));  // nobody is receiving on b any more
}

Task<std::size_t> recv_or_send(Channel<int> in, Channel<std::string> out, std::string* v) {
  auto r = co_await untangle::select(recv_case(in), send_case(out, *v));
  co_return r.index();
}

// Rule 1: a send case that loses leaves the value with the caller.
TEST(Select, LosingSendCaseKeepsTheValue) {
  EventLoop loop;
  Channel<int> in(1);
  Channel<std::string> out;  // unbuffered, nobody receives: never ready
  ASSERT_TRUE(in.try_send(1));
  std::string v = "kept";
  EXPECT_EQ(untangle::sync_wait(loop, recv_or_send(in, out, &v)), 0u);
  EXPECT_EQ(v, "kept");
}

Task<void> count_choices(std::array<Channel<int>, 3> chs, int rounds, bool prioritized, std::array<int, 3>* hits) {
  for (int i = 0; i < rounds; ++i) {
    auto r = co_await untangle::select(untangle::SelectOptions().prioritized(prioritized), recv_case(chs[0]),
                                       recv_case(chs[1]), recv_case(chs[2]));
    ++(*hits)[r.index()];
    chs[r.index()].try_send(0);  // keep every case ready
  }
}

// Rule 2: among ready cases the choice is uniform.
TEST(Select, ReadyCasesAreChosenUniformly) {
  EventLoop loop;
  std::array<Channel<int>, 3> chs{Channel<int>(1), Channel<int>(1), Channel<int>(1)};
  for (auto& c : chs) c.try_send(0);
  std::array<int, 3> hits{};
  const int rounds = 30000;
  untangle::sync_wait(loop, count_choices(chs, rounds, false, &hits));
  for (int h : hits) EXPECT_NEAR(h, rounds / 3, rounds / 3 * 0.05);
}

// Rule 2: prioritized picks the first ready case in argument order.
TEST(Select, PrioritizedPicksTheFirstReadyCase) {
  EventLoop loop;
  std::array<Channel<int>, 3> chs{Channel<int>(1), Channel<int>(1), Channel<int>(1)};
  for (auto& c : chs) c.try_send(0);
  std::array<int, 3> hits{};
  untangle::sync_wait(loop, count_choices(chs, 100, true, &hits));
  EXPECT_EQ(hits, (std::array<int, 3>{100, 0, 0}));
}

Task<std::size_t> recv_or_default(Channel<int> ch) {
  auto r = co_await untangle::select(recv_case(ch), untangle::default_case());
  co_return r.index();
}

// Rule 3: the default case wins only when nothing else is ready, and never waits.
TEST(Select, DefaultCaseWinsOnlyWhenNothingIsReady) {
  EventLoop loop;
  Channel<int> ch(1);
  EXPECT_EQ(untangle::sync_wait(loop, recv_or_default(ch)), 1u);
  ch.try_send(5);
  EXPECT_EQ(untangle::sync_wait(loop, recv_or_default(ch)), 0u);
  EXPECT_EQ(ch.size(), 0u);
}

Task<std::size_t> recv_or_timeout(Channel<int> ch, EventLoop::Clock::duration d) {
  auto r = co_await untangle::select(recv_case(ch), untangle::timeout_case(d));
  co_return r.index();
}

// Rule 4: the timeout wins when nothing else happens within d, and not before d.
TEST(Select, TimeoutWinsAfterItsDuration) {
  EventLoop loop;
  Channel<int> ch;
  auto start = EventLoop::Clock::now();
  EXPECT_EQ(untangle::sync_wait(loop, recv_or_timeout(ch, 30ms)), 1u);
  EXPECT_GE(EventLoop::Clock::now() - start, 30ms);
  EXPECT_FALSE(ch.try_send(1));  // the receive node is gone
}

// Rule 4: a case that wins clears the timer (the loop does not wait for it).
TEST(Select, WinningCaseClearsTheTimer) {
  EventLoop loop;
  Channel<int> ch;
  std::thread sender([ch]() mutable {
    std::this_thread::sleep_for(20ms);
    ch.send_blocking(1);
  });
  auto start = EventLoop::Clock::now();
  EXPECT_EQ(untangle::sync_wait(loop, recv_or_timeout(ch, 10s)), 0u);
  sender.join();
  loop.run();  // nothing left: returns at once unless the 10 s timer survived
  EXPECT_LT(EventLoop::Clock::now() - start, 5s);
}

Task<bool> timeout_on_pool(untangle::ThreadPool* pool, EventLoop* loop, Channel<int> ch) {
  co_await pool->schedule();
  bool threw = false;
  try {
    co_await untangle::select(recv_case(ch), untangle::timeout_case(1ms));
  } catch (const std::logic_error&) {
    threw = true;
  }
  co_await loop->schedule();
  co_return threw;
}

TEST(Select, TimeoutOffALoopIsAnError) {
  EventLoop loop;
  untangle::ThreadPool pool(1);
  EXPECT_TRUE(untangle::sync_wait(loop, timeout_on_pool(&pool, &loop, Channel<int>())));
}

Task<void> cancellable_select(Channel<int> ch, untangle::CancellationToken token) {
  co_await untangle::select(untangle::SelectOptions().cancel_with(token), recv_case(ch));
}

// Rule 5: cancellation ends a parked select with operation_cancelled, consuming nothing.
TEST(Select, CancellationEndsAParkedSelect) {
  EventLoop loop;
  Channel<int> ch(1);
  untangle::CancellationSource source;
  std::thread canceller([&source] {
    std::this_thread::sleep_for(20ms);
    source.cancel();
  });
  EXPECT_THROW(untangle::sync_wait(loop, cancellable_select(ch, source.token())), untangle::operation_cancelled);
  canceller.join();
  EXPECT_TRUE(ch.try_send(1));
  EXPECT_EQ(ch.try_recv(), 1);  // the value went to nobody else
}

Task<std::size_t> recv_or_send_same(Channel<int> ch) {
  int v = 3;
  auto r = co_await untangle::select(recv_case(ch), send_case(ch, v));
  co_return r.index();
}

// Rule 6: the same channel may appear in several cases.
TEST(Select, SameChannelInTwoCases) {
  EventLoop loop;
  Channel<int> ch(1);
  EXPECT_EQ(untangle::sync_wait(loop, recv_or_send_same(ch)), 1u);  // empty: only send is ready
  EXPECT_EQ(untangle::sync_wait(loop, recv_or_send_same(ch)), 0u);  // full: only recv is ready
  EXPECT_EQ(ch.size(), 0u);
}

Task<void> select_sender(Channel<int> a, Channel<int> b, int v, int* which) {
  auto r = co_await untangle::select(send_case(a, v), send_case(b, v));
  *which = static_cast<int>(r.index());
}
Task<int> plain_recv(Channel<int> ch) { co_return *co_await ch.recv(); }

// Two parked selects on the same channels, from two loops: they meet without deadlock and
// exactly one value moves.
TEST(Select, ParkedSelectsOnSharedChannelsMeet) {
  Channel<int> a, b;
  int which = -1;
  std::thread other([&] {
    EventLoop loop2;
    untangle::sync_wait(loop2, select_sender(a, b, 42, &which));
  });
  EventLoop loop;
  std::this_thread::sleep_for(10ms);
  EXPECT_EQ(untangle::sync_wait(loop, plain_recv(b)), 42);
  other.join();
  EXPECT_EQ(which, 1);
  EXPECT_FALSE(a.try_recv().has_value());
}

}  // namespace
