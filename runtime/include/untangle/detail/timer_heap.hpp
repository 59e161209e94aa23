// untangle/detail/timer_heap.hpp — the loop's timers in deadline order.
//
// A 4-ary min-heap of small entries in one vector: half the depth of a binary heap, the
// children of a node on one cache line, and no pointer per timer (libuv links 1M handles of
// ~150 bytes through pointers; a cache miss per level). Entries name a timer slot of the
// loop and its generation; a cleared timer's entry stays until it surfaces (the loop skips
// it) or until `compact` drops every dead entry at once. Equal deadlines come out in the
// order they were pushed (the sequence number), which loop.hpp rule 3 needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace untangle::detail {

struct TimerEntry {
  std::int64_t deadline;   // ns since the clock's epoch
  std::uint64_t sequence;  // tie-break: equal deadlines fire in the order they were set
  std::uint32_t slot;
  std::uint32_t generation;
  bool before(const TimerEntry& o) const noexcept {
    return deadline != o.deadline ? deadline < o.deadline : sequence < o.sequence;
  }
};

class TimerHeap {
public:
  bool empty() const noexcept { return heap_.empty(); }
  std::size_t size() const noexcept { return heap_.size(); }
  const TimerEntry& top() const noexcept { return heap_.front(); }

  void push(const TimerEntry& e) {
    heap_.push_back(e);
    std::size_t i = heap_.size() - 1;
    while (i > 0) {
      std::size_t parent = (i - 1) / 4;
      if (!e.before(heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  void pop() noexcept {
    TimerEntry last = heap_.back();
    heap_.pop_back();
    if (heap_.empty()) return;
    std::size_t n = heap_.size(), i = 0;
    for (;;) {
      std::size_t first = 4 * i + 1;
      if (first >= n) break;
      std::size_t best = first, end = first + 4 < n ? first + 4 : n;
      for (std::size_t c = first + 1; c < end; ++c)
        if (heap_[c].before(heap_[best])) best = c;
      if (!heap_[best].before(last)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = last;
  }

  // Keeps only the entries `is_live` accepts, `live_hint` of them expected.
  template <class IsLive>
  void compact(IsLive is_live, std::size_t live_hint) {
    std::vector<TimerEntry> live;
    live.reserve(live_hint);
    for (const auto& e : heap_)
      if (is_live(e)) live.push_back(e);
    heap_.clear();
    for (const auto& e : live) push(e);
  }

private:
  std::vector<TimerEntry> heap_;
};

}  // namespace untangle::detail
