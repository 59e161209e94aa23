// untangle/observable.hpp — Observable<T>: Rx-style streams of many values over time.
//
// A Promise settles once; an Observable pushes any number of values, then completes or
// fails. Nothing happens until `subscribe`; every subscription runs the pipeline afresh.
//
// Rules (each one is tested in test/runtime/observable_test.cpp):
//  1. A subscriber sees on_next any number of times, then at most one of on_error /
//     on_complete, and nothing after that — nor after `Subscription::cancel()`.
//  2. `cancel()` (idempotent) stops the whole pipeline at once: interval timers are cleared,
//     debounce/throttle timers too, from_channel stops receiving (values it has not taken
//     stay in the channel; one it had already taken is dropped, like any value after
//     cancel), from_generator stops pulling (and destroys the generator at its next yield).
//     A pipeline is also torn down right after its terminal event.
//  3. An error with no on_error handler is reported on stderr (like a rejected promise
//     nobody handled), not lost.
//  4. A pipeline lives on one loop: the one current when `subscribe` is called. Its events
//     run on that thread, and cancel() belongs to it too. Values are passed as const T&.
//  5. Operators: map, filter, take(n) (then completes and cancels its upstream), scan(seed, f)
//     (emits each accumulation), distinct_until_changed, debounce(d) (emits a value once d
//     passed without a newer one; completion flushes the pending value first), throttle(d)
//     (emits a value, then drops values for d), merge(a, b, ...) (interleaves; completes when
//     all complete; fails at the first error, cancelling the rest).
//  6. Sources: interval(loop, d) (0, 1, 2, ... every d; never completes), from_range,
//     from_channel (completes when the channel is closed and drained), from_generator
//     (subscribe once). Sinks: to_vector (a Task that yields every value, or throws the
//     error) and to_channel (sends every value in order, waiting for room; closes the
//     channel after completion or an error).
#pragma once

#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "async_generator.hpp"
#include "cancellation.hpp"
#include "channel.hpp"
#include "errors.hpp"
#include "from_callback.hpp"
#include "loop.hpp"
#include "task.hpp"

namespace untangle {

class Subscription {
public:
  Subscription() : state_(std::make_shared<State>()) {}

  void cancel() {
    if (std::exchange(state_->cancelled, true)) return;
    auto teardowns = std::move(state_->teardowns);
    state_->teardowns.clear();
    for (auto& t : teardowns) t();
  }
  bool cancelled() const noexcept { return state_->cancelled; }

  // Runs `f` on cancel (at once if already cancelled).
  void add(std::function<void()> f) {
    if (state_->cancelled)
      f();
    else
      state_->teardowns.push_back(std::move(f));
  }

  // A subscription cancelled with this one, and cancellable on its own (take stops its
  // upstream without stopping its siblings in a merge).
  Subscription child() {
    Subscription c;
    add([c]() mutable { c.cancel(); });
    return c;
  }

private:
  struct State {
    bool cancelled = false;
    std::vector<std::function<void()>> teardowns;
  };
  std::shared_ptr<State> state_;
};

template <class T>
struct Observer {
  std::function<void(const T&)> on_next;
  std::function<void(std::exception_ptr)> on_error;
  std::function<void()> on_complete;
};

// What a source or operator pushes into. Enforces rule 1 and tears down after the end.
template <class T>
class Emitter {
public:
  Emitter(Observer<T> o, Subscription s) : sink_(std::make_shared<Sink>(Sink{std::move(o), std::move(s)})) {}

  bool closed() const noexcept { return sink_->done || sink_->sub.cancelled(); }

  // Each event holds the sink for its whole duration: a handler may (through cancel, or a
  // coroutine it resumes finishing) destroy the very lambda that holds this Emitter.
  void next(const T& v) const {
    auto sink = sink_;
    if (!closed() && sink->o.on_next) sink->o.on_next(v);
  }
  void error(std::exception_ptr e) const {
    if (closed()) return;
    auto sink = sink_;
    sink->done = true;
    if (sink->o.on_error)
      sink->o.on_error(std::move(e));
    else
      detail::report("unhandled observable error", detail::describe(e));
    sink->sub.cancel();
  }
  void complete() const {
    if (closed()) return;
    auto sink = sink_;
    sink->done = true;
    if (sink->o.on_complete) sink->o.on_complete();
    sink->sub.cancel();
  }
  Subscription subscription() const { return sink_->sub; }

private:
  struct Sink {
    Observer<T> o;
    Subscription sub;
    bool done = false;
  };
  std::shared_ptr<Sink> sink_;
};

template <class T>
class Observable {
public:
  using value_type = T;
  using Source = std::function<void(Emitter<T>)>;

  explicit Observable(Source source) : source_(std::make_shared<Source>(std::move(source))) {}

  Subscription subscribe(std::function<void(const T&)> on_next, std::function<void(std::exception_ptr)> on_error = {},
                         std::function<void()> on_complete = {}) const {
    return subscribe(Observer<T>{std::move(on_next), std::move(on_error), std::move(on_complete)});
  }
  Subscription subscribe(Observer<T> o) const {
    Subscription s;
    subscribe(std::move(o), s);
    return s;
  }
  // Internal for operators: subscribes under an existing subscription.
  void subscribe(Observer<T> o, Subscription s) const {
    Emitter<T> out(std::move(o), std::move(s));
    auto source = source_;  // the pipeline may drop this Observable while its source runs
    try {
      (*source)(out);
    } catch (...) {
      out.error(std::current_exception());
    }
  }

  template <class F>
  auto map(F f) const {
    using U = std::decay_t<std::invoke_result_t<F&, const T&>>;
    return lift<U>([f](Emitter<U> out) mutable { return [out, f](const T& v) mutable { out.next(f(v)); }; });
  }

  template <class P>
  Observable filter(P p) const {
    return lift<T>([p](Emitter<T> out) mutable {
      return [out, p](const T& v) mutable {
        if (p(v)) out.next(v);
      };
    });
  }

  template <class U, class F>
  Observable<U> scan(U seed, F f) const {
    return lift<U>([seed, f](Emitter<U> out) mutable {
      return [out, f, acc = seed](const T& v) mutable {
        acc = f(acc, v);
        out.next(acc);
      };
    });
  }

  Observable distinct_until_changed() const {
    return lift<T>([](Emitter<T> out) {
      return [out, last = std::optional<T>()](const T& v) mutable {
        if (last && *last == v) return;
        last = v;
        out.next(v);
      };
    });
  }

  Observable take(std::size_t n) const {
    auto up = *this;
    return Observable([up, n](Emitter<T> out) {
      if (n == 0) return out.complete();
      Subscription upstream = out.subscription().child();
      auto left = std::make_shared<std::size_t>(n);
      up.subscribe(Observer<T>{[out, left, upstream](const T& v) mutable {
                                 if (*left == 0) return;
                                 out.next(v);
                                 if (--*left == 0) {
                                   upstream.cancel();
                                   out.complete();
                                 }
                               },
                               [out](std::exception_ptr e) { out.error(e); }, [out] { out.complete(); }},
                   upstream);
    });
  }

  Observable debounce(EventLoop::Clock::duration d) const {
    auto up = *this;
    return Observable([up, d](Emitter<T> out) {
      struct State {
        EventLoop* loop;
        std::optional<T> pending;
        TimerId timer;
      };
      auto st = std::make_shared<State>(State{&detail::home_loop(), {}, {}});
      out.subscription().add([st] { st->loop->clear_timer(st->timer); });
      up.subscribe(Observer<T>{[out, st, d](const T& v) {
                                 st->pending = v;
                                 st->loop->clear_timer(st->timer);
                                 st->timer = st->loop->set_timeout(d, [out, st] {
                                   st->timer = {};
                                   if (auto p = std::exchange(st->pending, std::nullopt)) out.next(*p);
                                 });
                               },
                               [out, st](std::exception_ptr e) {
                                 st->pending.reset();
                                 out.error(e);
                               },
                               [out, st] {
                                 if (auto p = std::exchange(st->pending, std::nullopt)) out.next(*p);
                                 out.complete();
                               }},
                   out.subscription());
    });
  }

  Observable throttle(EventLoop::Clock::duration d) const {
    auto up = *this;
    return Observable([up, d](Emitter<T> out) {
      struct State {
        EventLoop* loop;
        TimerId window;
      };
      auto st = std::make_shared<State>(State{&detail::home_loop(), {}});
      out.subscription().add([st] { st->loop->clear_timer(st->window); });
      up.subscribe(Observer<T>{[out, st, d](const T& v) {
                                 if (st->window) return;
                                 st->window = st->loop->set_timeout(d, [st] { st->window = {}; });
                                 out.next(v);
                               },
                               [out](std::exception_ptr e) { out.error(e); }, [out] { out.complete(); }},
                   out.subscription());
    });
  }

private:
  // An operator that transforms on_next and passes the terminal events through:
  // make(out) returns the on_next for the upstream.
  template <class U, class Make>
  Observable<U> lift(Make make) const {
    auto up = *this;
    return Observable<U>([up, make](Emitter<U> out) mutable {
      up.subscribe(Observer<T>{make(out), [out](std::exception_ptr e) { out.error(e); }, [out] { out.complete(); }},
                   out.subscription());
    });
  }

  std::shared_ptr<Source> source_;
};

// ---- sources --------------------------------------------------------------------------

inline Observable<std::size_t> interval(EventLoop& loop, EventLoop::Clock::duration d) {
  return Observable<std::size_t>([&loop, d](Emitter<std::size_t> out) {
    TimerId id = loop.set_interval(d, [out, n = std::size_t{0}]() mutable { out.next(n++); });
    out.subscription().add([&loop, id] { loop.clear_timer(id); });
  });
}

template <class Range>
auto from_range(Range range) {
  using T = std::decay_t<decltype(*std::begin(range))>;
  auto shared = std::make_shared<Range>(std::move(range));
  return Observable<T>([shared](Emitter<T> out) {
    for (const auto& v : *shared) {
      if (out.closed()) return;
      out.next(v);
    }
    out.complete();
  });
}

namespace detail {

template <class T>
Task<void> pump_channel(Channel<T> ch, Emitter<T> out, CancellationToken token) {
  try {
    while (std::optional<T> v = co_await ch.recv(token)) out.next(*v);
    out.complete();
  } catch (const operation_cancelled&) {
    // cancelled by the subscription: nothing more to say
  } catch (...) {
    out.error(std::current_exception());
  }
}

template <class T>
Task<void> pump_generator(std::shared_ptr<AsyncGenerator<T>> gen, Emitter<T> out) {
  try {
    while (!out.closed()) {
      std::optional<T> v = co_await gen->next();
      if (!v) break;
      out.next(*v);
    }
    out.complete();
  } catch (...) {
    out.error(std::current_exception());
  }
  gen.reset();
}

template <class T>
struct ChannelFeed {
  Channel<T> ch;
  std::deque<T> queue;
  bool pumping = false;
  bool ended = false;
};

template <class T>
Task<void> pump_into_channel(std::shared_ptr<ChannelFeed<T>> feed, Subscription sub) {
  feed->pumping = true;
  while (!feed->queue.empty()) {
    T v = std::move(feed->queue.front());
    feed->queue.pop_front();
    if (!co_await feed->ch.send(std::move(v))) {  // closed by someone else: stop the source
      feed->queue.clear();
      sub.cancel();
      break;
    }
  }
  feed->pumping = false;
  if (feed->ended) feed->ch.close();
}

}  // namespace detail

template <class T>
Observable<T> from_channel(Channel<T> ch) {
  return Observable<T>([ch](Emitter<T> out) {
    auto source = std::make_shared<CancellationSource>();
    out.subscription().add([source] { source->cancel(); });
    spawn(detail::pump_channel(ch, out, source->token()));
  });
}

template <class T>
Observable<T> from_generator(AsyncGenerator<T> gen) {
  auto shared = std::make_shared<std::optional<AsyncGenerator<T>>>(std::move(gen));
  return Observable<T>([shared](Emitter<T> out) {
    if (!*shared) throw std::logic_error("untangle: an observable from_generator can be subscribed only once");
    auto g = std::make_shared<AsyncGenerator<T>>(std::move(**shared));
    shared->reset();
    spawn(detail::pump_generator(std::move(g), out));
  });
}

// ---- operators over several observables ----------------------------------------------------

template <class T, class... More>
  requires(std::is_same_v<Observable<T>, More> && ...)
Observable<T> merge(Observable<T> first, More... more) {
  std::vector<Observable<T>> all{std::move(first), std::move(more)...};
  return Observable<T>([all](Emitter<T> out) {
    auto left = std::make_shared<std::size_t>(all.size());
    for (const auto& o : all)
      o.subscribe(Observer<T>{[out](const T& v) { out.next(v); }, [out](std::exception_ptr e) { out.error(e); },
                              [out, left] {
                                if (--*left == 0) out.complete();
                              }},
                  out.subscription().child());
  });
}

// ---- sinks ------------------------------------------------------------------------------------

template <class T>
Task<std::vector<T>> to_vector(Observable<T> source) {
  auto values = std::make_shared<std::vector<T>>();
  // Named, not a temporary of the co_await expression: g++ 12 destroys lambda temporaries
  // there twice (which here released `values` one time too many).
  auto subscribe = [&source, values](Completion<std::exception_ptr> done) {
    source.subscribe([values](const T& v) { values->push_back(v); }, [done](std::exception_ptr e) { done(e); },
                     [done] { done(nullptr); });
  };
  auto finished = from_callback<std::exception_ptr>(std::move(subscribe));
  std::exception_ptr error = co_await finished;
  if (error) std::rethrow_exception(error);
  std::vector<T> out = std::move(*values);
  co_return out;
}

template <class T>
Subscription to_channel(Observable<T> source, Channel<T> ch) {
  auto feed = std::make_shared<detail::ChannelFeed<T>>(detail::ChannelFeed<T>{ch, {}, false, false});
  Subscription sub;
  auto end = [feed] {
    feed->ended = true;
    if (!feed->pumping) feed->ch.close();
  };
  source.subscribe(Observer<T>{[feed, sub](const T& v) {
                                 feed->queue.push_back(v);
                                 if (!feed->pumping) spawn(detail::pump_into_channel(feed, sub));
                               },
                               [end](std::exception_ptr) { end(); }, end},
                   sub);
  return sub;
}

}  // namespace untangle
