// RUN: %check_untangle %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxChainLength: 1}}" -- -I %runtime_include
// RUN: g++ -std=c++20 -fsyntax-only -I %runtime_include %t.cpp
// RUN: %clangxx -std=c++20 -fsyntax-only -I %runtime_include %t.cpp
// RUN: %check_untangle -check-suffix=ASIO %s untangle-callback-nesting %t-asio -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxChainLength: 1, untangle-callback-nesting.RewriteTarget: asio}}" -- -I %runtime_include
// RewriteTarget auto on member chains over Asio (issue 13): a chain whose Asio form is
// refused for a reason of that form's own (a pointer or view the first operation reads,
// which co_spawn's deferred start would read after the entry returned) gets the
// runtime's form, whose untangle::spawn starts the first operation where it stood, with
// a note saying why not Asio's. A refusal both forms share keeps the Asio note.
// RewriteTarget asio refuses all three. On Debian's Boost 1.74 headers.
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

void fail(beast::error_code ec, const char *what);

// A pointer the first operation reads: co_spawn would start the Asio coroutine after
// send() returned; untangle::spawn starts the write at once, where it stood.
class sender : public std::enable_shared_from_this<sender> {
  tcp::socket socket_;

public:
  explicit sender(tcp::socket socket) : socket_(std::move(socket)) {}
  void send(const unsigned char *data, std::size_t size) {
    net::async_write(socket_, net::buffer(data, size),
                     beast::bind_front_handler(&sender::on_sent, shared_from_this()));
  }
  void on_sent(beast::error_code ec, std::size_t) {
    if (ec)
      return fail(ec, "write");
    socket_.async_wait(tcp::socket::wait_read, beast::bind_front_handler(&sender::on_ready, shared_from_this()));
  }
  void on_ready(beast::error_code ec) {
    if (ec)
      fail(ec, "wait");
  }
};

// A view the first operation reads (a buffer: a pointer and a size): the same.
class relay : public std::enable_shared_from_this<relay> {
  tcp::socket socket_;

public:
  explicit relay(tcp::socket socket) : socket_(std::move(socket)) {}
  void forward(net::const_buffer data) {
    net::async_write(socket_, data, beast::bind_front_handler(&relay::on_forwarded, shared_from_this()));
  }
  void on_forwarded(beast::error_code ec, std::size_t n) {
    if (ec)
      return fail(ec, "forward");
    socket_.async_wait(tcp::socket::wait_read, beast::bind_front_handler(&relay::on_ready, shared_from_this()));
  }
  void on_ready(beast::error_code ec) {}
};

// What the first operation writes into, passed by reference: both forms would read into
// a copy of their own. Refused, with the Asio form's reason.
class reader : public std::enable_shared_from_this<reader> {
  tcp::socket socket_;

public:
  explicit reader(tcp::socket socket) : socket_(std::move(socket)) {}
  void read(std::string &into) {
    net::async_read(socket_, net::buffer(into),
                    beast::bind_front_handler(&reader::on_read, shared_from_this()));
  }
  void on_read(beast::error_code ec, std::size_t) {
    if (ec)
      return fail(ec, "read");
    socket_.async_wait(tcp::socket::wait_write, beast::bind_front_handler(&reader::on_ready, shared_from_this()));
  }
  void on_ready(beast::error_code ec) {}
};

// CHECK-MESSAGES: :35:22: warning: chain of 2 asynchronous steps spread across functions, starting in 'sender::send' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :35:22: note: step 1: 'sender::send' continues asynchronously in 'sender::on_sent'
// CHECK-MESSAGES: :40:48: note: step 2: 'sender::on_sent' continues asynchronously in 'sender::on_ready'
// CHECK-MESSAGES: :33:34: note: the rewrite targets the untangle runtime, not Asio's coroutines (RewriteTarget auto): 'data' is a pointer the coroutine would read after send() returns (co_spawn starts it after a post), when what it refers to may be gone
// CHECK-MESSAGES: :55:37: warning: chain of 2 asynchronous steps spread across functions, starting in 'relay::forward' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :55:37: note: step 1: 'relay::forward' continues asynchronously in 'relay::on_forwarded'
// CHECK-MESSAGES: :60:48: note: step 2: 'relay::on_forwarded' continues asynchronously in 'relay::on_ready'
// CHECK-MESSAGES: :54:34: note: the rewrite targets the untangle runtime, not Asio's coroutines (RewriteTarget auto): 'data' is a view the coroutine would read after forward() returns (co_spawn starts it after a post), when what it refers to may be gone
// CHECK-MESSAGES: :74:21: warning: chain of 2 asynchronous steps spread across functions, starting in 'reader::read' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :74:21: note: step 1: 'reader::read' continues asynchronously in 'reader::on_read'
// CHECK-MESSAGES: :79:49: note: step 2: 'reader::on_read' continues asynchronously in 'reader::on_ready'
// CHECK-MESSAGES: :72:26: note: no coroutine rewrite offered (flat-chain): 'into' is a reference to something the first operation may change; the coroutine would work on a copy of its own

// CHECK-FIXES: #include <boost/beast/core.hpp>
// CHECK-FIXES-NEXT: #include <untangle/runtime.hpp>
// CHECK-FIXES: class sender : public std::enable_shared_from_this<sender> {
// CHECK-FIXES-NEXT:   tcp::socket socket_;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   explicit sender(tcp::socket socket) : socket_(std::move(socket)) {}
// CHECK-FIXES-NEXT:   void send(const unsigned char *data, std::size_t size) {
// CHECK-FIXES-NEXT:     untangle::spawn(send_coroutine(shared_from_this(), data, size));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   untangle::Task<void> send_coroutine(std::shared_ptr<sender> self,
// CHECK-FIXES-NEXT:                                       const unsigned char *data,
// CHECK-FIXES-NEXT:                                       std::size_t size) {
// CHECK-FIXES-NEXT:     auto [ec, unused_2] =
// CHECK-FIXES-NEXT:         co_await untangle::from_callback<beast::error_code, std::size_t>(
// CHECK-FIXES-NEXT:             [&](auto untangle_cb) {
// CHECK-FIXES-NEXT:               net::async_write(socket_, net::buffer(data, size),
// CHECK-FIXES-NEXT:                                std::move(untangle_cb));
// CHECK-FIXES-NEXT:             });
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return fail(ec, "write");
// CHECK-FIXES-NEXT:     ec = co_await untangle::from_callback<beast::error_code>(
// CHECK-FIXES-NEXT:         [&](auto untangle_cb) {
// CHECK-FIXES-NEXT:           socket_.async_wait(tcp::socket::wait_read, std::move(untangle_cb));
// CHECK-FIXES-NEXT:         });
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       fail(ec, "wait");
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: };
// CHECK-FIXES: class relay : public std::enable_shared_from_this<relay> {
// CHECK-FIXES-NEXT:   tcp::socket socket_;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   explicit relay(tcp::socket socket) : socket_(std::move(socket)) {}
// CHECK-FIXES-NEXT:   void forward(net::const_buffer data) {
// CHECK-FIXES-NEXT:     untangle::spawn(forward_coroutine(shared_from_this(), data));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   untangle::Task<void> forward_coroutine(std::shared_ptr<relay> self,
// CHECK-FIXES-NEXT:                                          net::const_buffer data) {
// CHECK-FIXES-NEXT:     auto [ec, n] =
// CHECK-FIXES-NEXT:         co_await untangle::from_callback<beast::error_code, std::size_t>(
// CHECK-FIXES-NEXT:             [&](auto untangle_cb) {
// CHECK-FIXES-NEXT:               net::async_write(socket_, data, std::move(untangle_cb));
// CHECK-FIXES-NEXT:             });
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return fail(ec, "forward");
// CHECK-FIXES-NEXT:     ec = co_await untangle::from_callback<beast::error_code>(
// CHECK-FIXES-NEXT:         [&](auto untangle_cb) {
// CHECK-FIXES-NEXT:           socket_.async_wait(tcp::socket::wait_read, std::move(untangle_cb));
// CHECK-FIXES-NEXT:         });
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: };
// CHECK-FIXES: class reader : public std::enable_shared_from_this<reader> {
// CHECK-FIXES:   void read(std::string &into) {
// CHECK-FIXES-NEXT:     net::async_read(socket_, net::buffer(into),

// CHECK-MESSAGES-ASIO: :35:22: warning: chain of 2 asynchronous steps spread across functions, starting in 'sender::send' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES-ASIO: :35:22: note: step 1: 'sender::send' continues asynchronously in 'sender::on_sent'
// CHECK-MESSAGES-ASIO: :40:48: note: step 2: 'sender::on_sent' continues asynchronously in 'sender::on_ready'
// CHECK-MESSAGES-ASIO: :33:34: note: no coroutine rewrite offered (flat-chain): 'data' is a pointer the coroutine would read after send() returns (co_spawn starts it after a post), when what it refers to may be gone
// CHECK-MESSAGES-ASIO: :55:37: warning: chain of 2 asynchronous steps spread across functions, starting in 'relay::forward' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES-ASIO: :55:37: note: step 1: 'relay::forward' continues asynchronously in 'relay::on_forwarded'
// CHECK-MESSAGES-ASIO: :60:48: note: step 2: 'relay::on_forwarded' continues asynchronously in 'relay::on_ready'
// CHECK-MESSAGES-ASIO: :54:34: note: no coroutine rewrite offered (flat-chain): 'data' is a view the coroutine would read after forward() returns (co_spawn starts it after a post), when what it refers to may be gone
// CHECK-MESSAGES-ASIO: :74:21: warning: chain of 2 asynchronous steps spread across functions, starting in 'reader::read' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES-ASIO: :74:21: note: step 1: 'reader::read' continues asynchronously in 'reader::on_read'
// CHECK-MESSAGES-ASIO: :79:49: note: step 2: 'reader::on_read' continues asynchronously in 'reader::on_ready'
// CHECK-MESSAGES-ASIO: :72:26: note: no coroutine rewrite offered (flat-chain): 'into' is a reference to something the first operation may change; the coroutine would work on a copy of its own

// The Asio target leaves the file as it is.
// CHECK-FIXES-ASIO: #include <boost/beast/core.hpp>
// CHECK-FIXES-ASIO-EMPTY:
// CHECK-FIXES-ASIO: void send(const unsigned char *data, std::size_t size) {
// CHECK-FIXES-ASIO-NEXT:     net::async_write(socket_, net::buffer(data, size),
// CHECK-FIXES-ASIO: void forward(net::const_buffer data) {
// CHECK-FIXES-ASIO-NEXT:     net::async_write(socket_, data, beast::bind_front_handler(&relay::on_forwarded, shared_from_this()));
// CHECK-FIXES-ASIO: void read(std::string &into) {
// CHECK-FIXES-ASIO-NEXT:     net::async_read(socket_, net::buffer(into),
