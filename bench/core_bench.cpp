// bench/core_bench.cpp — the runtime core (issue 2) against its peers, in one binary.
//
// Benchmarks are named "<group>:<implementation>". In each group `untangle` is ours and every
// other implementation is a peer or a reference doing the same work; bench/run.sh turns the
// medians into ratios. Every benchmark reports items_per_second (one item = one callback,
// timer, link, child task or round trip) and its time per iteration.
//
// All work runs on one thread. Each peer gets its best ordinary use (objects and handles
// reused across iterations wherever the library allows it); none is made to do more than ours.

#include <asio.hpp>
#include <benchmark/benchmark.h>
#include <uv.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <untangle/from_callback.hpp>
#include <untangle/loop.hpp>

#include "posting.hpp"
#include <untangle/promise.hpp>
#include <untangle/task.hpp>

namespace {

using bench::check;
using untangle::EventLoop;

constexpr std::size_t kBatch = 1000;      // then_chain, task, round trips
constexpr std::size_t kTimers = 1'000'000;

// The same deterministic spread of timeouts for every implementation: 0..3 ms (libuv's
// resolution is a millisecond), interleaved so the heap reorders real work.
inline std::chrono::milliseconds timer_delay(std::size_t i) {
  return std::chrono::milliseconds((i * 7919) % 4);
}

// ---- 1. post + run throughput: bench/queue_bench.cpp (post_in_loop_1 is the former
// post_chain, post_in_loop_1k the former post_batch), at every queue depth ---------------

// ---- 2. 1M timers: schedule from inside a loop callback, then fire them all ---------------

void timers_untangle(benchmark::State& state) {
  EventLoop loop;
  std::size_t fired = 0;
  for (auto _ : state) {
    fired = 0;
    loop.post([&loop, c = &fired] {
      for (std::size_t i = 0; i < kTimers; ++i) loop.set_timeout(timer_delay(i), [c] { ++*c; });
    });
    loop.run();
    check(state, fired, kTimers);
  }
  state.SetItemsProcessed(state.iterations() * kTimers);
}

// libuv, the full one-shot lifecycle: uv_timer_init + uv_timer_start in the seed callback,
// uv_close in the timer's callback (libuv needs a handle closed before it is initialized
// again). The handle memory itself is allocated once, outside the measurement.
struct UvTimers {
  uv_loop_t loop;
  uv_timer_t seed;
  std::vector<uv_timer_t> timers{kTimers};
  std::size_t fired = 0;
};

void timers_libuv(benchmark::State& state, bool init_each_time) {
  auto uv = std::make_unique<UvTimers>();
  uv_loop_init(&uv->loop);
  uv_timer_init(&uv->loop, &uv->seed);
  uv->seed.data = uv.get();
  for (auto& t : uv->timers) t.data = uv.get();
  if (!init_each_time)
    for (auto& t : uv->timers) uv_timer_init(&uv->loop, &t);

  for (auto _ : state) {
    uv->fired = 0;
    if (init_each_time) {
      uv_timer_start(&uv->seed, [](uv_timer_t* seed) {
        auto* self = static_cast<UvTimers*>(seed->data);
        for (std::size_t i = 0; i < kTimers; ++i) {
          uv_timer_t* t = &self->timers[i];
          uv_timer_init(&self->loop, t);
          uv_timer_start(t, [](uv_timer_t* h) {
            ++static_cast<UvTimers*>(h->data)->fired;
            uv_close(reinterpret_cast<uv_handle_t*>(h), nullptr);
          }, static_cast<std::uint64_t>(timer_delay(i).count()), 0);
        }
      }, 0, 0);
    } else {
      uv_timer_start(&uv->seed, [](uv_timer_t* seed) {
        auto* self = static_cast<UvTimers*>(seed->data);
        for (std::size_t i = 0; i < kTimers; ++i)
          uv_timer_start(&self->timers[i], [](uv_timer_t* h) { ++static_cast<UvTimers*>(h->data)->fired; },
                         static_cast<std::uint64_t>(timer_delay(i).count()), 0);
      }, 0, 0);
    }
    uv_run(&uv->loop, UV_RUN_DEFAULT);
    check(state, uv->fired, kTimers);
  }
  state.SetItemsProcessed(state.iterations() * kTimers);

  if (!init_each_time)
    for (auto& t : uv->timers) uv_close(reinterpret_cast<uv_handle_t*>(&t), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&uv->seed), nullptr);
  uv_run(&uv->loop, UV_RUN_DEFAULT);
  uv_loop_close(&uv->loop);
}

// Asio: the steady_timer objects are constructed once, outside the measurement (the most
// favourable use for Asio); each iteration is expires_after + async_wait per timer.
void timers_asio(benchmark::State& state) {
  asio::io_context ctx(1);
  std::vector<asio::steady_timer> timers;
  timers.reserve(kTimers);
  for (std::size_t i = 0; i < kTimers; ++i) timers.emplace_back(ctx);
  std::size_t fired = 0;
  for (auto _ : state) {
    fired = 0;
    asio::post(ctx, [&timers, c = &fired] {
      for (std::size_t i = 0; i < kTimers; ++i) {
        timers[i].expires_after(timer_delay(i));
        timers[i].async_wait([c](const std::error_code&) { ++*c; });
      }
    });
    ctx.run();
    ctx.restart();
    check(state, fired, kTimers);
  }
  state.SetItemsProcessed(state.iterations() * kTimers);
}

// ---- 3. promise then-chain ----------------------------------------------------------------

// Inside a loop callback: a pending promise, kBatch thens chained on it, then resolve; the
// loop runs the chain to completion. One item = one link.
void then_chain_untangle(benchmark::State& state) {
  EventLoop loop;
  int result = 0;
  for (auto _ : state) {
    result = -1;
    loop.post([&result] {
      auto [head, resolver] = untangle::make_promise<int>();
      untangle::Promise<int> p = head;
      for (std::size_t i = 0; i < kBatch; ++i) p = p.then([](int v) { return v + 1; });
      p.then([&result](int v) { result = v; });
      resolver.resolve(0);
    });
    loop.run();
    check(state, static_cast<std::size_t>(result), kBatch);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

// Reference: the floor under a then-chain — kBatch microtasks, each queuing the next.
struct MicrotaskLink {
  EventLoop* loop;
  std::size_t* remaining;
  void operator()() const {
    if (--*remaining) loop->queue_microtask(*this);
  }
};
void then_chain_raw_microtasks(benchmark::State& state) {
  EventLoop loop;
  std::size_t remaining = 0;
  for (auto _ : state) {
    remaining = kBatch;
    loop.post([&loop, &remaining] { loop.queue_microtask(MicrotaskLink{&loop, &remaining}); });
    loop.run();
    check(state, remaining, 0);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

// ---- 4. Task create + co_await ------------------------------------------------------------

untangle::Task<int> child_task(int i) { co_return i; }

untangle::Task<long> parent_task(std::size_t n) {
  long sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += co_await child_task(static_cast<int>(i & 1));
  co_return sum;
}

void task_await_untangle(benchmark::State& state) {
  EventLoop loop;
  for (auto _ : state) {
    long sum = untangle::sync_wait(loop, parent_task(kBatch));
    check(state, static_cast<std::size_t>(sum), kBatch / 2);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

// ---- 5. from_callback round trip ----------------------------------------------------------

// The "callback-style API": completes by posting the callback with a value to the loop.
template <class F>
void async_get(EventLoop& loop, F&& done) {
  loop.post([done = std::forward<F>(done)]() mutable { done(1); });
}

untangle::Task<long> from_callback_chain(EventLoop& loop, std::size_t n) {
  long sum = 0;
  for (std::size_t i = 0; i < n; ++i)
    sum += co_await untangle::from_callback<int>(
        [&loop](untangle::Completion<int> done) { async_get(loop, std::move(done)); });
  co_return sum;
}

void round_trip_from_callback(benchmark::State& state) {
  EventLoop loop;
  for (auto _ : state) {
    long sum = untangle::sync_wait(loop, from_callback_chain(loop, kBatch));
    check(state, static_cast<std::size_t>(sum), kBatch);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

// Reference: the same sequence written with plain callbacks (each completion starts the next).
struct CallbackChain {
  EventLoop* loop;
  std::size_t remaining;
  long sum = 0;
  void step() {
    async_get(*loop, [this](int v) {
      sum += v;
      if (--remaining) step();
    });
  }
};
void round_trip_plain_callback(benchmark::State& state) {
  EventLoop loop;
  for (auto _ : state) {
    CallbackChain chain{&loop, kBatch};
    loop.post([&chain] { chain.step(); });
    loop.run();
    check(state, static_cast<std::size_t>(chain.sum), kBatch);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

void register_all() {
  auto reg = [](const char* name, auto fn) { return benchmark::RegisterBenchmark(name, fn); };
  // asio hint 0 here stands for "default-constructed io_context".
  reg("timers_1M:untangle", timers_untangle)->Unit(benchmark::kMillisecond);
  reg("timers_1M:libuv_init_start", [](benchmark::State& s) { timers_libuv(s, true); })
      ->Unit(benchmark::kMillisecond);
  reg("timers_1M:libuv_start_only", [](benchmark::State& s) { timers_libuv(s, false); })
      ->Unit(benchmark::kMillisecond);
  reg("timers_1M:asio", timers_asio)->Unit(benchmark::kMillisecond);
  reg("then_chain:untangle", then_chain_untangle);
  reg("then_chain:raw_microtasks", then_chain_raw_microtasks);
  reg("task_await:untangle", task_await_untangle);
  reg("round_trip:untangle", round_trip_from_callback);
  reg("round_trip:plain_callback", round_trip_plain_callback);
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
