// The rewrite of flat chains of member functions (issue 13) on the real Boost.Beast and
// Boost.Asio headers (Debian's Boost 1.74): each becomes one member coroutine of Asio;
// the entry keeps its signature and co_spawns it with shared_from_this(); a chain back to
// an earlier member becomes for (;;); the members that only continued the chain are gone.
// --fix compiles the result before writing it. A chain whose member is used elsewhere is
// refused. RewriteTarget untangle: one coroutine of the runtime (from_callback each step).
// RUN: %check_untangle %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxChainLength: 1}}" --
// RUN: %check_untangle -check-suffix=UNTANGLE %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxChainLength: 1, untangle-callback-nesting.RewriteTarget: untangle}}" -- -I %runtime_include
#include <memory>
#include <string>
#include <utility>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

void fail(beast::error_code ec, const char *what);

// Beast-example client: the entry's arguments the first operation uses are copied into
// the coroutine; `return fail(...)` becomes `co_return fail(...)`.
class fetch : public std::enable_shared_from_this<fetch> {
  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::empty_body> req_;
  http::response<http::string_body> res_;

public:
  explicit fetch(net::io_context &io) : resolver_(io), stream_(io) {}
  void run(std::string host, std::string port) {
    req_.set(http::field::host, host);
    resolver_.async_resolve(host, port,
                            beast::bind_front_handler(&fetch::on_resolve, shared_from_this()));
  }
  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return fail(ec, "resolve");
    stream_.async_connect(results, beast::bind_front_handler(&fetch::on_connect, shared_from_this()));
  }
  void on_connect(beast::error_code ec, tcp::endpoint) {
    if (ec)
      return fail(ec, "connect");
    http::async_write(stream_, req_, beast::bind_front_handler(&fetch::on_write, shared_from_this()));
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec)
      return fail(ec, "write");
    http::async_read(stream_, buffer_, res_,
                     beast::bind_front_handler(&fetch::on_read, shared_from_this()));
  }
  void on_read(beast::error_code ec, std::size_t bytes) {
    if (ec)
      return fail(ec, "read");
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  }
};

// A read/write loop entered from another member: for (;;) from do_read on.
class echo : public std::enable_shared_from_this<echo> {
  tcp::socket socket_;
  char data_[128];

public:
  explicit echo(tcp::socket socket) : socket_(std::move(socket)) {}
  void start() {
    socket_.async_wait(tcp::socket::wait_read, std::bind_front(&echo::on_ready, shared_from_this()));
  }
  void on_ready(beast::error_code ec) {
    if (ec)
      return;
    do_read();
  }
  void do_read() {
    socket_.async_read_some(net::buffer(data_), std::bind_front(&echo::on_read, shared_from_this()));
  }
  void on_read(beast::error_code ec, std::size_t n) {
    if (ec)
      return;
    net::async_write(socket_, net::buffer(data_, n),
                     [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                       self->on_write(ec, n);
                     });
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec)
      return;
    do_read();
  }
};

// The handler of on_first is also kept as a value: removing it would break that, so
// the chain is left as it is.
class counter : public std::enable_shared_from_this<counter> {
  net::steady_timer timer_;
  std::function<void(beast::error_code)> again_;

public:
  explicit counter(net::io_context &io) : timer_(io) {}
  void start() { timer_.async_wait(std::bind_front(&counter::on_first, shared_from_this())); }
  void on_first(beast::error_code ec) {
    timer_.async_wait(std::bind_front(&counter::on_second, shared_from_this()));
  }
  void on_second(beast::error_code ec) { again_ = std::bind_front(&counter::on_first, shared_from_this()); }
};

// CHECK-FIXES: // co_await with Asio under clang++ (Asio enables it there only for the Coroutines TS)
// CHECK-FIXES-NEXT: #include <utility> // Boost 1.74's awaitable.hpp uses std::exchange
// CHECK-FIXES-NEXT: #if defined(__clang__) && !defined(BOOST_ASIO_HAS_CO_AWAIT)
// CHECK-FIXES-NEXT: #define BOOST_ASIO_HAS_CO_AWAIT 1
// CHECK-FIXES-NEXT: #endif
// CHECK-FIXES: class fetch : public std::enable_shared_from_this<fetch> {
// CHECK-FIXES-NEXT:   tcp::resolver resolver_;
// CHECK-FIXES-NEXT:   beast::tcp_stream stream_;
// CHECK-FIXES-NEXT:   beast::flat_buffer buffer_;
// CHECK-FIXES-NEXT:   http::request<http::empty_body> req_;
// CHECK-FIXES-NEXT:   http::response<http::string_body> res_;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   explicit fetch(net::io_context &io) : resolver_(io), stream_(io) {}
// CHECK-FIXES-NEXT:   void run(std::string host, std::string port) {
// CHECK-FIXES-NEXT:     req_.set(http::field::host, host);
// CHECK-FIXES-NEXT:     net::co_spawn(resolver_.get_executor(),
// CHECK-FIXES-NEXT:                   run_coroutine(shared_from_this(), host, port), net::detached);
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   net::awaitable<void> run_coroutine(std::shared_ptr<fetch> self_2,
// CHECK-FIXES-NEXT:                                      std::string host, std::string port) {
// CHECK-FIXES-NEXT:     beast::error_code ec;
// CHECK-FIXES-NEXT:     tcp::resolver::results_type results = co_await resolver_.async_resolve(
// CHECK-FIXES-NEXT:         host, port, net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return fail(ec, "resolve");
// CHECK-FIXES-NEXT:     co_await stream_.async_connect(results,
// CHECK-FIXES-NEXT:                                    net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return fail(ec, "connect");
// CHECK-FIXES-NEXT:     co_await http::async_write(stream_, req_,
// CHECK-FIXES-NEXT:                                net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return fail(ec, "write");
// CHECK-FIXES-NEXT:     std::size_t bytes = co_await http::async_read(
// CHECK-FIXES-NEXT:         stream_, buffer_, res_, net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return fail(ec, "read");
// CHECK-FIXES-NEXT:     stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: // A read/write loop entered from another member: for (;;) from do_read on.
// CHECK-FIXES-NEXT: class echo : public std::enable_shared_from_this<echo> {
// CHECK-FIXES-NEXT:   tcp::socket socket_;
// CHECK-FIXES-NEXT:   char data_[128];
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   explicit echo(tcp::socket socket) : socket_(std::move(socket)) {}
// CHECK-FIXES-NEXT:   void start() {
// CHECK-FIXES-NEXT:     net::co_spawn(socket_.get_executor(), start_coroutine(shared_from_this()),
// CHECK-FIXES-NEXT:                   net::detached);
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   net::awaitable<void> start_coroutine(std::shared_ptr<echo> self_2) {
// CHECK-FIXES-NEXT:     beast::error_code ec;
// CHECK-FIXES-NEXT:     co_await socket_.async_wait(tcp::socket::wait_read,
// CHECK-FIXES-NEXT:                                 net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     for (;;) {
// CHECK-FIXES-NEXT:       std::size_t n = co_await socket_.async_read_some(
// CHECK-FIXES-NEXT:           net::buffer(data_), net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec)
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:       co_await net::async_write(socket_, net::buffer(data_, n),
// CHECK-FIXES-NEXT:                                 net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec)
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-EMPTY:

// CHECK-MESSAGES: :39:29: warning: chain of 4 asynchronous steps spread across functions, starting in 'fetch::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :39:29: note: step 1: 'fetch::run' continues asynchronously in 'fetch::on_resolve'
// CHECK-MESSAGES: :44:36: note: step 2: 'fetch::on_resolve' continues asynchronously in 'fetch::on_connect'
// CHECK-MESSAGES: :49:38: note: step 3: 'fetch::on_connect' continues asynchronously in 'fetch::on_write'
// CHECK-MESSAGES: :55:22: note: step 4: 'fetch::on_write' continues asynchronously in 'fetch::on_read'
// CHECK-MESSAGES: :72:48: warning: chain of 3 asynchronous steps spread across functions, starting in 'echo::start' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :72:48: note: step 1: 'echo::start' continues asynchronously in 'echo::on_ready'
// CHECK-MESSAGES: :77:5: note: 'echo::on_ready' calls 'echo::do_read', which continues the chain
// CHECK-MESSAGES: :80:49: note: step 2: 'echo::do_read' continues asynchronously in 'echo::on_read'
// CHECK-MESSAGES: :87:24: note: step 3: 'echo::on_read' continues asynchronously in 'echo::on_write'
// CHECK-MESSAGES: :105:36: warning: chain of 2 asynchronous steps spread across functions, starting in 'counter::start' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :105:36: note: step 1: 'counter::start' continues asynchronously in 'counter::on_first'
// CHECK-MESSAGES: :107:23: note: step 2: 'counter::on_first' continues asynchronously in 'counter::on_second'
// CHECK-MESSAGES: :109:77: note: no coroutine rewrite offered (flat-chain): 'on_first' is also used outside the chain, which needs it as it is
// CHECK-MESSAGES-UNTANGLE: :39:29: warning: chain of 4 asynchronous steps spread across functions, starting in 'fetch::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES-UNTANGLE: :39:29: note: step 1: 'fetch::run' continues asynchronously in 'fetch::on_resolve'
// CHECK-MESSAGES-UNTANGLE: :44:36: note: step 2: 'fetch::on_resolve' continues asynchronously in 'fetch::on_connect'
// CHECK-MESSAGES-UNTANGLE: :49:38: note: step 3: 'fetch::on_connect' continues asynchronously in 'fetch::on_write'
// CHECK-MESSAGES-UNTANGLE: :55:22: note: step 4: 'fetch::on_write' continues asynchronously in 'fetch::on_read'
// CHECK-MESSAGES-UNTANGLE: :72:48: warning: chain of 3 asynchronous steps spread across functions, starting in 'echo::start' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES-UNTANGLE: :72:48: note: step 1: 'echo::start' continues asynchronously in 'echo::on_ready'
// CHECK-MESSAGES-UNTANGLE: :77:5: note: 'echo::on_ready' calls 'echo::do_read', which continues the chain
// CHECK-MESSAGES-UNTANGLE: :80:49: note: step 2: 'echo::do_read' continues asynchronously in 'echo::on_read'
// CHECK-MESSAGES-UNTANGLE: :87:24: note: step 3: 'echo::on_read' continues asynchronously in 'echo::on_write'
// CHECK-MESSAGES-UNTANGLE: :105:36: warning: chain of 2 asynchronous steps spread across functions, starting in 'counter::start' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES-UNTANGLE: :105:36: note: step 1: 'counter::start' continues asynchronously in 'counter::on_first'
// CHECK-MESSAGES-UNTANGLE: :107:23: note: step 2: 'counter::on_first' continues asynchronously in 'counter::on_second'
// CHECK-MESSAGES-UNTANGLE: :109:77: note: no coroutine rewrite offered (flat-chain): 'on_first' is also used outside the chain, which needs it as it is
// RewriteTarget untangle: the runtime's include, and each chain one untangle::Task member.
// CHECK-FIXES-UNTANGLE: #include <untangle/runtime.hpp>
// CHECK-FIXES-UNTANGLE:   void run(std::string host, std::string port) {
// CHECK-FIXES-UNTANGLE-NEXT:     req_.set(http::field::host, host);
// CHECK-FIXES-UNTANGLE-NEXT:     untangle::spawn(run_coroutine(shared_from_this(), host, port));
// CHECK-FIXES-UNTANGLE-NEXT:   }
// CHECK-FIXES-UNTANGLE-NEXT:   untangle::Task<void> run_coroutine(std::shared_ptr<fetch> self_2,
// CHECK-FIXES-UNTANGLE-NEXT:                                      std::string host, std::string port) {
// CHECK-FIXES-UNTANGLE-NEXT:     auto [ec, results] = co_await untangle::from_callback<
// CHECK-FIXES-UNTANGLE-NEXT:         beast::error_code, tcp::resolver::results_type>([&](auto untangle_cb) {
// CHECK-FIXES-UNTANGLE-NEXT:       resolver_.async_resolve(host, port, std::move(untangle_cb));
// CHECK-FIXES-UNTANGLE-NEXT:     });
// CHECK-FIXES-UNTANGLE-NEXT:     if (ec)
// CHECK-FIXES-UNTANGLE-NEXT:       co_return fail(ec, "resolve");
// CHECK-FIXES-UNTANGLE-NEXT:     std::tie(ec, std::ignore) =
// CHECK-FIXES-UNTANGLE-NEXT:         co_await untangle::from_callback<beast::error_code, tcp::endpoint>(
// CHECK-FIXES-UNTANGLE-NEXT:             [&](auto untangle_cb) {
// CHECK-FIXES-UNTANGLE-NEXT:               stream_.async_connect(results, std::move(untangle_cb));
// CHECK-FIXES-UNTANGLE-NEXT:             });
// CHECK-FIXES-UNTANGLE-NEXT:     if (ec)
// CHECK-FIXES-UNTANGLE-NEXT:       co_return fail(ec, "connect");
// CHECK-FIXES-UNTANGLE-NEXT:     std::tie(ec, std::ignore) =
// CHECK-FIXES-UNTANGLE-NEXT:         co_await untangle::from_callback<beast::error_code, std::size_t>(
// CHECK-FIXES-UNTANGLE-NEXT:             [&](auto untangle_cb) {
// CHECK-FIXES-UNTANGLE-NEXT:               http::async_write(stream_, req_, std::move(untangle_cb));
// CHECK-FIXES-UNTANGLE-NEXT:             });
// CHECK-FIXES-UNTANGLE-NEXT:     if (ec)
// CHECK-FIXES-UNTANGLE-NEXT:       co_return fail(ec, "write");
// CHECK-FIXES-UNTANGLE-NEXT:     {
// CHECK-FIXES-UNTANGLE-NEXT:       auto [ec, bytes] =
// CHECK-FIXES-UNTANGLE-NEXT:           co_await untangle::from_callback<beast::error_code, std::size_t>(
// CHECK-FIXES-UNTANGLE-NEXT:               [&](auto untangle_cb) {
// CHECK-FIXES-UNTANGLE-NEXT:                 http::async_read(stream_, buffer_, res_,
// CHECK-FIXES-UNTANGLE-NEXT:                                  std::move(untangle_cb));
// CHECK-FIXES-UNTANGLE-NEXT:               });
// CHECK-FIXES-UNTANGLE-NEXT:       if (ec)
// CHECK-FIXES-UNTANGLE-NEXT:         co_return fail(ec, "read");
// CHECK-FIXES-UNTANGLE-NEXT:       stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
// CHECK-FIXES-UNTANGLE:   void start() {
// CHECK-FIXES-UNTANGLE-NEXT:     untangle::spawn(start_coroutine(shared_from_this()));
// CHECK-FIXES-UNTANGLE-NEXT:   }
// CHECK-FIXES-UNTANGLE:   untangle::Task<void> start_coroutine(std::shared_ptr<echo> self_2) {
// CHECK-FIXES-UNTANGLE-NEXT:     beast::error_code ec = co_await untangle::from_callback<beast::error_code>(
// CHECK-FIXES-UNTANGLE-NEXT:         [&](auto untangle_cb) {
// CHECK-FIXES-UNTANGLE-NEXT:           socket_.async_wait(tcp::socket::wait_read, std::move(untangle_cb));
// CHECK-FIXES-UNTANGLE-NEXT:         });
// CHECK-FIXES-UNTANGLE-NEXT:     if (ec)
// CHECK-FIXES-UNTANGLE-NEXT:       co_return;
// CHECK-FIXES-UNTANGLE-NEXT:     for (;;) {
// CHECK-FIXES-UNTANGLE-NEXT:       auto [ec, n] =
// CHECK-FIXES-UNTANGLE-NEXT:           co_await untangle::from_callback<beast::error_code, std::size_t>(
// CHECK-FIXES-UNTANGLE-NEXT:               [&](auto untangle_cb) {
// CHECK-FIXES-UNTANGLE-NEXT:                 socket_.async_read_some(net::buffer(data_),
// CHECK-FIXES-UNTANGLE-NEXT:                                         std::move(untangle_cb));
// CHECK-FIXES-UNTANGLE-NEXT:               });
// CHECK-FIXES-UNTANGLE-NEXT:       if (ec)
// CHECK-FIXES-UNTANGLE-NEXT:         co_return;
// CHECK-FIXES-UNTANGLE-NEXT:       std::tie(ec, std::ignore) =
// CHECK-FIXES-UNTANGLE-NEXT:           co_await untangle::from_callback<beast::error_code, std::size_t>(
// CHECK-FIXES-UNTANGLE-NEXT:               [&](auto untangle_cb) {
// CHECK-FIXES-UNTANGLE-NEXT:                 net::async_write(socket_, net::buffer(data_, n),
// CHECK-FIXES-UNTANGLE-NEXT:                                  std::move(untangle_cb));
// CHECK-FIXES-UNTANGLE-NEXT:               });
// CHECK-FIXES-UNTANGLE-NEXT:       if (ec)
// CHECK-FIXES-UNTANGLE-NEXT:         co_return;
// CHECK-FIXES-UNTANGLE-NEXT:     }
// CHECK-FIXES-UNTANGLE-NEXT:   }
// CHECK-FIXES-UNTANGLE-NEXT: };
