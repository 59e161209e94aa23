// Stress tests of channels and select, meant for TSan (.ci/run builds every runtime test
// under it): many producers and consumers on plain threads, loops and a pool; closing
// mid-stream; a million select rounds racing a timeout; select fairness over 100k rounds.
// All value streams come from fixed seeds, so a failure reproduces with the same values.
#include <untangle/runtime.hpp>

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using untangle::Channel;
using untangle::EventLoop;
using untangle::Task;

namespace {

using Value = std::uint64_t;

// Each value names its producer and sequence number, so duplicates can be told apart.
Value make_value(unsigned producer, std::uint32_t seq) { return (Value{producer} << 32) | seq; }
std::uint64_t mix(Value v) {  // splitmix64 finalizer: the checksum is order-independent
  v += 0x9E3779B97F4A7C15ull;
  v = (v ^ (v >> 30)) * 0xBF58476D1CE4E5B9ull;
  v = (v ^ (v >> 27)) * 0x94D049BB133111EBull;
  return v ^ (v >> 31);
}

struct Ledger {
  explicit Ledger(unsigned producers, std::uint32_t per_producer)
      : per(per_producer), seen(std::size_t{producers} * per_producer) {}
  std::uint32_t per;
  std::vector<std::atomic<std::uint8_t>> seen;  // times each value was received
  std::atomic<std::uint64_t> sent_count{0}, sent_sum{0}, got_count{0}, got_sum{0};
  std::atomic<std::uint64_t> duplicates{0};

  void delivered(Value v) {
    sent_count.fetch_add(1, std::memory_order_relaxed);
    sent_sum.fetch_add(mix(v), std::memory_order_relaxed);
  }
  void received(Value v) {
    got_count.fetch_add(1, std::memory_order_relaxed);
    got_sum.fetch_add(mix(v), std::memory_order_relaxed);
    std::size_t index = std::size_t{static_cast<std::uint32_t>(v >> 32)} * per + static_cast<std::uint32_t>(v);
    if (seen[index].fetch_add(1, std::memory_order_relaxed) != 0) duplicates.fetch_add(1);
  }
};

Task<void> produce_coro(Channel<Value> ch, unsigned id, std::uint32_t n, Ledger* ledger) {
  for (std::uint32_t i = 0; i < n; ++i) {
    Value v = make_value(id, i);
    if (!co_await ch.send(v)) co_return;  // closed mid-stream: v was handed back
    ledger->delivered(v);
  }
}

Task<void> consume_coro(Channel<Value> ch, Ledger* ledger) {
  while (std::optional<Value> v = co_await ch.recv()) ledger->received(*v);
}

Task<void> consume_on_pool(untangle::ThreadPool* pool, EventLoop* loop, Channel<Value> ch, Ledger* ledger) {
  co_await pool->schedule();
  co_await consume_coro(ch, ledger);
  co_await loop->schedule();
}

// Producers alternate: coroutine on its own loop thread / plain thread. Consumers cycle:
// coroutine on a loop thread / coroutine on a pool / plain blocking thread.
void run_matrix(unsigned producers, unsigned consumers, std::size_t capacity, bool close_mid_stream) {
  const std::uint32_t total = 8000;
  const std::uint32_t per = total / producers;
  Channel<Value> ch(capacity);
  Ledger ledger(producers, per);
  untangle::ThreadPool pool(2);
  std::vector<std::thread> threads;
  std::atomic<unsigned> producers_left{producers};

  for (unsigned c = 0; c < consumers; ++c) {
    threads.emplace_back([&, c] {
      if (c % 3 == 2) {
        while (std::optional<Value> v = ch.recv_blocking()) ledger.received(*v);
        return;
      }
      EventLoop loop;
      if (c % 3 == 0)
        untangle::sync_wait(loop, consume_coro(ch, &ledger));
      else
        untangle::sync_wait(loop, consume_on_pool(&pool, &loop, ch, &ledger));
    });
  }
  for (unsigned p = 0; p < producers; ++p) {
    threads.emplace_back([&, p] {
      if (p % 2 == 0) {
        EventLoop loop;
        untangle::sync_wait(loop, produce_coro(ch, p, per, &ledger));
      } else {
        for (std::uint32_t i = 0; i < per; ++i) {
          Value v = make_value(p, i);
          if (!ch.send_blocking(v)) {
            EXPECT_EQ(v, make_value(p, i)) << "a refused value must be handed back intact";
            break;
          }
          ledger.delivered(v);
        }
      }
      if (producers_left.fetch_sub(1) == 1 && !close_mid_stream) ch.close();
    });
  }
  if (close_mid_stream) {
    while (ledger.got_count.load() < total / 2) std::this_thread::yield();
    ch.close();
  }
  for (auto& t : threads) t.join();

  EXPECT_EQ(ledger.duplicates.load(), 0u);
  EXPECT_EQ(ledger.got_count.load(), ledger.sent_count.load()) << "values lost";
  EXPECT_EQ(ledger.got_sum.load(), ledger.sent_sum.load()) << "checksum mismatch";
  if (close_mid_stream) {
    EXPECT_GE(ledger.got_count.load(), total / 2);
  } else {
    EXPECT_EQ(ledger.got_count.load(), std::uint64_t{per} * producers);
  }
}

class Matrix : public ::testing::TestWithParam<std::tuple<unsigned, unsigned, std::size_t, bool>> {};

TEST_P(Matrix, EveryValueReceivedExactlyOnce) {
  auto [producers, consumers, capacity, close_mid_stream] = GetParam();
  run_matrix(producers, consumers, capacity, close_mid_stream);
}

INSTANTIATE_TEST_SUITE_P(ChannelStress, Matrix,
                         ::testing::Combine(::testing::Values(1u, 4u), ::testing::Values(1u, 4u),
                                            ::testing::Values(std::size_t{0}, std::size_t{16}), ::testing::Bool()),
                         [](const auto& info) {
                           return std::to_string(std::get<0>(info.param)) + "x" + std::to_string(std::get<1>(info.param)) +
                                  (std::get<2>(info.param) ? "_buffered" : "_unbuffered") +
                                  (std::get<3>(info.param) ? "_close_mid_stream" : "_close_at_end");
                         });

struct SelectTally {
  std::uint64_t rounds = 0, timeouts = 0, values = 0, sum = 0;
};

Task<void> select_with_timeout(Channel<Value> ch, std::uint64_t expected, SelectTally* tally) {
  while (tally->values < expected) {
    auto r = co_await untangle::select(untangle::recv_case(ch), untangle::timeout_case(1ms));
    ++tally->rounds;
    if (r.index() == 1) {
      ++tally->timeouts;
      continue;
    }
    std::optional<Value>& v = std::get<0>(r);
    if (!v) break;
    ++tally->values;
    tally->sum += mix(*v);
  }
}

// One million select rounds against a producer on another thread, with a timeout case that
// keeps winning now and then: a timeout never swallows a value.
TEST(SelectStress, MillionRoundsWithATimeoutLoseNoValue) {
  const std::uint64_t n = 1'000'000;
  Channel<Value> ch(64);
  std::uint64_t sent_sum = 0;
  std::thread producer([&] {
    for (std::uint64_t i = 0; i < n; ++i) {
      if (i % (n / 8) == n / 16) std::this_thread::sleep_for(3ms);  // let the timeout win
      ASSERT_TRUE(ch.send_blocking(i));
      sent_sum += mix(i);
    }
  });
  EventLoop loop;
  SelectTally tally;
  untangle::sync_wait(loop, select_with_timeout(ch, n, &tally));
  producer.join();
  EXPECT_EQ(tally.values, n);
  EXPECT_EQ(tally.sum, sent_sum);
  EXPECT_GE(tally.rounds, n);
  EXPECT_GT(tally.timeouts, 0u) << "the timeout case never raced";
  EXPECT_EQ(ch.size(), 0u);
}

Task<void> tally_choices(std::array<Channel<int>, 4> chs, int rounds, std::array<int, 4>* hits) {
  for (int i = 0; i < rounds; ++i) {
    auto r = co_await untangle::select(untangle::recv_case(chs[0]), untangle::recv_case(chs[1]),
                                       untangle::recv_case(chs[2]), untangle::recv_case(chs[3]));
    ++(*hits)[r.index()];
    chs[r.index()].try_send(0);
  }
}

// Each of four always-ready cases is chosen within ±5% of uniform over 100k rounds.
TEST(SelectStress, FairnessOver100kRounds) {
  EventLoop loop;
  std::array<Channel<int>, 4> chs{Channel<int>(1), Channel<int>(1), Channel<int>(1), Channel<int>(1)};
  for (auto& c : chs) c.try_send(0);
  std::array<int, 4> hits{};
  const int rounds = 100'000;
  untangle::sync_wait(loop, tally_choices(chs, rounds, &hits));
  for (int h : hits) EXPECT_NEAR(h, rounds / 4, rounds / 4 * 0.05);
}

}  // namespace
