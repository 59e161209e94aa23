// untangle/errors.hpp — the runtime's exception types and its one way of reporting errors
// that nobody can catch (unhandled rejections, exceptions escaping spawned tasks, callbacks
// invoked twice). JavaScript logs those instead of losing them; so do we, on stderr, each as
// one line starting with "untangle: ".
#pragma once

#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace untangle {

// Thrown into an awaiter (or rejects a promise) when the completion callback that should
// have resumed it was destroyed without ever being invoked — instead of leaking the frame.
class broken_promise : public std::runtime_error {
public:
  broken_promise()
      : std::runtime_error("untangle: broken promise: the completion callback was destroyed "
                           "without being invoked") {}
  using std::runtime_error::runtime_error;
};

// `any()` rejects with this when every input rejected (JavaScript's AggregateError).
class aggregate_error : public std::runtime_error {
public:
  explicit aggregate_error(std::vector<std::exception_ptr> errors)
      : std::runtime_error("untangle: all promises were rejected"), errors_(std::move(errors)) {}
  const std::vector<std::exception_ptr>& errors() const noexcept { return errors_; }

private:
  std::vector<std::exception_ptr> errors_;
};

namespace detail {

// The text of an exception, for the stderr reports below.
inline std::string describe(const std::exception_ptr& error) {
  if (!error) return "no exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "non-standard exception";
  }
}

// One line to stderr, written with a single call so that reports from several threads do
// not interleave mid-line.
inline void report(std::string_view what, std::string_view detail = {}) noexcept {
  try {
    std::string line = "untangle: ";
    line += what;
    if (!detail.empty()) {
      line += ": ";
      line += detail;
    }
    line += '\n';
    std::fputs(line.c_str(), stderr);
  } catch (...) {
    std::fputs("untangle: (out of memory while reporting an error)\n", stderr);
  }
}

}  // namespace detail
}  // namespace untangle
