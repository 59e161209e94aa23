// untangle/promise.hpp — Promise<T> with JavaScript semantics.
//
// Ordering rules (tested in test/runtime/promise_test.cpp):
//  1. Continuations (`then`, `catch_`, `finally`, `co_await`) never run synchronously inside
//     `then` or `resolve`: each runs as a microtask of the promise's loop once the promise
//     has settled ("no Zalgo"), also when it was already settled.
//  2. Continuations of one promise run in the order they were attached; continuations of
//     promises settled one after the other run in settle order.
//  3. A promise settles once; later resolve/reject calls are ignored.
//  4. A continuation returning a Promise is adopted: the promise returned by `then` settles
//     as that one does.
//  5. A rejection nobody handled (no continuation attached) is reported on stderr when the
//     promise's last reference dies. A Resolver whose last copy dies before settling rejects
//     its promise with `broken_promise` (nothing waits forever on a dropped resolver).
//
//  6. A promise belongs to the loop that was `EventLoop::current()` when it was made (its
//     home loop); continuations run there. `resolve`/`reject` are safe from any thread: off
//     the home loop's thread they are posted to it. Attaching continuations belongs to the
//     home thread.
//  7. A promise made while no loop exists (`make_promise`, `resolved`, `rejected`,
//     `to_promise`, `then` chains on such promises) binds to a loop later, as JavaScript
//     queues a job when a promise settles: to the current loop of the thread that settles
//     it, or that attaches a continuation to it once settled, whichever comes first; the
//     promises `then` makes share it. Until bound, it is used by one thread at a time
//     (typically: the program builds a chain, then the callback API it wraps creates its
//     loop and settles the first promise). Misuse is said, not guessed around: settling a
//     promise that has continuations waiting, or attaching one to a settled promise, on a
//     thread with no loop throws std::logic_error ("no event loop to run its
//     continuations") and leaves the promise as it was; a Resolver dropped there reports it
//     on stderr instead (a destructor cannot throw).
#pragma once

#include <atomic>
#include <memory>
#include <exception>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "detail/callback.hpp"
#include "detail/resume.hpp"
#include "errors.hpp"
#include "loop.hpp"

namespace untangle {

template <class T>
class Promise;
template <class T>
class Resolver;

namespace detail {
template <class T>
std::pair<Promise<T>, Resolver<T>> make_promise_pair(EventLoop* loop);
}  // namespace detail

template <class T>
struct is_promise : std::false_type {};
template <class T>
struct is_promise<Promise<T>> : std::true_type {};

namespace detail {

struct Unit {};
template <class T>
using stored_t = std::conditional_t<std::is_void_v<T>, Unit, T>;

template <class T>
struct unwrap_promise {
  using type = T;
};
template <class T>
struct unwrap_promise<Promise<T>> {
  using type = T;
};

inline EventLoop& home_loop() {
  EventLoop* loop = EventLoop::current();
  if (!loop)
    throw std::logic_error(
        "untangle: a promise needs an event loop: create an untangle::EventLoop on this "
        "thread first");
  return *loop;
}

inline constexpr const char* no_loop_to_run_continuations =
    "untangle: a promise has continuations to run but no event loop exists on this thread "
    "to run them (promise.hpp rule 7): create an untangle::EventLoop before settling it";

template <class T>
class StateRef;

template <class F, class T>
struct then_result {
  using type = std::invoke_result_t<F, const T&>;
};
template <class F>
struct then_result<F, void> {
  using type = std::invoke_result_t<F>;
};

template <class T>
class PromiseState {
public:
  explicit PromiseState(EventLoop* loop) : loop_(loop) {}
  PromiseState(const PromiseState&) = delete;
  PromiseState& operator=(const PromiseState&) = delete;

  ~PromiseState() {
    if (error_ && !handled_) report("unhandled promise rejection", describe(error_));
  }

  void add_ref() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
  void add_resolver() noexcept { resolvers_.fetch_add(1, std::memory_order_relaxed); }
  // True when the caller held the last resolver.
  bool drop_resolver() noexcept { return resolvers_.fetch_sub(1, std::memory_order_acq_rel) == 1; }

  // The home loop; an unbound promise binds to this thread's current loop (rule 7).
  EventLoop& loop() {
    if (EventLoop* l = bound_or_bind()) return *l;
    throw std::logic_error(no_loop_to_run_continuations);
  }
  EventLoop* loop_if_bound() const noexcept { return loop_.load(std::memory_order_acquire); }
  bool settled() const noexcept { return value_.has_value() || error_ != nullptr; }
  bool fulfilled() const noexcept { return value_.has_value(); }
  const stored_t<T>& value() const noexcept { return *value_; }
  const std::exception_ptr& error() const noexcept { return error_; }

  // Runs `f` on the home loop's thread: now if this is it, else as a posted macrotask. An
  // unbound promise on a thread with no loop settles right here (rule 7).
  template <class F>
  void on_home_thread(F&& f) {
    EventLoop* loop = bound_or_bind();
    if (!loop || loop->on_loop_thread())
      f();
    else
      loop->post(std::forward<F>(f));
  }

  template <class V>
  void fulfill(V&& v) {
    if (settled()) return;  // rule 3
    require_loop_for_waiting_continuations();
    value_.emplace(std::forward<V>(v));
    flush();
  }
  void reject(std::exception_ptr e) {
    if (settled()) return;
    require_loop_for_waiting_continuations();
    if (!e) e = std::make_exception_ptr(std::logic_error("untangle: rejected with a null exception_ptr"));
    error_ = std::move(e);
    flush();
  }
  // Readable from any thread (a resolver dying elsewhere asks it).
  bool settled_flag() const noexcept { return settled_flag_.load(std::memory_order_acquire); }

  // `k` runs as a microtask after settlement (rule 1). Attaching counts as handling.
  void subscribe(Callback k) {
    EventLoop* loop = loop_if_bound();
    if (loop && !loop->on_loop_thread()) {
      add_ref();
      loop->post([self = StateRef<T>(this), k = std::move(k)]() mutable { self->subscribe(std::move(k)); });
      return;
    }
    if (settled()) {
      loop = bound_or_bind();
      if (!loop) throw std::logic_error(no_loop_to_run_continuations);  // rule 7
      handled_ = true;
      loop->queue_microtask(std::move(k));
      return;
    }
    handled_ = true;
    if (!first_continuation_)
      first_continuation_ = std::move(k);  // nearly always the only one: no vector buffer
    else
      continuations_.push_back(std::move(k));
  }

  // The home loop, binding an unbound promise to this thread's current loop (rule 7);
  // null when it is unbound and this thread has no loop. The first binding wins.
  EventLoop* bound_or_bind() noexcept {
    EventLoop* loop = loop_.load(std::memory_order_acquire);
    if (loop) return loop;
    EventLoop* here = EventLoop::current();
    if (here && !loop_.compare_exchange_strong(loop, here, std::memory_order_acq_rel)) return loop;
    return here;
  }

  // Destroys the waiting continuations unrun (rule 7's dropped Resolver).
  void drop_continuations() noexcept {
    Callback first = std::move(first_continuation_);
    std::vector<Callback> rest = std::move(continuations_);
    continuations_.clear();
  }

private:
  // Rule 7: a settlement that could not run its waiting continuations must not happen.
  void require_loop_for_waiting_continuations() {
    if (first_continuation_ && !bound_or_bind()) throw std::logic_error(no_loop_to_run_continuations);
  }

  void flush() {
    settled_flag_.store(true, std::memory_order_release);
    if (!first_continuation_) return;  // the second and later come after a first
    EventLoop& loop = *loop_if_bound();  // bound: require_loop_for_waiting_continuations
    loop.queue_microtask(std::move(first_continuation_));
    if (continuations_.empty()) return;
    auto waiting = std::move(continuations_);
    continuations_.clear();
    for (auto& k : waiting) loop.queue_microtask(std::move(k));
  }

  std::atomic<std::uint32_t> refs_{1};
  std::atomic<std::uint32_t> resolvers_{0};
  std::atomic<EventLoop*> loop_;  // null until bound (rule 7)
  std::optional<stored_t<T>> value_;
  std::exception_ptr error_;
  bool handled_ = false;
  std::atomic<bool> settled_flag_{false};
  Callback first_continuation_;
  std::vector<Callback> continuations_;  // the second and later, in attach order
};

// An intrusive counted reference to a PromiseState.
template <class T>
class StateRef {
public:
  StateRef() noexcept = default;
  explicit StateRef(PromiseState<T>* s) noexcept : s_(s) {}  // adopts one reference
  StateRef(const StateRef& o) noexcept : s_(o.s_) {
    if (s_) s_->add_ref();
  }
  StateRef(StateRef&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  StateRef& operator=(StateRef o) noexcept {
    std::swap(s_, o.s_);
    return *this;
  }
  ~StateRef() {
    if (s_) s_->release();
  }
  PromiseState<T>* operator->() const noexcept { return s_; }
  PromiseState<T>* get() const noexcept { return s_; }
  explicit operator bool() const noexcept { return s_ != nullptr; }

private:
  PromiseState<T>* s_ = nullptr;
};

// `loop` may be null: the promise binds later (rule 7).
template <class T>
StateRef<T> new_state(EventLoop* loop) {
  return StateRef<T>(new PromiseState<T>(loop));
}

}  // namespace detail

// The settling side of a promise. Copyable; safe to use from any thread (rule 5 above).
template <class T>
class Resolver {
public:
  Resolver() noexcept = default;
  Resolver(const Resolver& o) noexcept : state_(o.state_) {
    if (state_) state_->add_resolver();
  }
  Resolver(Resolver&& o) noexcept : state_(std::move(o.state_)) {}
  Resolver& operator=(Resolver o) noexcept {
    std::swap(state_, o.state_);
    return *this;
  }
  ~Resolver() {
    // The settled check first: making an exception_ptr costs an allocation, and nearly
    // every resolver dies after settling.
    if (state_ && state_->drop_resolver() && !state_->settled_flag()) {
      try {
        settle_with_error(std::make_exception_ptr(broken_promise()));
      } catch (const std::logic_error& e) {  // rule 7: no loop to run what waits on it
        detail::report(e.what(), "a Resolver was dropped unsettled; its continuations are dropped");
        state_->drop_continuations();  // they hold references to the state: no cycle left
      }
    }
  }

  template <class V = detail::stored_t<T>>
    requires(!std::is_void_v<T> && std::is_constructible_v<T, V &&> && !is_promise<std::decay_t<V>>::value)
  void resolve(V&& v) const {
    if (!state_) return;
    state_->on_home_thread([s = state_, v = T(std::forward<V>(v))]() mutable { s->fulfill(std::move(v)); });
  }
  void resolve() const
    requires std::is_void_v<T>
  {
    if (!state_) return;
    state_->on_home_thread([s = state_] { s->fulfill(detail::Unit{}); });
  }
  // Adopts `other` (rule 4).
  void resolve(Promise<T> other) const;

  void reject(std::exception_ptr e) const {
    if (state_) settle_with_error(std::move(e));
  }
  template <class E>
    requires(!std::is_same_v<std::decay_t<E>, std::exception_ptr>)
  void reject(E&& e) const {
    reject(std::make_exception_ptr(std::forward<E>(e)));
  }

private:
  friend class Promise<T>;
  template <class U>
  friend std::pair<Promise<U>, Resolver<U>> detail::make_promise_pair(EventLoop*);

  explicit Resolver(detail::StateRef<T> s) noexcept : state_(std::move(s)) { state_->add_resolver(); }

  void settle_with_error(std::exception_ptr e) const {
    state_->on_home_thread([s = state_, e = std::move(e)]() mutable { s->reject(std::move(e)); });
  }

  detail::StateRef<T> state_;
};

template <class T>
class Promise {
public:
  using value_type = T;

  Promise() noexcept = default;  // empty: no state; every operation on it throws

  static Promise resolved(detail::stored_t<T> v = {})
    requires(!std::is_void_v<T>)
  {
    auto state = detail::new_state<T>(EventLoop::current());
    state->fulfill(std::move(v));
    return Promise(std::move(state));
  }
  static Promise resolved()
    requires std::is_void_v<T>
  {
    auto state = detail::new_state<T>(EventLoop::current());
    state->fulfill(detail::Unit{});
    return Promise(std::move(state));
  }
  static Promise rejected(std::exception_ptr e) {
    auto state = detail::new_state<T>(EventLoop::current());
    state->reject(std::move(e));
    return Promise(std::move(state));
  }

  bool valid() const noexcept { return static_cast<bool>(state_); }
  bool settled() const { return checked().settled(); }
  // The home loop; an unbound promise binds to this thread's current loop here, and
  // throws std::logic_error when there is none (rule 7).
  EventLoop& loop() const { return checked().loop(); }

  // f(value) — or f() for Promise<void> — may return a value, void or a Promise (adopted).
  template <class F>
  auto then(F f) const {
    using R = typename detail::then_result<F, T>::type;
    using U = typename detail::unwrap_promise<R>::type;
    auto [next, resolver] = make_promise_like<U>();
    subscribe([self = state_, f = std::move(f), resolver = std::move(resolver)]() mutable {
      if (!self->fulfilled()) return resolver.reject(self->error());
      if constexpr (std::is_void_v<T>)
        settle_from(resolver, f);
      else
        settle_from(resolver, f, self->value());
    });
    return next;
  }

  // f(std::exception_ptr) runs on rejection and may return T (or void), or Promise<T>; a
  // fulfilled value passes through.
  template <class F>
  Promise<T> catch_(F f) const {
    auto [next, resolver] = make_promise_like<T>();
    subscribe([self = state_, f = std::move(f), resolver = std::move(resolver)]() mutable {
      if (!self->fulfilled()) return settle_from(resolver, f, self->error());
      if constexpr (std::is_void_v<T>)
        resolver.resolve();
      else
        resolver.resolve(self->value());
    });
    return next;
  }

  // f() runs on either outcome; the outcome passes through unless f throws.
  template <class F>
  Promise<T> finally(F f) const {
    auto [next, resolver] = make_promise_like<T>();
    subscribe([self = state_, f = std::move(f), resolver = std::move(resolver)]() mutable {
      try {
        f();
      } catch (...) {
        return resolver.reject(std::current_exception());
      }
      if (!self->fulfilled()) return resolver.reject(self->error());
      if constexpr (std::is_void_v<T>)
        resolver.resolve();
      else
        resolver.resolve(self->value());
    });
    return next;
  }

  // `co_await promise` always suspends and resumes as a microtask (rule 1), like `await`.
  auto operator co_await() const {
    struct Awaiter {
      detail::StateRef<T> state;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) {
        state->subscribe([h] { detail::resume(h); });
      }
      T await_resume() const {
        if (!state->fulfilled()) std::rethrow_exception(state->error());
        if constexpr (!std::is_void_v<T>) return state->value();
      }
    };
    checked();
    return Awaiter{state_};
  }

  // Internal: run `k` as a microtask once settled; used by the combinators and adapters.
  void subscribe(detail::Callback k) const { checked().subscribe(std::move(k)); }
  const detail::PromiseState<T>& state() const { return checked(); }

private:
  friend class Resolver<T>;
  template <class U>
  friend std::pair<Promise<U>, Resolver<U>> detail::make_promise_pair(EventLoop*);

  explicit Promise(detail::StateRef<T> s) noexcept : state_(std::move(s)) {}

  // A new pending promise with this one's home loop, or unbound like it (rule 7).
  template <class U>
  std::pair<Promise<U>, Resolver<U>> make_promise_like() const {
    return detail::make_promise_pair<U>(checked().loop_if_bound());
  }

  detail::PromiseState<T>& checked() const {
    if (!state_) throw std::logic_error("untangle: use of an empty (default-constructed) Promise");
    return *state_.get();
  }

  // Settles `r` from calling f(args...): its value, its adopted promise, or its exception.
  template <class U, class F, class... A>
  static void settle_from(Resolver<U>& r, F& f, const A&... args) {
    using R = std::invoke_result_t<F&, const A&...>;
    try {
      if constexpr (std::is_void_v<R>) {
        f(args...);
        r.resolve();
      } else {
        r.resolve(f(args...));
      }
    } catch (...) {
      r.reject(std::current_exception());
    }
  }

  detail::StateRef<T> state_;
};

namespace detail {
// `loop` may be null: the promise binds later (rule 7).
template <class T>
std::pair<Promise<T>, Resolver<T>> make_promise_pair(EventLoop* loop) {
  auto state = new_state<T>(loop);
  Resolver<T> resolver(state);
  return {Promise<T>(std::move(state)), std::move(resolver)};
}
}  // namespace detail

template <class T>
std::pair<Promise<T>, Resolver<T>> make_promise_on(EventLoop& loop) {
  return detail::make_promise_pair<T>(&loop);
}

// A pending promise of the current loop and the resolver that settles it; with no loop
// yet, the promise binds when it settles (rule 7).
template <class T>
std::pair<Promise<T>, Resolver<T>> make_promise() {
  return detail::make_promise_pair<T>(EventLoop::current());
}

template <class T>
void Resolver<T>::resolve(Promise<T> other) const {
  if (!state_) return;
  // `source` keeps the adopted promise alive until it settles (a copy: `other` is used below).
  other.subscribe([source = other, self = *this]() {
    const auto& s = source.state();
    if (!s.fulfilled()) return self.reject(s.error());
    if constexpr (std::is_void_v<T>)
      self.resolve();
    else
      self.resolve(s.value());
  });
}

// ---- combinators --------------------------------------------------------------------------

template <class T>
struct Settled {
  std::optional<T> value;  // engaged when fulfilled
  std::exception_ptr error;  // non-null when rejected
  bool fulfilled() const noexcept { return !error; }
};
template <>
struct Settled<void> {
  std::exception_ptr error;
  bool fulfilled() const noexcept { return !error; }
};

namespace detail {
// Shared bookkeeping of one combinator call: how many inputs are still pending.
template <class Out, class Slots>
struct Gather {
  Resolver<Out> resolver;
  Slots slots;
  std::size_t remaining;
};
}  // namespace detail

// Fulfills with every value in input order once all fulfill; rejects with the first
// rejection. An empty input fulfills (with an empty vector).
template <class T>
auto all(std::vector<Promise<T>> inputs) {
  using Out = std::conditional_t<std::is_void_v<T>, void, std::vector<T>>;
  auto [result, resolver] = make_promise<Out>();
  if (inputs.empty()) {
    if constexpr (std::is_void_v<T>) resolver.resolve(); else resolver.resolve(Out{});
    return result;
  }
  using Slots = std::conditional_t<std::is_void_v<T>, detail::Unit, std::vector<std::optional<T>>>;
  auto gather = std::make_shared<detail::Gather<Out, Slots>>(detail::Gather<Out, Slots>{resolver, {}, inputs.size()});
  if constexpr (!std::is_void_v<T>) gather->slots.resize(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    inputs[i].subscribe([gather, i, p = inputs[i]] {
      (void)i;  // a slot index only when there are values (clang: -Wunused-lambda-capture)
      const auto& s = p.state();
      if (!s.fulfilled()) return gather->resolver.reject(s.error());
      if constexpr (!std::is_void_v<T>) gather->slots[i].emplace(s.value());
      if (--gather->remaining > 0) return;
      if constexpr (std::is_void_v<T>) {
        gather->resolver.resolve();
      } else {
        std::vector<T> values;
        values.reserve(gather->slots.size());
        for (auto& v : gather->slots) values.push_back(std::move(*v));
        gather->resolver.resolve(std::move(values));
      }
    });
  }
  return result;
}

// Settles as the first input to settle. JavaScript's race([]) stays pending forever; here
// an empty input rejects with std::invalid_argument, since a promise that can never settle
// would only hang whoever awaits it.
template <class T>
Promise<T> race(std::vector<Promise<T>> inputs) {
  if (inputs.empty())
    return Promise<T>::rejected(std::make_exception_ptr(std::invalid_argument("untangle: race() of no promises")));
  auto [result, resolver] = make_promise<T>();
  for (auto& p : inputs) resolver.resolve(std::move(p));
  return result;
}

// Fulfills as the first input to fulfill; when all reject, rejects with aggregate_error
// holding every error in input order (also for an empty input).
template <class T>
Promise<T> any(std::vector<Promise<T>> inputs) {
  if (inputs.empty())
    return Promise<T>::rejected(std::make_exception_ptr(aggregate_error({})));
  auto [result, resolver] = make_promise<T>();
  using Slots = std::vector<std::exception_ptr>;
  auto gather = std::make_shared<detail::Gather<T, Slots>>(detail::Gather<T, Slots>{resolver, Slots(inputs.size()), inputs.size()});
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    inputs[i].subscribe([gather, i, p = inputs[i]] {
      const auto& s = p.state();
      if (s.fulfilled()) {
        if constexpr (std::is_void_v<T>) gather->resolver.resolve(); else gather->resolver.resolve(s.value());
        return;
      }
      gather->slots[i] = s.error();
      if (--gather->remaining == 0) gather->resolver.reject(aggregate_error(std::move(gather->slots)));
    });
  }
  return result;
}

// Fulfills, once every input settled, with each outcome in input order. Never rejects.
template <class T>
Promise<std::vector<Settled<T>>> all_settled(std::vector<Promise<T>> inputs) {
  using Out = std::vector<Settled<T>>;
  auto [result, resolver] = make_promise<Out>();
  if (inputs.empty()) {
    resolver.resolve(Out{});
    return result;
  }
  auto gather = std::make_shared<detail::Gather<Out, Out>>(detail::Gather<Out, Out>{resolver, Out(inputs.size()), inputs.size()});
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    inputs[i].subscribe([gather, i, p = inputs[i]] {
      const auto& s = p.state();
      if (!s.fulfilled())
        gather->slots[i].error = s.error();
      else if constexpr (!std::is_void_v<T>)
        gather->slots[i].value.emplace(s.value());
      if (--gather->remaining == 0) gather->resolver.resolve(std::move(gather->slots));
    });
  }
  return result;
}

}  // namespace untangle
