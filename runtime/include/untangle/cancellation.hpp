// untangle/cancellation.hpp — CancellationSource / CancellationToken, on std::stop_source.
//
// Rules (each one is tested in test/runtime/cancellation_test.cpp):
//  1. `source.cancel()` is safe from any thread, returns true only for the call that
//     cancelled, and is harmless when repeated. Copies of a source or token share one state.
//  2. A wait that accepts a token — `sleep_for(d, token)`, `ch.send(v, token)`,
//     `ch.recv(token)`, `select(SelectOptions{.token = token}, ...)` — ends with
//     `operation_cancelled` thrown from its co_await when the token is cancelled while it
//     waits, or was cancelled before it began (then it does not even look at its cases).
//  3. A cancelled wait leaks nothing and consumes nothing: its channel nodes are unlinked,
//     its timer is cleared, a value it was sending stays with the sender. When the wait
//     completes and the cancellation race, exactly one of them wins.
//  4. A cancelled wait resumes where any untangle wait resumes: on the loop or pool it was
//     suspended on, as a posted job — never inside the `cancel()` call.
//  5. A default-constructed token can never be cancelled and costs nothing to pass.
#pragma once

#include <stdexcept>
#include <stop_token>

namespace untangle {

class operation_cancelled : public std::runtime_error {
public:
  operation_cancelled() : std::runtime_error("untangle: operation cancelled") {}
};

class CancellationToken {
public:
  CancellationToken() noexcept = default;
  bool cancelled() const noexcept { return token_.stop_requested(); }
  bool can_be_cancelled() const noexcept { return token_.stop_possible(); }
  // Throws operation_cancelled if cancelled: a check point for long computations.
  void throw_if_cancelled() const {
    if (cancelled()) throw operation_cancelled();
  }
  const std::stop_token& stop_token() const noexcept { return token_; }

private:
  friend class CancellationSource;
  explicit CancellationToken(std::stop_token t) noexcept : token_(std::move(t)) {}
  std::stop_token token_;
};

class CancellationSource {
public:
  CancellationSource() = default;
  CancellationToken token() const noexcept { return CancellationToken(source_.get_token()); }
  bool cancel() noexcept { return source_.request_stop(); }
  bool cancelled() const noexcept { return source_.stop_requested(); }

private:
  std::stop_source source_;
};

}  // namespace untangle
