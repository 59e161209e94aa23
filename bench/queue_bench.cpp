// bench/queue_bench.cpp — the loop's queue at every depth (issue 14), against Asio.
//
// Benchmarks are named "<group>:<implementation>" like core_bench; the group carries the
// pattern and the depth (the number of callbacks queued at once):
//  - post_in_loop_<depth>: a callback running on the loop posts <depth> callbacks, then the
//    loop drains them and run() returns. Depth 1 is a chain: each callback posts the next,
//    so one callback is queued at a time (1000 per iteration).
//  - post_before_run_<depth>: the loop's own thread posts <depth> callbacks before run(),
//    then run() drains them (the JavaScript model: the program queues its work, then runs).
//  - post_cross_thread: 4 producer threads post 250 000 callbacks each into one loop that
//    runs on the benchmark's thread.
// Every callback increments a counter through a pointer (a one-pointer lambda, the shape of
// a posted coroutine resumption). Each implementation's loop or context is reused across
// iterations, as a program would. Asio runs as `io_context(1)` (`asio_hint1`, its
// single-threaded configuration) and default-constructed (`asio`).
//
// Memory is measured apart, one fresh process per implementation and depth, since freed
// memory that a process keeps would hide the next measurement's growth:
// `queue_bench --memory=<untangle|asio_hint1|asio>:<depth>` posts <depth> callbacks before
// run() on a fresh loop or context and prints the heap in use (mallinfo2) and the resident
// set growth per queued callback, and the process's peak RSS (bench/queue_memory.sh).
//
// No size is special: every depth runs the same code with the same parameters, and the
// depths span 1 to 10M so a cost that grows with the backlog shows.

#include <asio.hpp>
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <untangle/loop.hpp>

#include "posting.hpp"

namespace {

using bench::AsioRepost;
using bench::check;
using bench::UntangleRepost;
using untangle::EventLoop;

constexpr std::size_t kChain = 1000;  // items per iteration at depth 1
constexpr std::size_t kDepths[] = {1000, 100'000, 1'000'000, 10'000'000};
constexpr int kProducers = 4;
constexpr std::size_t kCrossThreadItems = 1'000'000;

std::size_t heap_in_use() {
  struct mallinfo2 m = ::mallinfo2();
  return m.uordblks + m.hblkhd;  // small chunks in use + mmapped chunks
}
std::size_t resident_bytes() {
  long pages_total = 0, pages_resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2) pages_resident = 0;
    std::fclose(f);
  }
  return static_cast<std::size_t>(pages_resident) * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// ---- untangle ------------------------------------------------------------------------------

void post_in_loop_untangle(benchmark::State& state, std::size_t depth) {
  EventLoop loop;
  std::size_t counter = 0;
  if (depth == 1) {
    for (auto _ : state) {
      counter = kChain;
      loop.post(UntangleRepost{&loop, &counter});
      loop.run();
      check(state, counter, 0);
    }
    state.SetItemsProcessed(state.iterations() * kChain);
    return;
  }
  for (auto _ : state) {
    counter = 0;
    loop.post([&loop, depth, c = &counter] {
      for (std::size_t i = 0; i < depth; ++i) loop.post([c] { ++*c; });
    });
    loop.run();
    check(state, counter, depth);
  }
  state.SetItemsProcessed(state.iterations() * depth);
}

void post_before_run_untangle(benchmark::State& state, std::size_t depth) {
  EventLoop loop;
  std::size_t counter = 0;
  for (auto _ : state) {
    counter = 0;
    for (std::size_t i = 0; i < depth; ++i) loop.post([c = &counter] { ++*c; });
    loop.run();
    check(state, counter, depth);
  }
  state.SetItemsProcessed(state.iterations() * depth);
}

void post_cross_thread_untangle(benchmark::State& state) {
  EventLoop loop;
  std::size_t counter = 0;
  for (auto _ : state) {
    counter = 0;
    {
      auto hold = std::make_unique<EventLoop::KeepAlive>(loop.keep_alive());
      std::atomic<int> producing{kProducers};
      std::vector<std::thread> producers;
      for (int t = 0; t < kProducers; ++t)
        producers.emplace_back([&] {
          for (std::size_t i = 0; i < kCrossThreadItems / kProducers; ++i) loop.post([c = &counter] { ++*c; });
          // The last producer lets run() return once everything it posted ran.
          if (producing.fetch_sub(1) == 1) loop.post([&hold] { hold.reset(); });
        });
      loop.run();
      for (auto& p : producers) p.join();
    }
    check(state, counter, kCrossThreadItems);
  }
  state.SetItemsProcessed(state.iterations() * kCrossThreadItems);
}

// ---- Asio ----------------------------------------------------------------------------------

std::unique_ptr<asio::io_context> make_context(int hint) {
  return hint ? std::make_unique<asio::io_context>(hint) : std::make_unique<asio::io_context>();
}

void post_in_loop_asio(benchmark::State& state, std::size_t depth, int hint) {
  auto ctx = make_context(hint);
  std::size_t counter = 0;
  if (depth == 1) {
    for (auto _ : state) {
      counter = kChain;
      asio::post(*ctx, AsioRepost{ctx.get(), &counter});
      ctx->run();
      ctx->restart();
      check(state, counter, 0);
    }
    state.SetItemsProcessed(state.iterations() * kChain);
    return;
  }
  for (auto _ : state) {
    counter = 0;
    asio::post(*ctx, [ctx = ctx.get(), depth, c = &counter] {
      for (std::size_t i = 0; i < depth; ++i) asio::post(*ctx, [c] { ++*c; });
    });
    ctx->run();
    ctx->restart();
    check(state, counter, depth);
  }
  state.SetItemsProcessed(state.iterations() * depth);
}

void post_before_run_asio(benchmark::State& state, std::size_t depth, int hint) {
  auto ctx = make_context(hint);
  std::size_t counter = 0;
  for (auto _ : state) {
    counter = 0;
    for (std::size_t i = 0; i < depth; ++i) asio::post(*ctx, [c = &counter] { ++*c; });
    ctx->run();
    ctx->restart();
    check(state, counter, depth);
  }
  state.SetItemsProcessed(state.iterations() * depth);
}

void post_cross_thread_asio(benchmark::State& state) {
  asio::io_context ctx;  // several threads post: the default (thread-safe) configuration
  std::size_t counter = 0;
  for (auto _ : state) {
    counter = 0;
    {
      auto guard = std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(ctx.get_executor());
      std::atomic<int> producing{kProducers};
      std::vector<std::thread> producers;
      for (int t = 0; t < kProducers; ++t)
        producers.emplace_back([&] {
          for (std::size_t i = 0; i < kCrossThreadItems / kProducers; ++i) asio::post(ctx, [c = &counter] { ++*c; });
          if (producing.fetch_sub(1) == 1) asio::post(ctx, [&guard] { guard.reset(); });
        });
      ctx.run();
      ctx.restart();
      for (auto& p : producers) p.join();
    }
    check(state, counter, kCrossThreadItems);
  }
  state.SetItemsProcessed(state.iterations() * kCrossThreadItems);
}

std::string depth_name(std::size_t depth) {
  if (depth >= 1'000'000) return std::to_string(depth / 1'000'000) + "M";
  if (depth >= 1000) return std::to_string(depth / 1000) + "k";
  return std::to_string(depth);
}

void register_all() {
  auto add = [](const std::string& name, auto fn) {
    auto* b = benchmark::RegisterBenchmark(name.c_str(), fn)->Unit(benchmark::kMicrosecond);
    if (name.find("cross_thread") != std::string::npos) b->UseRealTime();  // several threads work
  };
  std::vector<std::size_t> depths{1};
  depths.insert(depths.end(), std::begin(kDepths), std::end(kDepths));
  for (std::size_t d : depths) {
    std::string group = "post_in_loop_" + depth_name(d);
    add(group + ":untangle", [d](benchmark::State& s) { post_in_loop_untangle(s, d); });
    add(group + ":asio_hint1", [d](benchmark::State& s) { post_in_loop_asio(s, d, 1); });
    add(group + ":asio", [d](benchmark::State& s) { post_in_loop_asio(s, d, 0); });
  }
  for (std::size_t d : depths) {
    std::string group = "post_before_run_" + depth_name(d);
    add(group + ":untangle", [d](benchmark::State& s) { post_before_run_untangle(s, d); });
    add(group + ":asio_hint1", [d](benchmark::State& s) { post_before_run_asio(s, d, 1); });
    add(group + ":asio", [d](benchmark::State& s) { post_before_run_asio(s, d, 0); });
  }
  add("post_cross_thread_4x:untangle", post_cross_thread_untangle);
  add("post_cross_thread_4x:asio", post_cross_thread_asio);
}

// --memory=<impl>:<depth>: see the header comment.
template <class Post, class Drain>
void measure_memory(const char* impl, std::size_t depth, Post post, Drain drain) {
  std::size_t counter = 0;
  std::size_t heap0 = heap_in_use(), rss0 = resident_bytes();
  for (std::size_t i = 0; i < depth; ++i) post(counter);
  std::size_t heap1 = heap_in_use(), rss1 = resident_bytes();
  drain();
  if (counter != depth) std::fprintf(stderr, "wrong count: %zu != %zu\n", counter, depth);
  auto per = [depth](std::size_t a, std::size_t b) { return b > a ? double(b - a) / double(depth) : 0.0; };
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  std::printf("%s %zu heap_B_per_cb=%.1f rss_B_per_cb=%.1f peak_rss_MB=%.1f\n", impl, depth, per(heap0, heap1),
              per(rss0, rss1), usage.ru_maxrss / 1024.0);
}

int memory_mode(const std::string& spec) {
  auto colon = spec.find(':');
  if (colon == std::string::npos) return 2;
  std::string impl = spec.substr(0, colon);
  std::size_t depth = std::stoull(spec.substr(colon + 1));
  if (impl == "untangle") {
    EventLoop loop;
    measure_memory("untangle", depth, [&](std::size_t& c) { loop.post([p = &c] { ++*p; }); }, [&] { loop.run(); });
  } else if (impl == "asio_hint1" || impl == "asio") {
    auto ctx = make_context(impl == "asio" ? 0 : 1);
    measure_memory(impl.c_str(), depth, [&](std::size_t& c) { asio::post(*ctx, [p = &c] { ++*p; }); },
                   [&] { ctx->run(); });
  } else {
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]).rfind("--memory=", 0) == 0) {
    int rc = memory_mode(std::string(argv[1]).substr(9));
    if (rc != 0) std::fprintf(stderr, "usage: queue_bench --memory=<untangle|asio_hint1|asio>:<depth>\n");
    return rc;
  }
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
