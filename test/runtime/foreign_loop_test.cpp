// Tests of coroutines driven by another library's event loop, with no untangle::EventLoop
// alive: from_callback.hpp rule 8 and task.hpp rule 6. The callbacks are completed by an
// Asio io_context (posts, timers, a socket pair) or a libuv loop (uv_async, uv_timer); the
// coroutines are started with spawn() and resume inside those loops' callbacks.
#include <untangle/from_callback.hpp>
#include <untangle/task.hpp>

#include <asio.hpp>
#include <gtest/gtest.h>
#include <uv.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

using untangle::Completion;
using untangle::EventLoop;
using untangle::from_callback;
using untangle::Task;
using namespace std::chrono_literals;

namespace {

// What a chain saw at each step: the step's name and whether it ran inside the foreign
// loop's callback (for Asio: io_context::running_in_this_thread; for libuv: inside UvCall's
// callback below), plus the thread it ran on.
struct Step {
  std::string name;
  bool inside_loop;
  std::thread::id thread;
  bool operator==(const Step&) const = default;
  friend void PrintTo(const Step& s, std::ostream* os) {
    *os << s.name << (s.inside_loop ? " (inside the loop's callback" : " (outside the loop's callbacks")
        << ", thread " << s.thread << ")";
  }
};
using Steps = std::vector<Step>;

// Hands the outcome of `task` (value or exception) to `out`; spawn() gives nobody the result
// of a detached task, so the top of every chain here is this.
template <class T>
Task<void> deliver(Task<T> task, std::promise<T>& out) {
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(task);
      out.set_value();
    } else {
      out.set_value(co_await std::move(task));
    }
  } catch (...) {
    out.set_exception(std::current_exception());
  }
}

template <class T>
bool is_ready(const std::future<T>& f) {
  return f.wait_for(0s) == std::future_status::ready;
}

// ---- Asio ----

auto asio_post(asio::io_context& io) {
  return from_callback<>([&io](Completion<> done) { asio::post(io, std::move(done)); });
}
auto asio_wait(asio::steady_timer& timer) {
  return from_callback<std::error_code>([&timer](auto done) { timer.async_wait(std::move(done)); });
}

// A chain of every kind of Asio completion: a post, a timer, a write and a read over a local
// socket pair. Returns what was read.
Task<std::string> asio_chain(asio::io_context& io, Steps& steps) {
  auto step = [&](std::string name) {
    steps.push_back({std::move(name), io.get_executor().running_in_this_thread(), std::this_thread::get_id()});
  };
  co_await asio_post(io);
  step("post");
  asio::steady_timer timer(io, 2ms);
  std::error_code timer_error = co_await asio_wait(timer);
  EXPECT_FALSE(timer_error);
  step("timer");
  asio::local::stream_protocol::socket a(io), b(io);
  asio::local::connect_pair(a, b);
  const std::string message = "ping";
  auto [write_error, written] = co_await from_callback<std::error_code, std::size_t>(
      [&](auto done) { asio::async_write(a, asio::buffer(message), std::move(done)); });
  EXPECT_FALSE(write_error);
  EXPECT_EQ(written, message.size());
  step("write");
  std::array<char, 4> in{};
  auto [read_error, read] = co_await from_callback<std::error_code, std::size_t>(
      [&](auto done) { asio::async_read(b, asio::buffer(in), std::move(done)); });
  EXPECT_FALSE(read_error);
  step("read");
  co_return std::string(in.data(), read);
}

TEST(ForeignLoop, AsioIoContextDrivesAChainOnItsOwnThreadWithoutAnEventLoop) {
  ASSERT_EQ(EventLoop::current(), nullptr);
  // What the chains write to outlives the io_context: a failing test may leave a chain that
  // its destructor resumes with broken_promise.
  Steps steps;
  std::promise<std::string> result;
  auto future = result.get_future();
  asio::io_context io;
  untangle::spawn(deliver(asio_chain(io, steps), result));
  // Queued after the chain's first post: it runs after the chain's first step only if that
  // step resumed inside the post's handler, not in some later hop.
  asio::post(io, [&] { steps.push_back({"other", true, std::this_thread::get_id()}); });
  EXPECT_TRUE(steps.empty());  // spawn ran the chain up to its first co_await only
  io.run();
  ASSERT_TRUE(is_ready(future));
  EXPECT_EQ(future.get(), "ping");
  const auto me = std::this_thread::get_id();
  EXPECT_EQ(steps, (Steps{{"post", true, me}, {"other", true, me}, {"timer", true, me}, {"write", true, me},
                          {"read", true, me}}));
}

TEST(ForeignLoop, AsioIoContextOnAnotherThreadResumesTheChainThere) {
  ASSERT_EQ(EventLoop::current(), nullptr);
  Steps steps;  // outlives the io_context, as in the test above
  std::promise<std::string> result;
  auto future = result.get_future();
  constexpr int chains = 200;
  std::vector<std::promise<int>> ends(chains);
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  // The io_context's thread first waits at this gate, so that the chain's first post cannot
  // complete before its co_await has suspended (which would let the chain continue on this
  // thread, from_callback rule 2) and the chain moves to the io_context's thread for sure.
  std::promise<void> gate;
  asio::post(io, [opened = gate.get_future()] { opened.wait(); });
  std::thread runner([&] { io.run(); });
  const auto there = runner.get_id();
  untangle::spawn(deliver(asio_chain(io, steps), result));  // from this thread
  EXPECT_TRUE(steps.empty());
  gate.set_value();
  // Many short chains started from here while the io_context runs: each one's callback may
  // complete before or after its co_await suspends (from_callback rules 2 and 7).
  auto short_chain = [](asio::io_context& io, int i) -> Task<int> {
    co_await asio_post(io);
    asio::steady_timer timer(io, 0ms);
    co_await asio_wait(timer);
    co_return i;
  };
  for (int i = 0; i < chains; ++i) untangle::spawn(deliver(short_chain(io, i), ends[i]));
  const bool finished = future.wait_for(30s) == std::future_status::ready;
  std::vector<std::future<int>> end_futures;
  for (auto& end : ends) end_futures.push_back(end.get_future());
  for (auto& end : end_futures) end.wait_for(30s);
  work.reset();
  runner.join();
  ASSERT_TRUE(finished);
  EXPECT_EQ(future.get(), "ping");
  for (int i = 0; i < chains; ++i) {
    ASSERT_TRUE(is_ready(end_futures[i])) << i;
    EXPECT_EQ(end_futures[i].get(), i);
  }
  ASSERT_NE(there, std::this_thread::get_id());
  EXPECT_EQ(steps, (Steps{{"post", true, there}, {"timer", true, there}, {"write", true, there}, {"read", true, there}}));
}

// spawn() reports what escapes a detached chain itself (task.hpp rule 4), also when the
// chain ends inside an io_context handler with no EventLoop to report to.
TEST(ForeignLoop, ExceptionEscapingAChainOnAnIoContextIsReported) {
  ASSERT_EQ(EventLoop::current(), nullptr);
  bool resumed = false;
  asio::io_context io;
  untangle::spawn([](asio::io_context& io, bool& resumed) -> Task<void> {
    co_await asio_post(io);
    resumed = io.get_executor().running_in_this_thread();
    throw std::runtime_error("escaped on the io_context");
  }(io, resumed));
  testing::internal::CaptureStderr();
  io.run();
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(resumed);
  EXPECT_NE(err.find("untangle: exception escaped a spawned task: escaped on the io_context"), std::string::npos)
      << err;
}

// Destroying the io_context destroys, unrun, every handler it still holds: a queued post (in
// the scheduler), a timer wait (in the timer queue) and a socket read (in the reactor). Each
// held a from_callback callback, so each awaiting coroutine resumes with broken_promise
// (from_callback rule 4), inside the io_context's destructor, and unwinds: its frame's timer
// and sockets go while the context shuts down, which Asio allows (handlers may own the I/O
// objects, as with a shared_ptr bound into them). ASan/LSan check that nothing leaks.
Task<void> post_then_timer(asio::io_context& io, Steps& steps) {
  co_await asio_post(io);
  steps.push_back({"timer chain: post", true, std::this_thread::get_id()});
  asio::steady_timer timer(io, 1h);
  co_await asio_wait(timer);
  steps.push_back({"timer chain: timer", true, std::this_thread::get_id()});
}
Task<void> post_then_read(asio::io_context& io, Steps& steps) {
  co_await asio_post(io);
  steps.push_back({"read chain: post", true, std::this_thread::get_id()});
  asio::local::stream_protocol::socket a(io), b(io);
  asio::local::connect_pair(a, b);
  std::array<char, 1> in{};
  co_await from_callback<std::error_code, std::size_t>([&](auto done) { asio::async_read(b, asio::buffer(in), std::move(done)); });
  steps.push_back({"read chain: read", true, std::this_thread::get_id()});
}
TEST(ForeignLoop, DestroyingTheIoContextResumesItsAwaitersWithBrokenPromise) {
  ASSERT_EQ(EventLoop::current(), nullptr);
  Steps steps;  // outlives the io_context, as in the tests above
  std::promise<void> timer_end, read_end, post_end;
  auto timer_future = timer_end.get_future(), read_future = read_end.get_future(), post_future = post_end.get_future();
  auto io = std::make_unique<asio::io_context>();
  untangle::spawn(deliver(post_then_timer(*io, steps), timer_end));
  untangle::spawn(deliver(post_then_read(*io, steps), read_end));
  io->poll();  // runs both posts: the chains now wait for the timer and the read
  untangle::spawn(deliver([](asio::io_context& io) -> Task<void> { co_await asio_post(io); }(*io), post_end));
  const auto me = std::this_thread::get_id();
  ASSERT_EQ(steps, (Steps{{"timer chain: post", true, me}, {"read chain: post", true, me}}));
  EXPECT_FALSE(is_ready(timer_future) || is_ready(read_future) || is_ready(post_future));
  io.reset();
  ASSERT_TRUE(is_ready(timer_future) && is_ready(read_future) && is_ready(post_future));
  EXPECT_THROW(timer_future.get(), untangle::broken_promise);
  EXPECT_THROW(read_future.get(), untangle::broken_promise);
  EXPECT_THROW(post_future.get(), untangle::broken_promise);
  EXPECT_EQ(steps.size(), 2u);  // no step after the abandoned waits ran
}

// ---- libuv ----

// A libuv handle that owns a from_callback callback until the handle fires (the callback is
// then invoked) or is closed first (the callback is then destroyed uninvoked, at the close
// callback: from_callback rule 4). `inside` counts the UvCall callbacks running on this
// thread, so a step can tell whether it resumed inside one.
template <class Handle>
struct UvCall {
  Handle handle{};
  Completion<> done;
  static inline thread_local int inside = 0;

  static void fire(Handle* h) {
    auto* self = static_cast<UvCall*>(h->data);
    Completion<> done = std::move(self->done);
    self->close();
    ++inside;
    done();
    --inside;
  }
  void close() {
    uv_close(reinterpret_cast<uv_handle_t*>(&handle), [](uv_handle_t* h) { delete static_cast<UvCall*>(h->data); });
  }
};

// Like a post: an async handle signalled at once, so the loop calls it on its next turn.
auto uv_post(uv_loop_t* loop) {
  return from_callback<>([loop](Completion<> done) {
    auto* call = new UvCall<uv_async_t>{{}, std::move(done)};
    uv_async_init(loop, &call->handle, UvCall<uv_async_t>::fire);
    call->handle.data = call;
    uv_async_send(&call->handle);
  });
}
// A one-shot timer; `*pending` is set to it so that a test can close it before it fires.
auto uv_sleep(uv_loop_t* loop, std::uint64_t ms, UvCall<uv_timer_t>** pending = nullptr) {
  return from_callback<>([loop, ms, pending](Completion<> done) {
    auto* call = new UvCall<uv_timer_t>{{}, std::move(done)};
    uv_timer_init(loop, &call->handle);
    call->handle.data = call;
    uv_timer_start(&call->handle, UvCall<uv_timer_t>::fire, ms, 0);
    if (pending) *pending = call;
  });
}

Step uv_step(std::string name) {
  return {std::move(name), UvCall<uv_async_t>::inside + UvCall<uv_timer_t>::inside > 0, std::this_thread::get_id()};
}

Task<int> uv_chain(uv_loop_t* loop, Steps& steps) {
  co_await uv_post(loop);
  steps.push_back(uv_step("post"));
  co_await uv_sleep(loop, 2);
  steps.push_back(uv_step("timer"));
  co_await uv_post(loop);
  steps.push_back(uv_step("post again"));
  co_return 42;
}

TEST(ForeignLoop, LibuvLoopDrivesAChainWithoutAnEventLoop) {
  ASSERT_EQ(EventLoop::current(), nullptr);
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  Steps steps;
  std::promise<int> result;
  auto future = result.get_future();
  untangle::spawn(deliver(uv_chain(&loop, steps), result));
  EXPECT_TRUE(steps.empty());
  uv_run(&loop, UV_RUN_DEFAULT);
  ASSERT_TRUE(is_ready(future));
  EXPECT_EQ(future.get(), 42);
  const auto me = std::this_thread::get_id();
  EXPECT_EQ(steps, (Steps{{"post", true, me}, {"timer", true, me}, {"post again", true, me}}));
  EXPECT_EQ(uv_loop_close(&loop), 0);  // every handle was closed
}

// A timer handle closed before it fires never calls its callback; closing it destroys the
// callback the wrapper owned, so the awaiting coroutine resumes with broken_promise inside
// the close callback, during uv_run.
TEST(ForeignLoop, ClosingALibuvHandleThatHoldsTheCallbackResumesWithBrokenPromise) {
  ASSERT_EQ(EventLoop::current(), nullptr);
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  UvCall<uv_timer_t>* pending = nullptr;
  Steps steps;
  std::promise<void> sleeper_end, closer_end;
  auto sleeper_future = sleeper_end.get_future(), closer_future = closer_end.get_future();
  auto sleeper = [](uv_loop_t* loop, UvCall<uv_timer_t>** pending, Steps& steps) -> Task<void> {
    co_await uv_sleep(loop, 3'600'000, pending);
    steps.push_back(uv_step("slept an hour"));
  };
  auto closer = [](uv_loop_t* loop, UvCall<uv_timer_t>** pending, Steps& steps) -> Task<void> {
    co_await uv_post(loop);
    steps.push_back(uv_step("closing"));
    (*pending)->close();
  };
  untangle::spawn(deliver(sleeper(&loop, &pending, steps), sleeper_end));
  untangle::spawn(deliver(closer(&loop, &pending, steps), closer_end));
  ASSERT_NE(pending, nullptr);
  uv_run(&loop, UV_RUN_DEFAULT);  // returns at once after the close: no active handle left
  ASSERT_TRUE(is_ready(sleeper_future) && is_ready(closer_future));
  closer_future.get();
  EXPECT_THROW(sleeper_future.get(), untangle::broken_promise);
  EXPECT_EQ(steps, (Steps{{"closing", true, std::this_thread::get_id()}}));
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

}  // namespace
