// RewriteTarget (issue 13) on nested lambdas over the real Boost.Asio headers (Debian's
// Boost 1.74): every step is an Asio operation, so `auto` targets Asio's own coroutines:
// net::co_spawn of a net::awaitable<void>, each step co_awaited with
// net::redirect_error(net::use_awaitable, ec), the file's alias `net::`, and the prelude
// that enables co_await under clang. --fix compiles the result (with clang) before
// writing it. RewriteTarget untangle keeps the runtime's form; asio refuses a chain that
// is not all Asio.
// RUN: %check_untangle %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxDepth: 1}}" -- -I %runtime_include
// RUN: %check_untangle -check-suffix=ASIO %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxDepth: 1, untangle-callback-nesting.RewriteTarget: asio}}" --
#include <functional>
#include <string>
#include <utility>
#include <boost/asio.hpp>

namespace net = boost::asio;
using tcp = net::ip::tcp;

void later(std::function<void(int)> callback);

// A local of the function the first operation uses is copied into the coroutine: co_spawn
// starts it after the function has returned.
void echo_once(tcp::socket &peer, std::string &inbox) {
  std::size_t want = 5;
  net::async_read(peer, net::dynamic_buffer(inbox), net::transfer_exactly(want),
                  [&](boost::system::error_code ec, std::size_t n) {
                    if (ec)
                      return;
                    net::async_write(peer, net::buffer(inbox),
                                     [&](boost::system::error_code ec, std::size_t) {});
                  });
}

// A step that is not an Asio operation: auto keeps the untangle form, asio refuses.
void mixed(net::steady_timer &timer) {
  timer.async_wait([&](boost::system::error_code ec) {
    later([](int) {});
  });
}

// CHECK-FIXES: // co_await with Asio under clang++ (Asio enables it there only for the Coroutines TS)
// CHECK-FIXES-NEXT: #include <utility> // Boost 1.74's awaitable.hpp uses std::exchange
// CHECK-FIXES-NEXT: #if defined(__clang__) && !defined(BOOST_ASIO_HAS_CO_AWAIT)
// CHECK-FIXES-NEXT: #define BOOST_ASIO_HAS_CO_AWAIT 1
// CHECK-FIXES-NEXT: #endif
// CHECK-FIXES-NEXT: #include <functional>
// CHECK-FIXES:      void echo_once(tcp::socket &peer, std::string &inbox) {
// CHECK-FIXES-NEXT:   std::size_t want = 5;
// CHECK-FIXES-NEXT:   net::co_spawn(
// CHECK-FIXES-NEXT:       peer.get_executor(),
// CHECK-FIXES-NEXT:       [](tcp::socket &peer, std::string &inbox,
// CHECK-FIXES-NEXT:          std::size_t want) -> net::awaitable<void> {
// CHECK-FIXES-NEXT:         boost::system::error_code ec;
// CHECK-FIXES-NEXT:         std::size_t n = co_await net::async_read(
// CHECK-FIXES-NEXT:             peer, net::dynamic_buffer(inbox), net::transfer_exactly(want),
// CHECK-FIXES-NEXT:             net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:         if (ec)
// CHECK-FIXES-NEXT:           co_return;
// CHECK-FIXES-NEXT:         co_await net::async_write(peer, net::buffer(inbox),
// CHECK-FIXES-NEXT:                                   net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:       }(peer, inbox, want),
// CHECK-FIXES-NEXT:       net::detached);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES:      void mixed(net::steady_timer &timer) {
// CHECK-FIXES-NEXT:   untangle::spawn([](net::steady_timer &timer) -> untangle::Task<void> {


// CHECK-MESSAGES: :31:38: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :26:3: note: level 1: callback of this asynchronous call to 'async_read'
// CHECK-MESSAGES: :38:11: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :37:9: note: level 1: callback of this asynchronous call to 'async_wait'
// CHECK-MESSAGES-ASIO: :31:38: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES-ASIO: :26:3: note: level 1: callback of this asynchronous call to 'async_read'
// CHECK-MESSAGES-ASIO: :38:11: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES-ASIO: :37:9: note: level 1: callback of this asynchronous call to 'async_wait'
// CHECK-MESSAGES-ASIO: :38:5: note: no coroutine rewrite offered (unsupported): the call to 'later' is not an Asio operation taking a completion token (RewriteTarget asio needs every step to be one)
