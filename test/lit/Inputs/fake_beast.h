// A Beast-like flat-chain API: each operation takes a completion handler, and
// bind_front_handler binds a member function to the session.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <system_error>

namespace beast {
template <class F, class... Args> auto bind_front_handler(F &&f, Args &&...args) {
  return std::bind_front(std::forward<F>(f), std::forward<Args>(args)...);
}
} // namespace beast

struct Stream {
  void async_handshake(std::function<void(std::error_code)> handler);
  void async_read(std::function<void(std::error_code, std::size_t)> handler);
  void async_write(std::function<void(std::error_code, std::size_t)> handler);
  void async_shutdown(std::function<void(std::error_code)> handler);
};
void dispatch(std::function<void()> handler);
