// Channel benchmarks (issue 3): untangle::Channel against Asio's experimental::channel in
// the same binary; bench/go/channel_pingpong.go is the Go side. bench/channels.sh runs all
// of them and prints the ratios (see bench/README.md).
//
// Named <group>:<implementation> like the other benchmarks of bench/. Every benchmark moves `kOps` values per iteration and reports the counter `ops` = kOps,
// so ns per operation = time / ops. The single-thread benchmarks are timed in CPU time
// (the machines are shared; wall time would measure the neighbours too), the cross-thread
// ones in real time.
#include <untangle/runtime.hpp>

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/channel.hpp>
#include <benchmark/benchmark.h>

#include <optional>
#include <thread>

namespace {

constexpr int kOps = 200'000;

// ---- untangle --------------------------------------------------------------------------

untangle::Task<void> ping(untangle::Channel<int> out, untangle::Channel<int> in, int n) {
  for (int i = 0; i < n; ++i) {
    co_await out.send(i);
    co_await in.recv();
  }
  out.close();
}

untangle::Task<void> pong(untangle::Channel<int> in, untangle::Channel<int> out) {
  while (std::optional<int> v = co_await in.recv()) co_await out.send(*v);
}

// Two coroutines on one loop, unbuffered channels: one op = one round trip.
void BM_Untangle_PingPong_Unbuffered(benchmark::State& state) {
  untangle::EventLoop loop;
  for (auto _ : state) {
    untangle::Channel<int> a, b;
    untangle::spawn(pong(a, b));
    untangle::sync_wait(loop, ping(a, b, kOps));
  }
  state.counters["ops"] = kOps;
}
BENCHMARK(BM_Untangle_PingPong_Unbuffered)->Name("channel_pingpong:untangle")->Unit(benchmark::kMillisecond);

untangle::Task<void> produce(untangle::Channel<int> ch, int n) {
  for (int i = 0; i < n; ++i) co_await ch.send(i);
  ch.close();
}

untangle::Task<long> consume(untangle::Channel<int> ch) {
  long sum = 0;
  while (std::optional<int> v = co_await ch.recv()) sum += *v;
  co_return sum;
}

// Producer and consumer coroutines on one loop, capacity 100: one op = one value.
void BM_Untangle_Buffered100_SPSC(benchmark::State& state) {
  untangle::EventLoop loop;
  for (auto _ : state) {
    untangle::Channel<int> ch(100);
    untangle::spawn(produce(ch, kOps));
    benchmark::DoNotOptimize(untangle::sync_wait(loop, consume(ch)));
  }
  state.counters["ops"] = kOps;
}
BENCHMARK(BM_Untangle_Buffered100_SPSC)->Name("channel_buffered100_spsc:untangle")->Unit(benchmark::kMillisecond);

// A plain producer thread (send_blocking) and a consumer coroutine on a loop in another
// thread, capacity 100.
void BM_Untangle_CrossThread_Buffered100(benchmark::State& state) {
  untangle::EventLoop loop;
  for (auto _ : state) {
    untangle::Channel<int> ch(100);
    std::thread producer([ch]() mutable {
      for (int i = 0; i < kOps; ++i) ch.send_blocking(i);
      ch.close();
    });
    benchmark::DoNotOptimize(untangle::sync_wait(loop, consume(ch)));
    producer.join();
  }
  state.counters["ops"] = kOps;
}
BENCHMARK(BM_Untangle_CrossThread_Buffered100)->Name("channel_cross_thread_buffered100:untangle")->UseRealTime()->Unit(benchmark::kMillisecond);

// Producer coroutine on one loop thread, consumer coroutine on another loop thread.
void BM_Untangle_CrossLoop_Buffered100(benchmark::State& state) {
  untangle::EventLoop loop;
  for (auto _ : state) {
    untangle::Channel<int> ch(100);
    std::thread producer([ch] {
      untangle::EventLoop other;
      untangle::sync_wait(other, produce(ch, kOps));
    });
    benchmark::DoNotOptimize(untangle::sync_wait(loop, consume(ch)));
    producer.join();
  }
  state.counters["ops"] = kOps;
}
BENCHMARK(BM_Untangle_CrossLoop_Buffered100)->Name("channel_cross_loop_buffered100:untangle")->UseRealTime()->Unit(benchmark::kMillisecond);

// ---- Asio experimental::channel ----------------------------------------------------------

using AsioChannel = asio::experimental::channel<void(asio::error_code, int)>;

asio::awaitable<void> asio_ping(AsioChannel& out, AsioChannel& in, int n) {
  for (int i = 0; i < n; ++i) {
    co_await out.async_send(asio::error_code{}, i, asio::use_awaitable);
    co_await in.async_receive(asio::use_awaitable);
  }
  out.close();
}

asio::awaitable<void> asio_pong(AsioChannel& in, AsioChannel& out) {
  for (;;) {
    auto [ec, v] = co_await in.async_receive(asio::experimental::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    co_await out.async_send(asio::error_code{}, v, asio::use_awaitable);
  }
}

void BM_Asio_PingPong_Unbuffered(benchmark::State& state) {
  for (auto _ : state) {
    asio::io_context ctx(1);
    AsioChannel a(ctx, 0), b(ctx, 0);
    asio::co_spawn(ctx, asio_pong(a, b), asio::detached);
    asio::co_spawn(ctx, asio_ping(a, b, kOps), asio::detached);
    ctx.run();
  }
  state.counters["ops"] = kOps;
}
BENCHMARK(BM_Asio_PingPong_Unbuffered)->Name("channel_pingpong:asio")->Unit(benchmark::kMillisecond);

asio::awaitable<void> asio_produce(AsioChannel& ch, int n) {
  for (int i = 0; i < n; ++i) co_await ch.async_send(asio::error_code{}, i, asio::use_awaitable);
  ch.close();
}

asio::awaitable<void> asio_consume(AsioChannel& ch, long* sum) {
  for (;;) {
    auto [ec, v] = co_await ch.async_receive(asio::experimental::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    *sum += v;
  }
}

void BM_Asio_Buffered100_SPSC(benchmark::State& state) {
  for (auto _ : state) {
    asio::io_context ctx(1);
    AsioChannel ch(ctx, 100);
    long sum = 0;
    asio::co_spawn(ctx, asio_produce(ch, kOps), asio::detached);
    asio::co_spawn(ctx, asio_consume(ch, &sum), asio::detached);
    ctx.run();
    benchmark::DoNotOptimize(sum);
  }
  state.counters["ops"] = kOps;
}
BENCHMARK(BM_Asio_Buffered100_SPSC)->Name("channel_buffered100_spsc:asio")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
