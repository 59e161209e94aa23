// untangle/select.hpp — select(cases...): Go's select, core.async's alts!.
//
//   auto r = co_await untangle::select(untangle::recv_case(prices), untangle::send_case(out, v),
//                                      untangle::timeout_case(50ms));
//   switch (r.index()) { case 0: use(std::get<0>(r)); ... }
//
// The result is a std::variant with one alternative per case, in argument order:
// recv_case → std::optional<T> (nullopt: closed and drained), send_case → bool (false:
// closed, the value handed back), timeout_case / default_case → std::monostate.
//
// Rules (each one is tested in test/runtime/select_test.cpp):
//  1. Exactly one case completes. A case that does not complete has no effect: it consumes
//     no value, and a value it offered to send stays with the caller.
//  2. When several cases are ready, each is chosen with equal probability (a fresh random
//     order per select). With SelectOptions().prioritized() the first ready case in
//     argument order wins.
//  3. With a default_case the select never waits: the default wins when no other case is
//     ready at the moment of the select.
//  4. A timeout_case(d) wins if no other case completes within d, measured on the loop the
//     select runs on (a select with a timeout must run on an event loop). Its timer is
//     cleared as soon as another case wins.
//  5. SelectOptions().cancel_with(t): see cancellation.hpp (rule 2): cancellation wins only if no
//     case did, and then the co_await throws operation_cancelled.
//  6. The same channel may appear in several cases. Waiting and resuming follow channel.hpp
//     rule 5. Like send/recv, the awaitable refers to its channels and values: await it
//     once, at once.
#pragma once

#include <chrono>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "cancellation.hpp"
#include "channel.hpp"
#include "detail/alt.hpp"

namespace untangle {

// select(SelectOptions().prioritized().cancel_with(token), cases...). A class rather than
// an aggregate on purpose: g++ 12 destroys an aggregate temporary of a co_await expression
// twice, which would release the token's state one time too many.
class SelectOptions {
public:
  SelectOptions() noexcept = default;
  SelectOptions& prioritized(bool on = true) noexcept {
    prioritized_ = on;
    return *this;
  }
  SelectOptions& cancel_with(CancellationToken token) noexcept {
    token_ = std::move(token);
    return *this;
  }
  bool is_prioritized() const noexcept { return prioritized_; }
  const CancellationToken& token() const noexcept { return token_; }

private:
  bool prioritized_ = false;
  CancellationToken token_;
};

template <class T>
[[nodiscard]] detail::RecvCase<T> recv_case(const Channel<T>& ch) noexcept {
  return detail::RecvCase<T>(ch.state());
}
template <class T>
[[nodiscard]] detail::SendCase<T> send_case(const Channel<T>& ch, T& value) noexcept {
  return detail::SendCase<T>(ch.state(), value);
}
// A temporary lives until the end of the co_await's full-expression, so it is sent (or
// dropped) in place: send_case(ch, std::string(v)) sends a copy of v.
template <class T>
[[nodiscard]] detail::SendCase<T> send_case(const Channel<T>& ch, T&& value) noexcept {
  return detail::SendCase<T>(ch.state(), value);
}
template <class Rep, class Period>
[[nodiscard]] detail::TimeoutCase timeout_case(std::chrono::duration<Rep, Period> d) noexcept {
  return detail::TimeoutCase{std::chrono::duration_cast<EventLoop::Clock::duration>(d)};
}
[[nodiscard]] inline detail::DefaultCase default_case() noexcept { return {}; }

namespace detail {

template <class C>
struct case_result {
  using type = std::monostate;
};
template <class T>
struct case_result<RecvCase<T>> {
  using type = std::optional<T>;
};
template <class T>
struct case_result<SendCase<T>> {
  using type = bool;
};

template <class... Cases>
class SelectAwaiter {
public:
  using result_type = std::variant<typename case_result<Cases>::type...>;

  SelectAwaiter(SelectOptions options, Cases... cases)
      : alt_(options.is_prioritized(), options.token(), std::move(cases)...) {}

  bool await_ready() { return alt_.try_now(); }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) { return alt_.suspend(h); }
  result_type await_resume() {
    alt_.finish();
    return result(std::make_index_sequence<sizeof...(Cases)>{});
  }

private:
  template <std::size_t... I>
  result_type result(std::index_sequence<I...>) {
    std::optional<result_type> out;
    (void)((static_cast<int>(I) == alt_.winner() ? (out.emplace(std::in_place_index<I>, take<I>()), true) : false) ||
           ...);
    return std::move(*out);
  }
  template <std::size_t I>
  auto take() {
    using C = std::tuple_element_t<I, std::tuple<Cases...>>;
    if constexpr (is_channel_case<C>)
      return alt_.template get<I>().result();
    else
      return std::monostate{};
  }

  Alt<true, Cases...> alt_;
};

template <class T>
struct is_select_case : std::false_type {};
template <class T>
struct is_select_case<RecvCase<T>> : std::true_type {};
template <class T>
struct is_select_case<SendCase<T>> : std::true_type {};
template <>
struct is_select_case<TimeoutCase> : std::true_type {};
template <>
struct is_select_case<DefaultCase> : std::true_type {};

}  // namespace detail

template <class... Cases>
  requires(detail::is_select_case<Cases>::value && ...)
[[nodiscard]] detail::SelectAwaiter<Cases...> select(SelectOptions options, Cases... cases) {
  return detail::SelectAwaiter<Cases...>(std::move(options), std::move(cases)...);
}

template <class... Cases>
  requires(detail::is_select_case<Cases>::value && ...)
[[nodiscard]] detail::SelectAwaiter<Cases...> select(Cases... cases) {
  return detail::SelectAwaiter<Cases...>(SelectOptions{}, std::move(cases)...);
}

}  // namespace untangle
