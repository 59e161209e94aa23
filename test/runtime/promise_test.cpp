// Tests of untangle/promise.hpp: one test (or more) per rule of its header comment.
#include <untangle/promise.hpp>
#include <untangle/from_callback.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using untangle::EventLoop;
using untangle::make_promise;
using untangle::Promise;
using Log = std::vector<std::string>;

namespace {

std::string message_of(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  }
}

// Rule 1: never synchronous, neither inside then() nor inside resolve().
TEST(Promise, ContinuationsNeverRunSynchronously) {
  EventLoop loop;
  Log log;
  loop.post([&] {
    auto [p, r] = make_promise<int>();
    p.then([&](int v) { log.push_back("then " + std::to_string(v)); });
    r.resolve(1);
    log.push_back("after resolve");
    auto done = Promise<int>::resolved(2);
    done.then([&](int v) { log.push_back("then " + std::to_string(v)); });
    log.push_back("after then on settled");
  });
  loop.run();
  EXPECT_EQ(log, (Log{"after resolve", "after then on settled", "then 1", "then 2"}));
}

// Rule 1: they are microtasks — before the next macrotask.
TEST(Promise, ContinuationsRunAsMicrotasksBeforeTheNextMacrotask) {
  EventLoop loop;
  Log log;
  loop.post([&] {
    loop.post([&] { log.push_back("macrotask"); });
    Promise<void>::resolved().then([&] { log.push_back("microtask"); });
  });
  loop.run();
  EXPECT_EQ(log, (Log{"microtask", "macrotask"}));
}

// Rule 2, and the interleaving JavaScript shows for two chains.
TEST(Promise, ContinuationOrderFollowsAttachAndSettleOrder) {
  EventLoop loop;
  Log log;
  loop.post([&] {
    auto [p, pr] = make_promise<void>();
    auto [q, qr] = make_promise<void>();
    p.then([&] { log.push_back("a"); }).then([&] { log.push_back("c"); });
    q.then([&] { log.push_back("b"); }).then([&] { log.push_back("d"); });
    p.then([&] { log.push_back("a2"); });
    pr.resolve();
    qr.resolve();
  });
  loop.run();
  EXPECT_EQ(log, (Log{"a", "a2", "b", "c", "d"}));
}

// Rule 3
TEST(Promise, SettlesOnceAndIgnoresLaterCalls) {
  EventLoop loop;
  std::vector<int> seen;
  auto [p, r] = make_promise<int>();
  p.then([&](int v) { seen.push_back(v); });
  r.resolve(1);
  r.resolve(2);
  r.reject(std::runtime_error("late"));
  loop.run();
  EXPECT_EQ(seen, std::vector<int>{1});
}

TEST(Promise, ThenMapsValuesAndVoid) {
  EventLoop loop;
  std::string out;
  Promise<int>::resolved(20)
      .then([](int v) { return v + 1; })
      .then([](int v) { return std::to_string(v); })
      .then([&](const std::string& s) { out = s; })
      .then([&] { out += "!"; });
  loop.run();
  EXPECT_EQ(out, "21!");
}

// Rule 4
TEST(Promise, ThenAdoptsAReturnedPromise) {
  EventLoop loop;
  int out = 0;
  Promise<int>::resolved(1)
      .then([&](int v) {
        auto [inner, r] = make_promise<int>();
        loop.set_timeout(std::chrono::milliseconds(1), [r = r, v] { r.resolve(v * 10); });
        return inner;
      })
      .then([&](int v) { out = v; });
  loop.run();
  EXPECT_EQ(out, 10);
}

TEST(Promise, ResolvingWithAPromiseAdoptsIt) {
  EventLoop loop;
  int out = 0;
  auto [p, r] = make_promise<int>();
  r.resolve(Promise<int>::resolved(5));
  p.then([&](int v) { out = v; });
  loop.run();
  EXPECT_EQ(out, 5);
}

TEST(Promise, ThrowingContinuationRejectsAndRejectionSkipsThens) {
  EventLoop loop;
  std::string caught;
  bool skipped_ran = false;
  Promise<int>::resolved(1)
      .then([](int) -> int { throw std::runtime_error("bad"); })
      .then([&](int v) {
        skipped_ran = true;
        return v;
      })
      .catch_([&](std::exception_ptr e) {
        caught = message_of(e);
        return 7;
      })
      .then([&](int v) { caught += "+" + std::to_string(v); });
  loop.run();
  EXPECT_FALSE(skipped_ran);
  EXPECT_EQ(caught, "bad+7");
}

TEST(Promise, CatchPassesAFulfilledValueThrough) {
  EventLoop loop;
  int out = 0;
  Promise<int>::resolved(3).catch_([](std::exception_ptr) { return 0; }).then([&](int v) { out = v; });
  loop.run();
  EXPECT_EQ(out, 3);
}

TEST(Promise, FinallyRunsOnBothOutcomesAndPassesThem) {
  EventLoop loop;
  Log log;
  Promise<int>::resolved(4).finally([&] { log.push_back("finally1"); }).then([&](int v) {
    log.push_back("value " + std::to_string(v));
  });
  Promise<int>::rejected(std::make_exception_ptr(std::runtime_error("e")))
      .finally([&] { log.push_back("finally2"); })
      .catch_([&](std::exception_ptr e) {
        log.push_back("error " + message_of(e));
        return 0;
      });
  Promise<void>::resolved()
      .finally([] { throw std::runtime_error("from finally"); })
      .catch_([&](std::exception_ptr e) { log.push_back("error " + message_of(e)); });
  loop.run();
  EXPECT_EQ(log, (Log{"finally1", "finally2", "value 4", "error e", "error from finally"}));
}

// Rule 5
TEST(Promise, UnhandledRejectionIsReportedWhenThePromiseDies) {
  testing::internal::CaptureStderr();
  {
    EventLoop loop;
    auto p = Promise<int>::rejected(std::make_exception_ptr(std::runtime_error("nobody listens")));
    loop.run();
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("untangle: unhandled promise rejection: nobody listens"), std::string::npos) << err;
}

TEST(Promise, HandledRejectionIsNotReported) {
  testing::internal::CaptureStderr();
  {
    EventLoop loop;
    Promise<int>::rejected(std::make_exception_ptr(std::runtime_error("handled")))
        .catch_([](std::exception_ptr) { return 0; });
    loop.run();
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

TEST(Promise, RejectionPropagatedDownAChainIsReportedOnceAtItsEnd) {
  testing::internal::CaptureStderr();
  {
    EventLoop loop;
    Promise<int>::rejected(std::make_exception_ptr(std::runtime_error("once")))
        .then([](int v) { return v; })
        .then([](int v) { return v; });
    loop.run();
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err, "untangle: unhandled promise rejection: once\n");
}

TEST(Promise, DroppedResolverRejectsWithBrokenPromise) {
  EventLoop loop;
  bool broken = false;
  {
    auto [p, r] = make_promise<int>();
    p.catch_([&](std::exception_ptr e) {
      try {
        std::rethrow_exception(e);
      } catch (const untangle::broken_promise&) {
        broken = true;
      }
      return 0;
    });
  }  // the resolver dies unsettled
  loop.run();
  EXPECT_TRUE(broken);
}

TEST(Promise, ResolveFromAnotherThreadSettlesOnTheHomeLoop) {
  EventLoop loop;
  auto keep = std::make_unique<EventLoop::KeepAlive>(loop);
  std::thread::id continued_on;
  int value = 0;
  auto [p, r] = make_promise<int>();
  p.then([&](int v) {
    value = v;
    continued_on = std::this_thread::get_id();
    keep.reset();
  });
  std::thread worker([r = std::move(r)] { r.resolve(99); });
  loop.run();
  worker.join();
  EXPECT_EQ(value, 99);
  EXPECT_EQ(continued_on, std::this_thread::get_id());
}

TEST(Promise, MisuseGivesClearErrors) {
  EventLoop loop;
  Promise<int> empty;
  EXPECT_FALSE(empty.valid());
  EXPECT_THROW(empty.then([](int) {}), std::logic_error);
  EXPECT_THROW((void)empty.settled(), std::logic_error);
}

// Rule 7: the chain is built before any loop exists; the callback API it wraps creates
// its loop on first use, and settles the first promise from that loop.
class LazyLoopApi {
public:
  // Completes `done(value * 10)` from the API's own loop, created by the first call.
  void query(int value, std::function<void(int)> done) {
    if (!loop_) loop_ = std::make_unique<EventLoop>();
    loop_->post([value, done = std::move(done)] { done(value * 10); });
  }
  void run() { loop_->run(); }
  EventLoop* loop() const { return loop_.get(); }

private:
  std::unique_ptr<EventLoop> loop_;
};

TEST(Promise, AChainBuiltBeforeAnyLoopBindsToTheLoopThatSettlesIt) {
  ASSERT_EQ(EventLoop::current(), nullptr);
  auto [first, resolver] = make_promise<int>();
  Log log;
  EventLoop* ran_on = nullptr;
  auto last = first.then([&](int v) { log.push_back("then " + std::to_string(v)); return v + 1; })
                  .then([&](int v) {
                    log.push_back("then " + std::to_string(v));
                    ran_on = EventLoop::running();
                  });
  LazyLoopApi api;
  api.query(4, [r = resolver](int v) { r.resolve(v); });
  EXPECT_TRUE(log.empty());
  api.run();
  EXPECT_EQ(log, (Log{"then 40", "then 41"}));
  EXPECT_EQ(ran_on, api.loop());
  EXPECT_EQ(&last.loop(), api.loop());  // `then` made it unbound; settling bound it
}

// Rule 7 with to_promise: the initiator creates the API's loop.
TEST(Promise, ToPromiseBeforeAnyLoopWorksWhenTheApiCreatesItsLoop) {
  ASSERT_EQ(EventLoop::current(), nullptr);
  LazyLoopApi api;
  int got = 0;
  auto p = untangle::to_promise<int>([&](auto done) { api.query(7, std::move(done)); });
  p.then([&](int v) { got = v; });
  api.run();
  EXPECT_EQ(got, 70);
}

// Rule 7: resolved/rejected with no loop stay unbound until a continuation must run.
TEST(Promise, SettledPromisesMadeWithoutALoopBindWhenAContinuationIsAttached) {
  ASSERT_EQ(EventLoop::current(), nullptr);
  auto ok = Promise<int>::resolved(3);
  auto bad = Promise<int>::rejected(std::make_exception_ptr(std::runtime_error("no")));
  EXPECT_THROW(ok.then([](int) {}), std::logic_error);  // settled, and nothing to run it on
  EventLoop loop;
  int seen = 0;
  std::string error;
  ok.then([&](int v) { seen = v; });
  bad.catch_([&](std::exception_ptr e) { error = message_of(e); return 0; });
  loop.run();
  EXPECT_EQ(seen, 3);
  EXPECT_EQ(error, "no");
  EXPECT_EQ(&ok.loop(), &loop);
}

// Rule 7, misuse: settling with continuations waiting and no loop anywhere on this thread
// throws and leaves the promise pending, so a later settlement (with a loop) still works.
TEST(Promise, SettlingWithWaitingContinuationsAndNoLoopThrowsAndChangesNothing) {
  ASSERT_EQ(EventLoop::current(), nullptr);
  auto [p, r] = make_promise<int>();
  int seen = 0;
  p.then([&](int v) { seen = v; });
  try {
    r.resolve(1);
    FAIL() << "resolve with no loop to run the continuation must throw";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("no event loop"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(p.settled());
  EventLoop loop;
  r.resolve(2);
  loop.run();
  EXPECT_EQ(seen, 2);
}

// Rule 7, misuse in a destructor: a Resolver dropped with continuations waiting and no loop
// says so on stderr (it cannot throw), and nothing crashes or leaks.
TEST(Promise, DroppingAResolverWithNoLoopReportsIt) {
  ASSERT_EQ(EventLoop::current(), nullptr);
  auto state = std::make_shared<int>(0);
  {
    auto [p, r] = make_promise<int>();
    p.then([state](int) {});
    testing::internal::CaptureStderr();
    { auto dropped = std::move(r); }
    std::string said = testing::internal::GetCapturedStderr();
    EXPECT_NE(said.find("no event loop"), std::string::npos) << said;
  }
  EXPECT_EQ(state.use_count(), 1);  // the continuation was destroyed with the promise
}

// Combinators
TEST(PromiseCombinators, AllGathersInInputOrderAndRejectsOnFirstError) {
  EventLoop loop;
  std::vector<int> values;
  std::string error;
  auto [slow, slow_r] = make_promise<int>();
  loop.set_timeout(std::chrono::milliseconds(2), [r = slow_r] { r.resolve(1); });
  untangle::all(std::vector<Promise<int>>{slow, Promise<int>::resolved(2)}).then([&](std::vector<int> v) { values = v; });
  untangle::all(std::vector<Promise<int>>{Promise<int>::resolved(1),
                                          Promise<int>::rejected(std::make_exception_ptr(std::runtime_error("x")))})
      .catch_([&](std::exception_ptr e) {
        error = message_of(e);
        return std::vector<int>{};
      });
  bool empty_done = false;
  untangle::all(std::vector<Promise<void>>{}).then([&] { empty_done = true; });
  loop.run();
  EXPECT_EQ(values, (std::vector<int>{1, 2}));
  EXPECT_EQ(error, "x");
  EXPECT_TRUE(empty_done);
}

TEST(PromiseCombinators, RaceSettlesAsTheFirstToSettle) {
  EventLoop loop;
  int winner = 0;
  auto [late, late_r] = make_promise<int>();
  loop.set_timeout(std::chrono::milliseconds(5), [r = late_r] { r.resolve(2); });
  untangle::race(std::vector<Promise<int>>{late, Promise<int>::resolved(1)}).then([&](int v) { winner = v; });
  bool empty_rejected = false;
  untangle::race(std::vector<Promise<int>>{}).catch_([&](std::exception_ptr) {
    empty_rejected = true;
    return 0;
  });
  loop.run();
  EXPECT_EQ(winner, 1);
  EXPECT_TRUE(empty_rejected);
}

TEST(PromiseCombinators, AnyTakesTheFirstFulfilledOrAggregatesAllErrors) {
  EventLoop loop;
  int first = 0;
  std::size_t error_count = 0;
  auto err = [](const char* m) { return Promise<int>::rejected(std::make_exception_ptr(std::runtime_error(m))); };
  untangle::any(std::vector<Promise<int>>{err("a"), Promise<int>::resolved(3)}).then([&](int v) { first = v; });
  untangle::any(std::vector<Promise<int>>{err("a"), err("b")}).catch_([&](std::exception_ptr e) {
    try {
      std::rethrow_exception(e);
    } catch (const untangle::aggregate_error& agg) {
      error_count = agg.errors().size();
      EXPECT_EQ(message_of(agg.errors()[1]), "b");
    }
    return 0;
  });
  loop.run();
  EXPECT_EQ(first, 3);
  EXPECT_EQ(error_count, 2u);
}

TEST(PromiseCombinators, AllSettledReportsEveryOutcome) {
  EventLoop loop;
  std::vector<untangle::Settled<int>> out;
  untangle::all_settled(std::vector<Promise<int>>{
                            Promise<int>::resolved(1),
                            Promise<int>::rejected(std::make_exception_ptr(std::runtime_error("no")))})
      .then([&](std::vector<untangle::Settled<int>> s) { out = std::move(s); });
  loop.run();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].fulfilled());
  EXPECT_EQ(*out[0].value, 1);
  EXPECT_FALSE(out[1].fulfilled());
  EXPECT_EQ(message_of(out[1].error), "no");
}

}  // namespace
