// Tests of untangle/from_callback.hpp and untangle/thunk.hpp, one or more per rule.
#include <untangle/runtime.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <string>
#include <system_error>
#include <thread>
#include <tuple>
#include <vector>

using untangle::Completion;
using untangle::EventLoop;
using untangle::from_callback;
using untangle::Task;
using Log = std::vector<std::string>;

namespace {

// A callback-style API of the usual shape: it stores a std::function (copies) and calls it
// later from the loop.
void async_read(EventLoop& loop, std::string data, std::function<void(std::error_code, std::string)> cb) {
  loop.post([cb = std::move(cb), data = std::move(data)] { cb({}, data); });
}
void async_tick(EventLoop& loop, std::function<void()> cb) { loop.post(std::move(cb)); }
void async_sum(EventLoop& loop, int a, int b, std::function<void(int)> cb) {
  loop.post([=] { cb(a + b); });
}

Task<std::string> results_of_each_arity(EventLoop& loop) {
  co_await from_callback<>([&](auto cb) { async_tick(loop, cb); });
  int sum = co_await from_callback<int>([&](auto cb) { async_sum(loop, 2, 3, cb); });
  auto [ec, text] = co_await from_callback<std::error_code, std::string>([&](auto cb) { async_read(loop, "data", cb); });
  static_assert(std::is_same_v<decltype(text), std::string>);
  co_return text + std::to_string(sum) + (ec ? "!" : "");
}
TEST(FromCallback, YieldsVoidValueOrTuple) {
  EventLoop loop;
  EXPECT_EQ(untangle::sync_wait(loop, results_of_each_arity(loop)), "data5");
}

// Rule 1: the same order of events as the callback version, against a third stream of posts.
void callback_version(EventLoop& loop, Log& log) {
  async_tick(loop, [&] {
    log.push_back("step1");
    async_tick(loop, [&] { log.push_back("step2"); });
  });
}
Task<void> coroutine_version(EventLoop& loop, Log& log) {
  co_await from_callback<>([&](auto cb) { async_tick(loop, cb); });
  log.push_back("step1");
  co_await from_callback<>([&](auto cb) { async_tick(loop, cb); });
  log.push_back("step2");
}
Log interleave(bool coroutine) {
  EventLoop loop;
  Log log;
  loop.post([&] {
    if (coroutine)
      untangle::spawn(coroutine_version(loop, log));
    else
      callback_version(loop, log);
    for (int i = 0; i < 3; ++i) loop.post([&log, i] { log.push_back("other" + std::to_string(i)); });
  });
  loop.run();
  return log;
}
TEST(FromCallback, ResumesInsideTheCallbackKeepingTheOrderOfEvents) {
  Log callbacks = interleave(false), coroutine = interleave(true);
  EXPECT_EQ(callbacks, coroutine);
  EXPECT_EQ(coroutine, (Log{"step1", "other0", "other1", "other2", "step2"}));
}

// Rule 2
Task<int> synchronous_callback() {
  int v = co_await from_callback<int>([](auto cb) { cb(7); });  // before the initiator returns
  co_return v;
}
TEST(FromCallback, CallbackInvokedSynchronouslyWorks) {
  EventLoop loop;
  EXPECT_EQ(untangle::sync_wait(loop, synchronous_callback()), 7);
}

// An API that calls back synchronously on a cache hit and asynchronously on a miss.
void cached_lookup(EventLoop& loop, int key, std::function<void(int)> cb) {
  if (key % 2 == 0)
    cb(key * 10);
  else
    loop.post([=] { cb(key * 10); });
}
Task<int> sum_lookups(EventLoop& loop) {
  int total = 0;
  for (int k = 0; k < 6; ++k) total += co_await from_callback<int>([&](auto cb) { cached_lookup(loop, k, cb); });
  co_return total;
}
TEST(FromCallback, SometimesSynchronousApiWorks) {
  EventLoop loop;
  EXPECT_EQ(untangle::sync_wait(loop, sum_lookups(loop)), 150);
}

// Rule 3
Task<int> invoked_twice(EventLoop& loop) {
  int v = co_await from_callback<int>([&](Completion<int> cb) {
    loop.post([cb] { cb(1); });
    loop.post([cb] { cb(2); });  // the second invocation, through another copy
  });
  co_return v;
}
TEST(FromCallback, SecondInvocationIsReportedAndIgnored) {
  testing::internal::CaptureStderr();
  int v = 0;
  {
    EventLoop loop;
    v = untangle::sync_wait(loop, invoked_twice(loop));
    loop.run();  // let the second call happen
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(v, 1);
  EXPECT_NE(err.find("untangle: completion callback invoked more than once"), std::string::npos) << err;
}

Task<std::string> invoked_through_a_copy(EventLoop& loop) {
  co_return co_await from_callback<std::string>([&](Completion<std::string> cb) {
    std::function<void(std::string)> stored = cb;  // copies
    std::function<void(std::string)> second = stored;
    loop.post([second] { second("from copy"); });
  });
}
TEST(FromCallback, AnyCopyCountsAsTheCallback) {
  EventLoop loop;
  EXPECT_EQ(untangle::sync_wait(loop, invoked_through_a_copy(loop)), "from copy");
}

// Rule 4
Task<std::string> dropped(EventLoop& loop) {
  try {
    co_await from_callback<int>([&](Completion<int> cb) {
      // The API keeps a copy for a while, then drops every copy without calling.
      loop.post([keep = cb] {});
    });
  } catch (const untangle::broken_promise&) {
    co_return "broken";
  }
  co_return "resumed normally";
}
Task<std::string> dropped_synchronously() {
  try {
    co_await from_callback<int>([](Completion<int>) {});
  } catch (const untangle::broken_promise&) {
    co_return "broken";
  }
  co_return "resumed normally";
}
TEST(FromCallback, DestroyedWithoutInvocationThrowsBrokenPromise) {
  EventLoop loop;
  EXPECT_EQ(untangle::sync_wait(loop, dropped(loop)), "broken");
  EXPECT_EQ(untangle::sync_wait(loop, dropped_synchronously()), "broken");
}

// Rule 5
Task<void> initiator_throws(Completion<>* escaped) {
  co_await from_callback<>([escaped](Completion<> cb) {
    *escaped = cb;
    throw std::runtime_error("could not start");
  });
}
TEST(FromCallback, InitiatorExceptionComesOutOfTheAwaitAndLaterCallsAreIgnored) {
  testing::internal::CaptureStderr();
  {
    EventLoop loop;
    Completion<> escaped;
    EXPECT_THROW(untangle::sync_wait(loop, initiator_throws(&escaped)), std::runtime_error);
    escaped();  // must not resume the finished coroutine, and stays silent
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

// Rule 6
Task<void> suspended_forever(std::function<void()>* out) {
  co_await from_callback<>([out](Completion<> cb) { *out = cb; });
}
TEST(FromCallback, CallbackAfterTheCoroutineWasDestroyedIsIgnored) {
  std::function<void()> callback;
  {
    auto task = suspended_forever(&callback);
    EventLoop loop;
    // Start it through a detached-less path: a parent that we destroy while suspended.
    auto handle = task.release();
    untangle::detail::resume(handle);
    ASSERT_FALSE(handle.done());
    handle.destroy();
  }
  callback();  // with ASan, a resume of the freed frame would be a use-after-free
  SUCCEED();
}

// Rule 7
Task<int> completed_on_another_thread(std::thread& worker) {
  int v = co_await from_callback<int>([&](Completion<int> cb) {
    worker = std::thread([cb] { cb(5); });
  });
  co_return v * 2;
}
TEST(FromCallback, CallbackOnAnotherThreadResumesThere) {
  EventLoop loop;
  std::thread worker;
  auto keep = loop.keep_alive();
  std::atomic<int> result{0};
  auto body = [](std::thread& w, std::atomic<int>& out, EventLoop::KeepAlive k) -> Task<void> {
    out = co_await completed_on_another_thread(w);
    (void)k;
  };
  loop.post([&] { untangle::spawn(body(worker, result, std::move(keep))); });
  loop.run();
  worker.join();
  EXPECT_EQ(result.load(), 10);
}

// to_promise
TEST(ToPromise, SettlesFromTheCallbackAndRejectsWhenDropped) {
  EventLoop loop;
  std::string got;
  bool broken = false;
  loop.post([&] {
    untangle::to_promise<std::error_code, std::string>([&](auto cb) { async_read(loop, "p", cb); })
        .then([&](std::tuple<std::error_code, std::string> r) { got = std::get<1>(r); });
    untangle::to_promise<int>([](Completion<int>) {}).catch_([&](std::exception_ptr e) {
      try {
        std::rethrow_exception(e);
      } catch (const untangle::broken_promise&) {
        broken = true;
      }
      return 0;
    });
  });
  loop.run();
  EXPECT_EQ(got, "p");
  EXPECT_TRUE(broken);
}

TEST(ToPromise, InitiatorThrowingRejects) {
  EventLoop loop;
  std::string error;
  untangle::to_promise<>([](auto) { throw std::runtime_error("nope"); }).catch_([&](std::exception_ptr e) {
    error = untangle::detail::describe(e);
  });
  loop.run();
  EXPECT_EQ(error, "nope");
}

TEST(ToPromise, SynchronousCallbackStillContinuesAsAMicrotask) {
  EventLoop loop;
  Log log;
  loop.post([&] {
    untangle::to_promise<int>([](auto cb) { cb(1); }).then([&](int) { log.push_back("then"); });
    log.push_back("after");
  });
  loop.run();
  EXPECT_EQ(log, (Log{"after", "then"}));
}

// thunk
Task<int> await_thunk_twice(untangle::Thunk<int> t) {
  int a = co_await t;
  int b = co_await t;
  co_return a + b;
}
TEST(Thunk, StartsOnFirstUseAndReplaysItsResult) {
  EventLoop loop;
  int starts = 0;
  auto t = untangle::thunk<int>([&](auto cb) {
    ++starts;
    async_sum(loop, 20, 1, cb);
  });
  EXPECT_EQ(starts, 0);
  EXPECT_FALSE(t.started());
  EXPECT_EQ(untangle::sync_wait(loop, await_thunk_twice(t)), 42);
  int via_then = 0;
  t.then([&](int v) { via_then = v; });
  loop.run();
  EXPECT_EQ(starts, 1);
  EXPECT_EQ(via_then, 21);
}

}  // namespace
