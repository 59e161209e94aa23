// RUN: %check_untangle %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxChainLength: 1, untangle-callback-nesting.MaxDepth: 1, untangle-callback-nesting.RewriteTarget: asio}}" --
// RUN: g++ -std=c++20 -fsyntax-only %t.cpp
// RUN: %clangxx -std=c++20 -fsyntax-only %t.cpp
// co_spawn starts the coroutine only after a post, when the entry has returned; the
// original operation read its arguments when it started. A C string or view it reads
// becomes a std::string, a reference to const a copy; another pointer, a view (span,
// buffer), or a reference it may write into is refused (RewriteTarget asio; auto: asio-auto-fallback.cpp).
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

void fail(beast::error_code ec, const char *what);

// run("localhost", port.c_str()): the strings may be gone once run() returned.
class lookup : public std::enable_shared_from_this<lookup> {
  tcp::resolver resolver_;
  beast::tcp_stream stream_;

public:
  explicit lookup(net::io_context &io) : resolver_(io), stream_(io) {}
  void run(char const *host, const char *port) {
    resolver_.async_resolve(host, port,
                            beast::bind_front_handler(&lookup::on_resolve, shared_from_this()));
  }
  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return fail(ec, "resolve");
    stream_.async_connect(results, beast::bind_front_handler(&lookup::on_connect, shared_from_this()));
  }
  void on_connect(beast::error_code ec, tcp::endpoint) {
    if (ec)
      return fail(ec, "connect");
  }
};

// A string view: the coroutine keeps its own std::string.
class viewed : public std::enable_shared_from_this<viewed> {
  tcp::resolver resolver_;
  beast::tcp_stream stream_;

public:
  explicit viewed(net::io_context &io) : resolver_(io), stream_(io) {}
  void run(std::string_view host, std::string_view port) {
    resolver_.async_resolve(host, port,
                            beast::bind_front_handler(&viewed::on_resolve, shared_from_this()));
  }
  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return fail(ec, "resolve");
    stream_.async_connect(results, beast::bind_front_handler(&viewed::on_connect, shared_from_this()));
  }
  void on_connect(beast::error_code ec, tcp::endpoint) {}
};

// A pointer to data: refused, the caller's buffer may be gone when the coroutine starts.
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
  void on_ready(beast::error_code ec) {}
};

// The nested form: a C string the first operation reads becomes a std::string too.
void resolve_then_connect(tcp::resolver &resolver, tcp::socket &socket, const char *host) {
  resolver.async_resolve(host, "80", [&socket](beast::error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return;
    net::async_connect(socket, results, [](beast::error_code ec, tcp::endpoint) {});
  });
}

// CHECK-MESSAGES: :32:29: warning: chain of 2 asynchronous steps spread across functions, starting in 'lookup::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :32:29: note: step 1: 'lookup::run' continues asynchronously in 'lookup::on_resolve'
// CHECK-MESSAGES: :37:36: note: step 2: 'lookup::on_resolve' continues asynchronously in 'lookup::on_connect'
// CHECK-MESSAGES: :54:29: warning: chain of 2 asynchronous steps spread across functions, starting in 'viewed::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :54:29: note: step 1: 'viewed::run' continues asynchronously in 'viewed::on_resolve'
// CHECK-MESSAGES: :59:36: note: step 2: 'viewed::on_resolve' continues asynchronously in 'viewed::on_connect'
// CHECK-MESSAGES: :72:22: warning: chain of 2 asynchronous steps spread across functions, starting in 'sender::send' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :72:22: note: step 1: 'sender::send' continues asynchronously in 'sender::on_sent'
// CHECK-MESSAGES: :77:48: note: step 2: 'sender::on_sent' continues asynchronously in 'sender::on_ready'
// CHECK-MESSAGES: :70:34: note: no coroutine rewrite offered (flat-chain): 'data' is a pointer the coroutine would read after send() returns (co_spawn starts it after a post), when what it refers to may be gone
// CHECK-MESSAGES: :87:41: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :84:12: note: level 1: callback of this asynchronous call to 'async_resolve'

// CHECK-FIXES: class lookup : public std::enable_shared_from_this<lookup> {
// CHECK-FIXES:   void run(char const *host, const char *port) {
// CHECK-FIXES-NEXT:     net::co_spawn(resolver_.get_executor(),
// CHECK-FIXES-NEXT:                   run_coroutine(shared_from_this(), host, port), net::detached);
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   net::awaitable<void> run_coroutine(std::shared_ptr<lookup> self,
// CHECK-FIXES-NEXT:                                      std::string host, std::string port) {
// CHECK-FIXES-NEXT:     beast::error_code ec;
// CHECK-FIXES-NEXT:     tcp::resolver::results_type results = co_await resolver_.async_resolve(
// CHECK-FIXES-NEXT:         host, port, net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES: class viewed : public std::enable_shared_from_this<viewed> {
// CHECK-FIXES:   void run(std::string_view host, std::string_view port) {
// CHECK-FIXES-NEXT:     net::co_spawn(
// CHECK-FIXES-NEXT:         resolver_.get_executor(),
// CHECK-FIXES-NEXT:         run_coroutine(shared_from_this(), std::string(host), std::string(port)),
// CHECK-FIXES-NEXT:         net::detached);
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   net::awaitable<void> run_coroutine(std::shared_ptr<viewed> self,
// CHECK-FIXES-NEXT:                                      std::string host, std::string port) {
// CHECK-FIXES: class sender : public std::enable_shared_from_this<sender> {
// CHECK-FIXES-NEXT:   tcp::socket socket_;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   explicit sender(tcp::socket socket) : socket_(std::move(socket)) {}
// CHECK-FIXES-NEXT:   void send(const unsigned char *data, std::size_t size) {
// CHECK-FIXES-NEXT:     net::async_write(socket_, net::buffer(data, size),
// CHECK-FIXES-NEXT:                      beast::bind_front_handler(&sender::on_sent, shared_from_this()));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void on_sent(beast::error_code ec, std::size_t) {
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       return fail(ec, "write");
// CHECK-FIXES-NEXT:     socket_.async_wait(tcp::socket::wait_read, beast::bind_front_handler(&sender::on_ready, shared_from_this()));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void on_ready(beast::error_code ec) {}
// CHECK-FIXES-NEXT: };
// CHECK-FIXES: void resolve_then_connect(tcp::resolver &resolver, tcp::socket &socket, const char *host) {
// CHECK-FIXES-NEXT:   net::co_spawn(
// CHECK-FIXES-NEXT:       resolver.get_executor(),
// CHECK-FIXES-NEXT:       [](tcp::socket &socket, tcp::resolver &resolver,
// CHECK-FIXES-NEXT:          std::string host) -> net::awaitable<void> {
// CHECK-FIXES:       }(socket, resolver, host),

// A reference to const is an input the operation copied when it started: the caller's
// temporary (`connect_to(resolver, socket, "example.com")`) is gone when the coroutine
// starts, so the coroutine takes a copy. The socket and resolver, which Asio requires
// to outlive the operation, stay references.
void connect_to(tcp::resolver &resolver, tcp::socket &socket, const std::string &host) {
  resolver.async_resolve(host, "80", [&socket](beast::error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return;
    net::async_connect(socket, results, [](beast::error_code ec, tcp::endpoint) {});
  });
}

// What the first operation writes into, passed by reference: a copy in the coroutine
// would take the data the caller waits for. Refused.
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

// CHECK-MESSAGES: :154:41: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :151:12: note: level 1: callback of this asynchronous call to 'async_resolve'
// CHECK-MESSAGES: :167:21: warning: chain of 2 asynchronous steps spread across functions, starting in 'reader::read' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :167:21: note: step 1: 'reader::read' continues asynchronously in 'reader::on_read'
// CHECK-MESSAGES: :172:49: note: step 2: 'reader::on_read' continues asynchronously in 'reader::on_ready'
// CHECK-MESSAGES: :165:26: note: no coroutine rewrite offered (flat-chain): 'into' is a reference to something the first operation may change; the coroutine would work on a copy of its own
// CHECK-FIXES: void connect_to(tcp::resolver &resolver, tcp::socket &socket, const std::string &host) {
// CHECK-FIXES-NEXT:   net::co_spawn(
// CHECK-FIXES-NEXT:       resolver.get_executor(),
// CHECK-FIXES-NEXT:       [](tcp::socket &socket, tcp::resolver &resolver,
// CHECK-FIXES-NEXT:          const std::string host) -> net::awaitable<void> {
// CHECK-FIXES: class reader : public std::enable_shared_from_this<reader> {
// CHECK-FIXES-NEXT:   tcp::socket socket_;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   explicit reader(tcp::socket socket) : socket_(std::move(socket)) {}
// CHECK-FIXES-NEXT:   void read(std::string &into) {
// CHECK-FIXES-NEXT:     net::async_read(socket_, net::buffer(into),
// CHECK-FIXES-NEXT:                     beast::bind_front_handler(&reader::on_read, shared_from_this()));
// CHECK-FIXES-NEXT:   }
