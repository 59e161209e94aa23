// Tests of untangle/detail/callback_queue.hpp: records of their own size in blocks that
// never move, recycled blocks, O(1) splice.
#include <untangle/detail/callback_queue.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

using untangle::detail::CallbackQueue;

namespace {

TEST(CallbackQueue, RecordsTakeTheSizeOfTheirCallable) {
  int x = 0;
  auto one_pointer = [p = &x] { ++*p; };
  auto three_pointers = [a = &x, b = &x, c = &x] { *a += *b + *c; };
  // The Ops pointer plus the captures, rounded up to 8 bytes.
  EXPECT_EQ(CallbackQueue::record_size<decltype(one_pointer)>(), 16u);
  EXPECT_EQ(CallbackQueue::record_size<decltype(three_pointers)>(), 32u);
  // Callables too large to keep in a block are boxed: the record holds a pointer.
  auto huge = [big = std::array<char, 4096>{}] { (void)big; };
  EXPECT_EQ(CallbackQueue::record_size<decltype(huge)>(), 16u);
}

// Many records of mixed sizes and alignments, across many blocks, come out in order and
// each intact.
TEST(CallbackQueue, MixedRecordsRunInFifoOrderAcrossBlocks) {
  CallbackQueue q;
  std::vector<std::uint64_t> seen;
  struct alignas(16) Aligned {
    std::vector<std::uint64_t>* out;
    std::uint64_t value;
    void operator()() const {
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(this) % 16, 0u);
      out->push_back(value);
    }
  };
  constexpr std::uint64_t n = 200'000;  // far more than one block holds
  for (std::uint64_t i = 0; i < n; ++i) {
    switch (i % 4) {
      case 0: q.push([&seen, i] { seen.push_back(i); }); break;
      case 1: q.push(Aligned{&seen, i}); break;
      case 2: q.push([&seen, i, pad = std::array<char, 40>{}] { seen.push_back(i + pad[0]); }); break;
      default: q.push([&seen, i, big = std::array<char, 3000>{}] { seen.push_back(i + big[0]); }); break;
    }
  }
  EXPECT_EQ(q.size(), n);
  while (!q.empty()) q.run_front();
  ASSERT_EQ(seen.size(), n);
  for (std::uint64_t i = 0; i < n; ++i) ASSERT_EQ(seen[i], i);
}

// A running callable may push onto its own queue (blocks never move under it), also when
// the push opens a new block.
TEST(CallbackQueue, ACallableMayPushOntoItsQueueWhileItRuns) {
  CallbackQueue q;
  int runs = 0;
  struct Repost {
    CallbackQueue* q;
    int* runs;
    std::array<char, 200> payload;  // fills a block in a few dozen records
    void operator()() {
      payload[0] = static_cast<char>(++*runs);
      if (*runs < 10'000) q->push(*this);
      EXPECT_EQ(payload[0], static_cast<char>(*runs > 10'000 ? 10'000 : *runs));
    }
  };
  q.push(Repost{&q, &runs, {}});
  while (!q.empty()) q.run_front();
  EXPECT_EQ(runs, 10'000);
}

// A callable that throws is destroyed all the same and the queue goes on.
TEST(CallbackQueue, AThrowingCallableIsDestroyedAndTheQueueStaysUsable) {
  CallbackQueue q;
  auto alive = std::make_shared<int>(0);
  std::vector<int> order;
  q.push([keep = alive] { throw std::runtime_error("boom"); });
  q.push([&order] { order.push_back(2); });
  EXPECT_EQ(alive.use_count(), 2);
  EXPECT_THROW(q.run_front(), std::runtime_error);
  EXPECT_EQ(alive.use_count(), 1);  // the thrower's captures are gone
  EXPECT_EQ(q.size(), 1u);
  q.run_front();
  EXPECT_EQ(order, std::vector<int>{2});
}

// clear() destroys without running, also what destructors push meanwhile.
TEST(CallbackQueue, ClearDestroysWithoutRunningAndDrainsPushesFromDestructors) {
  CallbackQueue q;
  int ran = 0, destroyed = 0;
  struct PushesWhenDestroyed {
    CallbackQueue* q;
    int* ran;
    int* destroyed;
    bool armed = true;
    PushesWhenDestroyed(CallbackQueue* q, int* r, int* d) : q(q), ran(r), destroyed(d) {}
    PushesWhenDestroyed(PushesWhenDestroyed&& o) noexcept
        : q(o.q), ran(o.ran), destroyed(o.destroyed), armed(std::exchange(o.armed, false)) {}
    ~PushesWhenDestroyed() {
      if (!armed) return;
      ++*destroyed;
      int* d = destroyed;
      q->push([d, r = ran, keep = std::make_unique<int>(1)] { ++*r; (void)d; });
    }
    void operator()() { ++*ran; }
  };
  for (int i = 0; i < 3; ++i) q.push(PushesWhenDestroyed(&q, &ran, &destroyed));
  q.clear();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(ran, 0);
  EXPECT_EQ(destroyed, 3);
}

TEST(CallbackQueue, SpliceAppendsInOrderAndLeavesTheSourceEmptyAndUsable) {
  CallbackQueue a, b;
  std::vector<int> seen;
  for (int i = 0; i < 3; ++i) a.push([&seen, i] { seen.push_back(i); });
  for (int i = 3; i < 5000; ++i) b.push([&seen, i] { seen.push_back(i); });
  a.splice(b);
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(a.size(), 4997u + 3u);
  b.push([&seen] { seen.push_back(-1); });  // the source keeps working
  a.push([&seen] { seen.push_back(5000); });
  while (!a.empty()) a.run_front();
  ASSERT_EQ(seen.size(), 5001u);
  for (int i = 0; i <= 5000; ++i) ASSERT_EQ(seen[i], i);
  b.run_front();
  EXPECT_EQ(seen.back(), -1);
  // Into an empty queue that never had a block, and into one that was drained.
  CallbackQueue fresh;
  b.push([&seen] { seen.push_back(7); });
  fresh.splice(b);
  fresh.run_front();
  EXPECT_EQ(seen.back(), 7);
  b.push([&seen] { seen.push_back(8); });
  fresh.splice(b);
  fresh.run_front();
  EXPECT_EQ(seen.back(), 8);
}

// A drained queue keeps its blocks and refills without allocating more; trim gives them
// back.
TEST(CallbackQueue, BlocksAreRecycledAndTrimReleasesThem) {
  CallbackQueue q;
  int n = 0;
  auto fill = [&] {
    for (int i = 0; i < 100'000; ++i) q.push([&n] { ++n; });
  };
  auto drain = [&] {
    while (!q.empty()) q.run_front();
  };
  fill();
  drain();
  EXPECT_GE(q.pooled_bytes(), 100'000u * 16 / 2);  // most of the backlog's blocks
  for (int round = 0; round < 4; ++round) {
    fill();
    // The writer allocates only when the pool is empty: the same backlog again was
    // served from blocks the first one left.
    EXPECT_GT(q.pooled_bytes(), 0u) << "round " << round;
    drain();
  }
  q.trim(0);
  EXPECT_EQ(q.pooled_bytes(), 0u);
  EXPECT_EQ(n, 500'000);
}

}  // namespace
