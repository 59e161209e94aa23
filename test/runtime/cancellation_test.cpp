// Tests of untangle/cancellation.hpp, one or more per rule.
#include <untangle/runtime.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>

using namespace std::chrono_literals;
using untangle::CancellationSource;
using untangle::CancellationToken;
using untangle::Channel;
using untangle::EventLoop;
using untangle::Task;

namespace {

// Rule 1: cancel() from any thread; only the first call reports true; copies share.
TEST(Cancellation, CancelIsIdempotentAndShared) {
  CancellationSource source;
  CancellationSource copy = source;
  CancellationToken token = source.token();
  EXPECT_FALSE(token.cancelled());
  bool first = false, second = false;
  std::thread t([&] { first = copy.cancel(); });
  t.join();
  second = source.cancel();
  EXPECT_TRUE(first);
  EXPECT_FALSE(second);
  EXPECT_TRUE(token.cancelled());
  EXPECT_TRUE(source.cancelled());
  EXPECT_THROW(token.throw_if_cancelled(), untangle::operation_cancelled);
}

Task<std::string> sleep_outcome(EventLoop::Clock::duration d, CancellationToken token) {
  try {
    co_await untangle::sleep_for(d, token);
    co_return "slept";
  } catch (const untangle::operation_cancelled&) {
    co_return "cancelled";
  }
}

// Rule 2: sleep_for(d, token) ends early with operation_cancelled; uncancelled it sleeps.
TEST(Cancellation, SleepEndsEarlyWhenCancelled) {
  EventLoop loop;
  CancellationSource source;
  std::thread canceller([&] {
    std::this_thread::sleep_for(20ms);
    source.cancel();
  });
  auto start = EventLoop::Clock::now();
  EXPECT_EQ(untangle::sync_wait(loop, sleep_outcome(10s, source.token())), "cancelled");
  canceller.join();
  EXPECT_LT(EventLoop::Clock::now() - start, 5s);
  loop.run();  // rule 3: the 10 s timer is gone, so this returns at once
  EXPECT_LT(EventLoop::Clock::now() - start, 5s);

  CancellationSource idle;
  start = EventLoop::Clock::now();
  EXPECT_EQ(untangle::sync_wait(loop, sleep_outcome(20ms, idle.token())), "slept");
  EXPECT_GE(EventLoop::Clock::now() - start, 20ms);
}

// Rule 2: a token cancelled before the wait began wins even over a ready case.
TEST(Cancellation, AlreadyCancelledTokenEndsTheWaitAtOnce) {
  EventLoop loop;
  CancellationSource source;
  source.cancel();
  EXPECT_EQ(untangle::sync_wait(loop, sleep_outcome(10s, source.token())), "cancelled");
}

Task<std::string> recv_outcome(Channel<int> ch, CancellationToken token) {
  try {
    std::optional<int> v = co_await ch.recv(token);
    co_return v ? std::to_string(*v) : "closed";
  } catch (const untangle::operation_cancelled&) {
    co_return "cancelled";
  }
}

Task<std::string> send_outcome(Channel<std::string> ch, std::string* v, CancellationToken token) {
  try {
    co_return co_await ch.send(*v, token) ? "sent" : "closed";
  } catch (const untangle::operation_cancelled&) {
    co_return "cancelled";
  }
}

// Rules 2 and 3: cancelled channel waits consume nothing and keep the sender's value.
TEST(Cancellation, CancelledChannelWaitsConsumeNothing) {
  EventLoop loop;
  Channel<int> ch(1);
  CancellationSource source;
  loop.set_timeout(10ms, [&] { source.cancel(); });
  EXPECT_EQ(untangle::sync_wait(loop, recv_outcome(ch, source.token())), "cancelled");
  EXPECT_TRUE(ch.try_send(1));  // goes to the buffer, not to the cancelled receiver
  EXPECT_EQ(ch.try_recv(), 1);

  Channel<std::string> out;  // unbuffered, nobody receives
  CancellationSource source2;
  loop.set_timeout(10ms, [&] { source2.cancel(); });
  std::string v = "mine";
  EXPECT_EQ(untangle::sync_wait(loop, send_outcome(out, &v, source2.token())), "cancelled");
  EXPECT_EQ(v, "mine");
  EXPECT_EQ(out.try_recv(), std::nullopt);  // the sender's node is gone

  CancellationSource unused;
  EXPECT_TRUE(ch.try_send(7));
  EXPECT_EQ(untangle::sync_wait(loop, recv_outcome(ch, unused.token())), "7");
}

// Rule 3: completion and cancellation racing from another thread: exactly one wins. A
// value the sender saw delivered was received; one it did not was not.
TEST(Cancellation, RaceWithCompletionLosesNothing) {
  EventLoop loop;
  int received = 0, cancelled = 0;
  for (int round = 0; round < 200; ++round) {
    Channel<int> ch;
    CancellationSource source;
    bool delivered = false;
    std::thread racer([&, ch]() mutable {
      if (round % 2) source.cancel();
      delivered = ch.try_send(round);
      if (round % 2 == 0) source.cancel();
      ch.close();
    });
    std::string r = untangle::sync_wait(loop, recv_outcome(ch, source.token()));
    racer.join();
    if (delivered) {
      EXPECT_EQ(r, std::to_string(round));
      ++received;
    } else {
      EXPECT_TRUE(r == "cancelled" || r == "closed") << r;
      cancelled += r == "cancelled";
    }
  }
  EXPECT_GT(received + cancelled, 0);
}

Task<std::thread::id> cancelled_thread(CancellationToken token) {
  try {
    co_await untangle::sleep_for(10s, token);
  } catch (const untangle::operation_cancelled&) {
  }
  co_return std::this_thread::get_id();
}

// Rule 4: a cancelled wait resumes on its own loop, not inside cancel() on another thread.
TEST(Cancellation, CancelledWaitResumesOnItsLoop) {
  EventLoop loop;
  CancellationSource source;
  std::thread canceller([&] {
    std::this_thread::sleep_for(20ms);
    source.cancel();
  });
  EXPECT_EQ(untangle::sync_wait(loop, cancelled_thread(source.token())), std::this_thread::get_id());
  canceller.join();
}

// Rule 5: a default token can never be cancelled.
TEST(Cancellation, DefaultTokenIsNeverCancelled) {
  CancellationToken none;
  EXPECT_FALSE(none.can_be_cancelled());
  EXPECT_FALSE(none.cancelled());
  EXPECT_NO_THROW(none.throw_if_cancelled());
  EXPECT_TRUE(CancellationSource().token().can_be_cancelled());
}

}  // namespace
