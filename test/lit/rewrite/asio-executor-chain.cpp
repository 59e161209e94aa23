// Flat chains through executors (issue 13) on the real Boost.Beast/Asio headers (Debian's
// Boost 1.74): a leading net::dispatch to the stream's executor (the Beast examples'
// run()) becomes the co_spawn on that executor; handlers bound to one strand with
// bind_executor make a coroutine co_spawned on that strand. A chain whose handlers ran on
// another executor than the coroutine would is refused, byte-identical, with the reason.
// --fix compiles the result before writing it.
// RUN: %check_untangle %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxChainLength: 1}}" --
#include <chrono>
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

// Beast-example session: run() dispatches to the stream's strand.
class session : public std::enable_shared_from_this<session> {
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;

public:
  explicit session(tcp::socket &&socket) : stream_(std::move(socket)) {}
  void run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&session::do_read, shared_from_this()));
  }
  void do_read() {
    req_ = {};
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, req_,
                     beast::bind_front_handler(&session::on_read, shared_from_this()));
  }
  void on_read(beast::error_code ec, std::size_t) {
    if (ec)
      return fail(ec, "read");
    res_.body() = std::string(req_.target());
    res_.prepare_payload();
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&session::on_write, shared_from_this()));
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec)
      return fail(ec, "write");
    do_read();
  }
};

// Every handler bound to one strand: the coroutine runs on that strand.
class ticker : public std::enable_shared_from_this<ticker> {
  net::strand<net::io_context::executor_type> strand_;
  net::steady_timer timer_;
  int ticks_ = 0;

public:
  explicit ticker(net::io_context &io) : strand_(net::make_strand(io)), timer_(io) {}
  void start() {
    timer_.expires_after(std::chrono::milliseconds(1));
    timer_.async_wait(net::bind_executor(
        strand_, beast::bind_front_handler(&ticker::on_first, shared_from_this())));
  }
  void on_first(beast::error_code ec) {
    if (ec)
      return;
    ++ticks_;
    timer_.expires_after(std::chrono::milliseconds(1));
    timer_.async_wait(net::bind_executor(
        strand_, beast::bind_front_handler(&ticker::on_second, shared_from_this())));
  }
  void on_second(beast::error_code ec) {
    if (!ec)
      ++ticks_;
  }
};

// A post to the socket's executor: Boost 1.74's co_spawn posts once, then runs the body.
class greeter : public std::enable_shared_from_this<greeter> {
  tcp::socket socket_;

public:
  explicit greeter(tcp::socket socket) : socket_(std::move(socket)) {}
  void run() {
    net::post(socket_.get_executor(), std::bind_front(&greeter::do_write, shared_from_this()));
  }
  void do_write() {
    net::async_write(socket_, net::buffer("hello\n", 6),
                     std::bind_front(&greeter::on_write, shared_from_this()));
  }
  void on_write(beast::error_code ec, std::size_t) {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
  }
};

// Posted to a strand, but the accept handler runs on the acceptor's executor: refused.
class listener : public std::enable_shared_from_this<listener> {
  net::io_context &io_;
  tcp::acceptor acceptor_;
  net::strand<net::io_context::executor_type> strand_;

public:
  listener(net::io_context &io, tcp::endpoint at)
      : io_(io), acceptor_(io, at), strand_(net::make_strand(io)) {}
  void run() {
    net::post(strand_, beast::bind_front_handler(&listener::do_accept, shared_from_this()));
  }
  void do_accept() {
    acceptor_.async_accept(net::make_strand(io_),
                           beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec)
      return;
    std::make_shared<session>(std::move(socket))->run();
  }
};

// CHECK-FIXES: // co_await with Asio under clang++ (Asio enables it there only for the Coroutines TS)
// CHECK-FIXES-NEXT: #include <utility> // Boost 1.74's awaitable.hpp uses std::exchange
// CHECK-FIXES-NEXT: #if defined(__clang__) && !defined(BOOST_ASIO_HAS_CO_AWAIT)
// CHECK-FIXES-NEXT: #define BOOST_ASIO_HAS_CO_AWAIT 1
// CHECK-FIXES-NEXT: #endif
// CHECK-FIXES: // Beast-example session: run() dispatches to the stream's strand.
// CHECK-FIXES-NEXT: class session : public std::enable_shared_from_this<session> {
// CHECK-FIXES-NEXT:   beast::tcp_stream stream_;
// CHECK-FIXES-NEXT:   beast::flat_buffer buffer_;
// CHECK-FIXES-NEXT:   http::request<http::string_body> req_;
// CHECK-FIXES-NEXT:   http::response<http::string_body> res_;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   explicit session(tcp::socket &&socket) : stream_(std::move(socket)) {}
// CHECK-FIXES-NEXT:   void run() {
// CHECK-FIXES-NEXT:     net::co_spawn(stream_.get_executor(), run_coroutine(shared_from_this()),
// CHECK-FIXES-NEXT:                   net::detached);
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   net::awaitable<void> run_coroutine(std::shared_ptr<session> self) {
// CHECK-FIXES-NEXT:     for (;;) {
// CHECK-FIXES-NEXT:       req_ = {};
// CHECK-FIXES-NEXT:       stream_.expires_after(std::chrono::seconds(30));
// CHECK-FIXES-NEXT:       beast::error_code ec;
// CHECK-FIXES-NEXT:       co_await http::async_read(stream_, buffer_, req_,
// CHECK-FIXES-NEXT:                                 net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec)
// CHECK-FIXES-NEXT:         co_return fail(ec, "read");
// CHECK-FIXES-NEXT:       res_.body() = std::string(req_.target());
// CHECK-FIXES-NEXT:       res_.prepare_payload();
// CHECK-FIXES-NEXT:       co_await http::async_write(stream_, res_,
// CHECK-FIXES-NEXT:                                  net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec)
// CHECK-FIXES-NEXT:         co_return fail(ec, "write");
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: // Every handler bound to one strand: the coroutine runs on that strand.
// CHECK-FIXES-NEXT: class ticker : public std::enable_shared_from_this<ticker> {
// CHECK-FIXES-NEXT:   net::strand<net::io_context::executor_type> strand_;
// CHECK-FIXES-NEXT:   net::steady_timer timer_;
// CHECK-FIXES-NEXT:   int ticks_ = 0;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   explicit ticker(net::io_context &io) : strand_(net::make_strand(io)), timer_(io) {}
// CHECK-FIXES-NEXT:   void start() {
// CHECK-FIXES-NEXT:     timer_.expires_after(std::chrono::milliseconds(1));
// CHECK-FIXES-NEXT:     net::co_spawn(strand_, start_coroutine(shared_from_this()), net::detached);
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   net::awaitable<void> start_coroutine(std::shared_ptr<ticker> self) {
// CHECK-FIXES-NEXT:     beast::error_code ec;
// CHECK-FIXES-NEXT:     co_await timer_.async_wait(net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     ++ticks_;
// CHECK-FIXES-NEXT:     timer_.expires_after(std::chrono::milliseconds(1));
// CHECK-FIXES-NEXT:     co_await timer_.async_wait(net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:     if (!ec)
// CHECK-FIXES-NEXT:       ++ticks_;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: // A post to the socket's executor: Boost 1.74's co_spawn posts once, then runs the body.
// CHECK-FIXES-NEXT: class greeter : public std::enable_shared_from_this<greeter> {
// CHECK-FIXES-NEXT:   tcp::socket socket_;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   explicit greeter(tcp::socket socket) : socket_(std::move(socket)) {}
// CHECK-FIXES-NEXT:   void run() {
// CHECK-FIXES-NEXT:     net::co_spawn(socket_.get_executor(), run_coroutine(shared_from_this()),
// CHECK-FIXES-NEXT:                   net::detached);
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   net::awaitable<void> run_coroutine(std::shared_ptr<greeter> self) {
// CHECK-FIXES-NEXT:     beast::error_code ec;
// CHECK-FIXES-NEXT:     co_await net::async_write(socket_, net::buffer("hello\n", 6),
// CHECK-FIXES-NEXT:                               net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:     beast::error_code ignored;
// CHECK-FIXES-NEXT:     socket_.shutdown(tcp::socket::shutdown_send, ignored);
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: // Posted to a strand, but the accept handler runs on the acceptor's executor: refused.
// CHECK-FIXES-NEXT: class listener : public std::enable_shared_from_this<listener> {
// CHECK-FIXES-NEXT:   net::io_context &io_;
// CHECK-FIXES-NEXT:   tcp::acceptor acceptor_;
// CHECK-FIXES-NEXT:   net::strand<net::io_context::executor_type> strand_;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   listener(net::io_context &io, tcp::endpoint at)
// CHECK-FIXES-NEXT:       : io_(io), acceptor_(io, at), strand_(net::make_strand(io)) {}
// CHECK-FIXES-NEXT:   void run() {
// CHECK-FIXES-NEXT:     net::post(strand_, beast::bind_front_handler(&listener::do_accept, shared_from_this()));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void do_accept() {
// CHECK-FIXES-NEXT:     acceptor_.async_accept(net::make_strand(io_),
// CHECK-FIXES-NEXT:                            beast::bind_front_handler(&listener::on_accept, shared_from_this()));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void on_accept(beast::error_code ec, tcp::socket socket) {
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       return;
// CHECK-FIXES-NEXT:     std::make_shared<session>(std::move(socket))->run();
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: };

// CHECK-MESSAGES: :35:19: warning: chain of 3 asynchronous steps spread across functions, starting in 'session::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :35:19: note: step 1: 'session::run' continues asynchronously in 'session::do_read'
// CHECK-MESSAGES: :41:22: note: step 2: 'session::do_read' continues asynchronously in 'session::on_read'
// CHECK-MESSAGES: :49:23: note: step 3: 'session::on_read' continues asynchronously in 'session::on_write'
// CHECK-MESSAGES: :68:23: warning: chain of 2 asynchronous steps spread across functions, starting in 'ticker::start' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :68:23: note: step 1: 'ticker::start' continues asynchronously in 'ticker::on_first'
// CHECK-MESSAGES: :76:23: note: step 2: 'ticker::on_first' continues asynchronously in 'ticker::on_second'
// CHECK-MESSAGES: :92:39: warning: chain of 2 asynchronous steps spread across functions, starting in 'greeter::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :92:39: note: step 1: 'greeter::run' continues asynchronously in 'greeter::do_write'
// CHECK-MESSAGES: :96:22: note: step 2: 'greeter::do_write' continues asynchronously in 'greeter::on_write'
// CHECK-MESSAGES: :114:24: warning: chain of 2 asynchronous steps spread across functions, starting in 'listener::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :114:24: note: step 1: 'listener::run' continues asynchronously in 'listener::do_accept'
// CHECK-MESSAGES: :118:28: note: step 2: 'listener::do_accept' continues asynchronously in 'listener::on_accept'
// CHECK-MESSAGES: :118:28: note: no coroutine rewrite offered (flat-chain): the handler of 'async_accept' runs on 'acceptor_.get_executor()', not on 'strand_', where the coroutine would run it (bind it with bind_executor to that executor, or make the first step use it)
