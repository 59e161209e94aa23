// bench/posting.hpp — what the posting benchmarks (core_bench, queue_bench) share: the
// result check, and the callable that re-posts itself (one item per loop turn, one queued
// at a time) for the loop and for Asio.
#pragma once

#include <asio.hpp>
#include <benchmark/benchmark.h>

#include <cstddef>
#include <string>

#include <untangle/loop.hpp>

namespace bench {

inline void check(benchmark::State& state, std::size_t got, std::size_t want) {
  if (got != want)
    state.SkipWithError(("wrong count: " + std::to_string(got) + " != " + std::to_string(want)).c_str());
}

struct UntangleRepost {
  untangle::EventLoop* loop;
  std::size_t* remaining;
  void operator()() const {
    if (--*remaining) loop->post(*this);
  }
};

struct AsioRepost {
  asio::io_context* ctx;
  std::size_t* remaining;
  void operator()() const {
    if (--*remaining) asio::post(*ctx, *this);
  }
};

}  // namespace bench
