// Tests of untangle/channel.hpp, one or more per rule.
#include <untangle/runtime.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using untangle::Channel;
using untangle::EventLoop;
using untangle::Task;
using Log = std::vector<std::string>;

namespace {

Task<void> send_logged(Channel<int> ch, int v, Log* log) {
  bool ok = co_await ch.send(v);
  log->push_back("sent " + std::to_string(v) + (ok ? "" : " (closed)"));
}

Task<void> recv_logged(Channel<int> ch, Log* log) {
  std::optional<int> v = co_await ch.recv();
  log->push_back(v ? "got " + std::to_string(*v) : "got nullopt");
}

Task<void> yield_turns(EventLoop* loop, int n) {
  for (int i = 0; i < n; ++i) co_await loop->schedule();
}

// Rule 1: an unbuffered send completes only when a receiver takes the value.
TEST(Channel, UnbufferedSendWaitsForAReceiver) {
  EventLoop loop;
  Channel<int> ch;
  Log log;
  untangle::spawn(send_logged(ch, 7, &log));
  untangle::sync_wait(loop, yield_turns(&loop, 5));
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(ch.size(), 0u);
  untangle::spawn(recv_logged(ch, &log));
  untangle::sync_wait(loop, yield_turns(&loop, 5));
  EXPECT_EQ(log, (Log{"got 7", "sent 7"}));
}

// Rule 1: a buffered send completes once its value is in the buffer; FIFO.
TEST(Channel, BufferedSendsCompleteUntilFullAndKeepOrder) {
  EventLoop loop;
  Channel<int> ch(2);
  Log log;
  for (int i = 1; i <= 3; ++i) untangle::spawn(send_logged(ch, i, &log));
  untangle::sync_wait(loop, yield_turns(&loop, 3));
  EXPECT_EQ(log, (Log{"sent 1", "sent 2"}));
  EXPECT_EQ(ch.size(), 2u);
  for (int i = 0; i < 3; ++i) untangle::spawn(recv_logged(ch, &log));
  untangle::sync_wait(loop, yield_turns(&loop, 3));
  EXPECT_EQ(log, (Log{"sent 1", "sent 2", "got 1", "got 2", "got 3", "sent 3"}));
}

// Rule 1: waiting senders and waiting receivers are served first come, first served.
TEST(Channel, WaitersAreServedInArrivalOrder) {
  EventLoop loop;
  Channel<int> ch;
  Log log;
  for (int i = 1; i <= 3; ++i) untangle::spawn(recv_logged(ch, &log));
  for (int i = 10; i <= 12; ++i) EXPECT_TRUE(ch.try_send(i));
  untangle::sync_wait(loop, yield_turns(&loop, 3));
  EXPECT_EQ(log, (Log{"got 10", "got 11", "got 12"}));
  log.clear();
  for (int i = 1; i <= 3; ++i) untangle::spawn(send_logged(ch, i, &log));
  for (int i = 1; i <= 3; ++i) EXPECT_EQ(ch.try_recv(), i);
  untangle::sync_wait(loop, yield_turns(&loop, 3));
  EXPECT_EQ(log, (Log{"sent 1", "sent 2", "sent 3"}));
}

Task<bool> send_string(Channel<std::string> ch, std::string* s) { co_return co_await ch.send(std::move(*s)); }

// Rule 2: send moves from v only when it delivers; on false v still holds its value.
TEST(Channel, SendOnClosedChannelHandsTheValueBack) {
  EventLoop loop;
  Channel<std::string> ch(1);
  ch.close();
  std::string s = "precious";
  EXPECT_FALSE(untangle::sync_wait(loop, send_string(ch, &s)));
  EXPECT_EQ(s, "precious");
  EXPECT_FALSE(ch.try_send(s));
  EXPECT_EQ(s, "precious");
}

TEST(Channel, DeliveredSendMovesTheValue) {
  EventLoop loop;
  Channel<std::string> ch(1);
  std::string s = "moved away";
  EXPECT_TRUE(untangle::sync_wait(loop, send_string(ch, &s)));
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(ch.try_recv(), "moved away");
}

Task<bool> send_const(Channel<std::string> ch, const std::string* s) { co_return co_await ch.send(*s); }

// Rule 2: a const value is sent as a copy; the original is untouched either way.
TEST(Channel, ConstValueIsSentAsACopy) {
  EventLoop loop;
  Channel<std::string> ch(1);
  const std::string s = "constant";
  EXPECT_TRUE(untangle::sync_wait(loop, send_const(ch, &s)));
  Channel<std::string> closed(1);
  closed.close();
  EXPECT_FALSE(untangle::sync_wait(loop, send_const(closed, &s)));
  EXPECT_EQ(s, "constant");
  EXPECT_EQ(ch.try_recv(), "constant");
}

Task<void> drain(Channel<int> ch, std::vector<std::optional<int>>* out, int n) {
  for (int i = 0; i < n; ++i) out->push_back(co_await ch.recv());
}

// Rules 2 and 3: buffered values are still delivered after close, then nullopt forever.
TEST(Channel, CloseDeliversBufferedValuesThenNullopt) {
  EventLoop loop;
  Channel<int> ch(3);
  EXPECT_TRUE(ch.try_send(1));
  EXPECT_TRUE(ch.try_send(2));
  EXPECT_TRUE(ch.close());
  EXPECT_TRUE(ch.closed());
  std::vector<std::optional<int>> got;
  untangle::sync_wait(loop, drain(ch, &got, 4));
  EXPECT_EQ(got, (std::vector<std::optional<int>>{1, 2, std::nullopt, std::nullopt}));
}

Task<void> send_string_logged(Channel<std::string> ch, std::string v, Log* log) {
  bool ok = co_await ch.send(v);
  log->push_back(ok ? "delivered" : "handed back: " + v);
}

// Rule 3: waiting receivers get nullopt, waiting senders false with their value; closing
// again is harmless and returns false.
TEST(Channel, CloseWakesWaitingReceiversAndSenders) {
  EventLoop loop;
  Channel<int> receivers_side;
  Log log;
  untangle::spawn(recv_logged(receivers_side, &log));
  untangle::spawn(recv_logged(receivers_side, &log));
  EXPECT_TRUE(receivers_side.close());
  EXPECT_FALSE(receivers_side.close());
  untangle::sync_wait(loop, yield_turns(&loop, 3));
  EXPECT_EQ(log, (Log{"got nullopt", "got nullopt"}));

  Channel<std::string> senders_side(1);
  EXPECT_TRUE(senders_side.try_send(std::string("buffered")));
  log.clear();
  untangle::spawn(send_string_logged(senders_side, "a", &log));
  untangle::spawn(send_string_logged(senders_side, "b", &log));
  senders_side.close();
  untangle::sync_wait(loop, yield_turns(&loop, 3));
  EXPECT_EQ(log, (Log{"handed back: a", "handed back: b"}));
  EXPECT_EQ(senders_side.try_recv(), "buffered");
  EXPECT_EQ(senders_side.try_recv(), std::nullopt);
}

// Rule 4: try_send / try_recv complete only what can complete now.
TEST(Channel, TryOperationsNeverWait) {
  Channel<int> unbuffered;
  EXPECT_FALSE(unbuffered.try_send(1));  // nobody receives
  EXPECT_EQ(unbuffered.try_recv(), std::nullopt);
  Channel<int> buffered(1);
  EXPECT_TRUE(buffered.try_send(1));
  EXPECT_FALSE(buffered.try_send(2));  // full
  EXPECT_EQ(buffered.try_recv(), 1);
  EXPECT_EQ(buffered.try_recv(), std::nullopt);
}

Task<long> sum_until_closed(Channel<int> ch) {
  long sum = 0;
  while (std::optional<int> v = co_await ch.recv()) sum += *v;
  co_return sum;
}

// Rules 4 and 5: a plain thread with send_blocking feeds a coroutine; the loop does not
// give up while the coroutine waits for the other thread.
TEST(Channel, BlockingSenderThreadFeedsACoroutine) {
  EventLoop loop;
  Channel<int> ch;
  std::thread producer([ch]() mutable {
    std::this_thread::sleep_for(20ms);  // the consumer is parked well before
    for (int i = 1; i <= 100; ++i) EXPECT_TRUE(ch.send_blocking(i));
    ch.close();
    EXPECT_FALSE(ch.send_blocking(101));
  });
  EXPECT_EQ(untangle::sync_wait(loop, sum_until_closed(ch)), 5050);
  producer.join();
}

Task<void> produce(Channel<int> ch, int n) {
  for (int i = 1; i <= n; ++i) EXPECT_TRUE(co_await ch.send(i));
  ch.close();
}

TEST(Channel, BlockingReceiverThreadDrainsACoroutine) {
  EventLoop loop;
  Channel<int> ch(4);
  long sum = 0;
  std::thread consumer([ch, &sum]() mutable {
    while (std::optional<int> v = ch.recv_blocking()) sum += *v;
  });
  untangle::sync_wait(loop, produce(ch, 100));
  consumer.join();
  EXPECT_EQ(sum, 5050);
}

Task<std::thread::id> recv_and_report_thread(Channel<int> ch) {
  co_await ch.recv();
  co_return std::this_thread::get_id();
}

// Rule 5: a coroutine resumes on the loop it was suspended on, whatever thread sends.
TEST(Channel, CoroutineResumesOnItsOwnLoop) {
  EventLoop loop;
  Channel<int> ch;
  std::thread sender([ch]() mutable {
    std::this_thread::sleep_for(20ms);  // the receiver is parked well before
    EventLoop other;  // a coroutine of another loop completes the wait
    untangle::sync_wait(other, produce(ch, 1));
  });
  EXPECT_EQ(untangle::sync_wait(loop, recv_and_report_thread(ch)), std::this_thread::get_id());
  sender.join();
}

Task<bool> recv_on_pool(untangle::ThreadPool* pool, EventLoop* loop, Channel<int> ch) {
  co_await pool->schedule();
  co_await ch.recv();
  bool on_pool = untangle::ThreadPool::current() == pool;
  co_await loop->schedule();
  co_return on_pool;
}

TEST(Channel, CoroutineResumesOnItsPool) {
  EventLoop loop;
  untangle::ThreadPool pool(2);
  Channel<int> ch;
  std::thread sender([ch]() mutable {
    std::this_thread::sleep_for(20ms);
    ch.send_blocking(1);
  });
  EXPECT_TRUE(untangle::sync_wait(loop, recv_on_pool(&pool, &loop, ch)));
  sender.join();
}

Task<void> recv_then_log(Channel<int> ch, Log* log) {
  co_await ch.recv();
  log->push_back("receiver resumed");
}
Task<void> send_then_log(Channel<int> ch, Log* log) {
  co_await ch.send(1);
  log->push_back("sender carries on");
  co_await ch.send(2);  // a buffered slot is free: no wait
  log->push_back("sender done");
}

// Rule 5: the side that completed a wait carries on first; the woken one runs as a job.
TEST(Channel, TheCompletingSideCarriesOnFirst) {
  EventLoop loop;
  Channel<int> ch(1);
  Log log;
  untangle::spawn(recv_then_log(ch, &log));
  untangle::sync_wait(loop, send_then_log(ch, &log));
  untangle::sync_wait(loop, yield_turns(&loop, 2));
  EXPECT_EQ(log, (Log{"sender carries on", "sender done", "receiver resumed"}));
}

Task<void> wake_then_wait(Channel<int> wake, Channel<int> wait, EventLoop* loop, Log* log) {
  loop->post([log] { log->push_back("job queued before the wake"); });
  co_await wake.send(1);
  log->push_back("waker waits");
  co_await wait.recv();
}

// Rule 5: the woken coroutine runs as soon as its waker (same loop) waits: before jobs queued.
TEST(Channel, WokenPartnerRunsWhenTheWakerWaits) {
  EventLoop loop;
  Channel<int> a, b;
  Log log;
  untangle::spawn(recv_then_log(a, &log));
  loop.post([&] { untangle::spawn(wake_then_wait(a, b, &loop, &log)); });
  untangle::sync_wait(loop, yield_turns(&loop, 3));
  b.close();
  loop.run();
  EXPECT_EQ(log, (Log{"waker waits", "receiver resumed", "job queued before the wake"}));
}

Task<void> ping(Channel<int> in, Channel<int> out, int n, bool* timer_ran) {
  bool timer_seen_midway = false;
  for (int i = 0; i < n; ++i) {
    co_await out.send(i);
    EXPECT_EQ(co_await in.recv(), i);
    if (i == n / 2) timer_seen_midway = *timer_ran;
  }
  out.close();
  EXPECT_TRUE(timer_seen_midway) << "a ping-pong pair starved the loop's timers";
}
Task<void> pong(Channel<int> in, Channel<int> out) {
  while (std::optional<int> v = co_await in.recv()) co_await out.send(*v);
}

// Rule 5: two coroutines handing values back and forth do not starve timers and I/O.
TEST(Channel, PingPongDoesNotStarveTheLoop) {
  EventLoop loop;
  Channel<int> a, b;
  bool timer_ran = false;
  loop.set_timeout(0ms, [&] { timer_ran = true; });
  untangle::spawn(pong(a, b));
  untangle::sync_wait(loop, ping(b, a, 20000, &timer_ran));
  loop.run();  // pong sees the close and ends
}

// Rule 7: copies share one channel.
TEST(Channel, CopiesShareOneChannel) {
  Channel<int> a(1);
  Channel<int> b = a;
  EXPECT_TRUE(a == b);
  EXPECT_TRUE(a.try_send(5));
  EXPECT_EQ(b.size(), 1u);
  EXPECT_EQ(b.try_recv(), 5);
  b.close();
  EXPECT_TRUE(a.closed());
  EXPECT_FALSE(Channel<int>() == a);
  EXPECT_EQ(Channel<int>(7).capacity(), 7u);
}

struct Counted {
  static inline std::atomic<int> alive{0};
  int v = 0;
  explicit Counted(int x) : v(x) { ++alive; }
  Counted(Counted&& o) noexcept : v(o.v) { ++alive; }
  Counted& operator=(Counted&&) noexcept = default;
  ~Counted() { --alive; }
};

Task<void> recv_counted_forever(Channel<Counted> ch) { co_await ch.recv(); }

// A coroutine frame destroyed while it waits unlinks itself: the channel works on and
// leaks nothing.
TEST(Channel, DestroyingAWaitingCoroutineUnlinksIt) {
  EventLoop loop;
  Channel<Counted> ch;
  {
    auto waiting = recv_counted_forever(ch);
    auto handle = waiting.release();
    untangle::detail::resume(handle);  // parks on the channel
    EXPECT_FALSE(handle.done());
    handle.destroy();
  }
  EXPECT_FALSE(ch.try_send(Counted(1)));  // nobody receives any more
  Counted c(2);
  EXPECT_FALSE(ch.try_send(c));
  EXPECT_EQ(c.v, 2);
}


// ---- Rule 8: a channel owned by one thread, then used from others -------------------------

bool owned_here(const Channel<int>& ch) { return ch.state().mutex.owned_here(); }
bool ownership_supported() { return untangle::detail::ChannelLock::ownership_supported(); }

Task<void> ping_pong_then_report(Channel<int> a, Channel<int> b, int n, bool* owned) {
  for (int i = 0; i < n; ++i) {
    co_await a.send(i);
    EXPECT_EQ(co_await b.recv(), i);
  }
  *owned = owned_here(a) && owned_here(b);
}
Task<void> echo(Channel<int> in, Channel<int> out) {
  while (std::optional<int> v = co_await in.recv()) co_await out.send(*v);
}
Task<void> send_then_signal(Channel<int> ch, int n, int signal_at, std::atomic<bool>* signal) {
  for (int i = 0; i < n; ++i) {
    if (i == signal_at) {
      EXPECT_EQ(owned_here(ch), ownership_supported());  // the thief will have to revoke it
      signal->store(true);
    }
    EXPECT_TRUE(co_await ch.send(i));
  }
  ch.close();
}
Task<void> collect(Channel<int> ch, std::vector<int>* out) {
  while (std::optional<int> v = co_await ch.recv()) out->push_back(*v);
}

// Rule 8: a channel used only by one loop's coroutines becomes owned by that thread; then a
// plain thread and a coroutine of another loop use it, and every value still arrives once.
TEST(Channel, OwnedChannelThenUsedFromOtherThreadsAndLoops) {
  EventLoop loop;
  Channel<int> a, b;
  bool owned = false;
  untangle::spawn(echo(a, b));
  untangle::sync_wait(loop, ping_pong_then_report(a, b, 500, &owned));
  EXPECT_EQ(owned, ownership_supported());

  // A plain thread now sends on `a` (revoking the ownership); the echo coroutine of the
  // first loop answers on `b`, which a coroutine of a second loop on a third thread reads.
  long from_other_loop = -1;
  std::thread reader([b, &from_other_loop] {
    EventLoop other;
    from_other_loop = untangle::sync_wait(other, sum_until_closed(b));
  });
  std::thread writer([a]() mutable {
    for (int i = 1; i <= 1000; ++i) EXPECT_TRUE(a.send_blocking(i));
    a.close();
  });
  loop.run();  // the echo coroutine, until `a` is closed
  writer.join();
  b.close();
  reader.join();
  EXPECT_EQ(from_other_loop, 1000L * 1001 / 2);
  EXPECT_FALSE(owned_here(a));
  EXPECT_FALSE(owned_here(b));
}

// Rule 8, under load: another thread starts receiving while the owner thread is in the
// middle of its lock-free operations. Each value arrives exactly once (TSan checks the
// hand-over of the channel's state between the two threads).
TEST(Channel, OwnershipIsRevokedWhileTheOwnerIsBusy) {
  for (int round = 0; round < 20; ++round) {
    constexpr int n = 20000;
    EventLoop loop;
    Channel<int> ch(4);
    std::vector<char> seen(n, 0);
    std::atomic<bool> start{false};
    std::vector<int> taken_by_thread;
    std::thread thief([ch, &start, &taken_by_thread]() mutable {
      while (!start.load()) std::this_thread::yield();
      while (std::optional<int> v = ch.recv_blocking()) taken_by_thread.push_back(*v);
    });
    // The thief starts well after the loop thread took ownership (64 operations).
    untangle::spawn(send_then_signal(ch, n, 1000, &start));
    std::vector<int> taken_by_loop;
    untangle::sync_wait(loop, collect(ch, &taken_by_loop));
    thief.join();
    for (int v : taken_by_loop) ++seen[v];
    for (int v : taken_by_thread) ++seen[v];
    for (int i = 0; i < n; ++i) ASSERT_EQ(seen[i], 1) << "value " << i << " in round " << round;
    EXPECT_TRUE(std::is_sorted(taken_by_loop.begin(), taken_by_loop.end()));
    EXPECT_TRUE(std::is_sorted(taken_by_thread.begin(), taken_by_thread.end()));
  }
}

}  // namespace
