// untangle/thunk.hpp — thunk<Args...>(initiator): a lazy asynchronous value.
//
// The operation starts on first use (the first co_await, then() or promise()), not at
// creation, and runs once; its result (or error) is replayed to every later awaiter and
// continuation, each of which runs as a microtask like any promise continuation. Copies of
// a Thunk share the one operation. A Thunk belongs to the thread of the loop it is used on.
#pragma once

#include <functional>
#include <memory>
#include <utility>

#include "from_callback.hpp"
#include "promise.hpp"

namespace untangle {

template <class R>
class Thunk {
public:
  explicit Thunk(std::function<Promise<R>()> start)
      : state_(std::make_shared<State>(State{std::move(start), {}})) {}

  bool started() const noexcept { return state_->promise.valid(); }

  // Starts the operation if this is its first use.
  Promise<R> promise() const {
    if (!state_->promise.valid()) {
      auto start = std::move(state_->start);
      state_->promise = start();
    }
    return state_->promise;
  }

  template <class F>
  auto then(F f) const {
    return promise().then(std::move(f));
  }
  auto operator co_await() const { return promise().operator co_await(); }

private:
  struct State {
    std::function<Promise<R>()> start;
    Promise<R> promise;
  };
  std::shared_ptr<State> state_;
};

template <class... Args, class Initiator>
  requires std::is_invocable_v<Initiator&, Completion<Args...>>
auto thunk(Initiator initiator) {
  using R = typename detail::callback_result<Args...>::type;
  // std::function needs a copyable target; the initiator may be move-only.
  auto shared = std::make_shared<Initiator>(std::move(initiator));
  return Thunk<R>([shared] { return to_promise<Args...>(std::move(*shared)); });
}

}  // namespace untangle
