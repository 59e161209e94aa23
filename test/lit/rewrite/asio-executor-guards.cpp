// RUN: %check_untangle %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxChainLength: 1}}" --
// RUN: %check_untangle -check-suffix=UNTANGLE %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxChainLength: 1, untangle-callback-nesting.RewriteTarget: untangle}}" -- -I %runtime_include
// The member-chain rewrite's executor guards (issue 13, MemberChainExecutor.h) on the
// real Boost.Asio/Beast headers (Debian's Boost 1.74). The coroutine runs every step on
// the executor it is co_spawned on; a chain that ran a handler elsewhere is refused,
// byte-identical, with a note: a dispatch or post that hands the next member to an
// executor after the first step (co_spawn stands only for a leading one), and a handler
// bound with bind_executor to another executor than the one the chain runs on (the note
// names both). RewriteTarget untangle refuses any hop or binding (the runtime's coroutine
// resumes where each callback ran, and has no executor to keep).
#include <memory>
#include <utility>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// write, then post the next member to the socket's executor: a hop after the first step.
class poster : public std::enable_shared_from_this<poster> {
  tcp::socket socket_;

public:
  explicit poster(tcp::socket socket) : socket_(std::move(socket)) {}
  void run() {
    net::async_write(socket_, net::buffer("hi\n", 3),
                     beast::bind_front_handler(&poster::on_write, shared_from_this()));
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec)
      return;
    net::post(socket_.get_executor(), beast::bind_front_handler(&poster::do_close, shared_from_this()));
  }
  void do_close() {
    socket_.async_wait(tcp::socket::wait_read,
                       beast::bind_front_handler(&poster::on_closed, shared_from_this()));
  }
  void on_closed(beast::error_code) {}
};

// The same with dispatch, to a strand the chain's handlers are bound to.
class dispatcher : public std::enable_shared_from_this<dispatcher> {
  tcp::socket socket_;
  net::strand<tcp::socket::executor_type> strand_;

public:
  explicit dispatcher(tcp::socket socket)
      : socket_(std::move(socket)), strand_(socket_.get_executor()) {}
  void run() {
    socket_.async_wait(tcp::socket::wait_write,
                       net::bind_executor(strand_, beast::bind_front_handler(
                                                       &dispatcher::on_ready, shared_from_this())));
  }
  void on_ready(beast::error_code ec) {
    net::dispatch(strand_, beast::bind_front_handler(&dispatcher::do_write, shared_from_this()));
  }
  void do_write() {
    net::async_write(socket_, net::buffer("hi\n", 3),
                     net::bind_executor(strand_, beast::bind_front_handler(
                                                     &dispatcher::on_write, shared_from_this())));
  }
  void on_write(beast::error_code, std::size_t) {}
};

// The first handler runs on strand_, the second is bound to other_: two executors.
class two_strands : public std::enable_shared_from_this<two_strands> {
  net::steady_timer timer_;
  net::strand<net::io_context::executor_type> strand_;
  net::strand<net::io_context::executor_type> other_;

public:
  explicit two_strands(net::io_context &io)
      : timer_(io), strand_(net::make_strand(io)), other_(net::make_strand(io)) {}
  void start() {
    timer_.async_wait(net::bind_executor(
        strand_, beast::bind_front_handler(&two_strands::on_first, shared_from_this())));
  }
  void on_first(beast::error_code ec) {
    if (ec)
      return;
    timer_.async_wait(net::bind_executor(
        other_, beast::bind_front_handler(&two_strands::on_second, shared_from_this())));
  }
  void on_second(beast::error_code) {}
};

// CHECK-MESSAGES: :30:22: warning: chain of 3 asynchronous steps spread across functions, starting in 'poster::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :30:22: note: step 1: 'poster::run' continues asynchronously in 'poster::on_write'
// CHECK-MESSAGES: :35:39: note: step 2: 'poster::on_write' continues asynchronously in 'poster::do_close'
// CHECK-MESSAGES: :39:24: note: step 3: 'poster::do_close' continues asynchronously in 'poster::on_closed'
// CHECK-MESSAGES: :35:5: note: no coroutine rewrite offered (flat-chain): the chain hands the next member to an executor with 'post' after its first step; only a leading dispatch or post is rewritten (co_spawn on its executor stands for it)
// CHECK-MESSAGES: :54:24: warning: chain of 3 asynchronous steps spread across functions, starting in 'dispatcher::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :54:24: note: step 1: 'dispatcher::run' continues asynchronously in 'dispatcher::on_ready'
// CHECK-MESSAGES: :58:28: note: step 2: 'dispatcher::on_ready' continues asynchronously in 'dispatcher::do_write'
// CHECK-MESSAGES: :62:22: note: step 3: 'dispatcher::do_write' continues asynchronously in 'dispatcher::on_write'
// CHECK-MESSAGES: :58:5: note: no coroutine rewrite offered (flat-chain): the chain hands the next member to an executor with 'dispatch' after its first step; only a leading dispatch or post is rewritten (co_spawn on its executor stands for it)
// CHECK-MESSAGES: :78:23: warning: chain of 2 asynchronous steps spread across functions, starting in 'two_strands::start' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :78:23: note: step 1: 'two_strands::start' continues asynchronously in 'two_strands::on_first'
// CHECK-MESSAGES: :84:23: note: step 2: 'two_strands::on_first' continues asynchronously in 'two_strands::on_second'
// CHECK-MESSAGES: :84:23: note: no coroutine rewrite offered (flat-chain): the handler of 'async_wait' runs on 'other_', not on 'strand_', where the coroutine would run it (bind it with bind_executor to that executor, or make the first step use it)
// CHECK-MESSAGES-UNTANGLE: :30:22: warning: chain of 3 asynchronous steps spread across functions, starting in 'poster::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES-UNTANGLE: :35:5: note: no coroutine rewrite offered (flat-chain): the step of 'on_write' hands the next member to an executor ('post'), which only Asio's coroutine keeps (RewriteTarget asio or auto, with every step an Asio operation)
// CHECK-MESSAGES-UNTANGLE: :54:24: warning: chain of 3 asynchronous steps spread across functions, starting in 'dispatcher::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES-UNTANGLE: :53:5: note: no coroutine rewrite offered (flat-chain): the step of 'run' hands the next member to an executor (bind_executor), which only Asio's coroutine keeps (RewriteTarget asio or auto, with every step an Asio operation)
// CHECK-MESSAGES-UNTANGLE: :78:23: warning: chain of 2 asynchronous steps spread across functions, starting in 'two_strands::start' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES-UNTANGLE: :78:5: note: no coroutine rewrite offered (flat-chain): the step of 'start' hands the next member to an executor (bind_executor), which only Asio's coroutine keeps (RewriteTarget asio or auto, with every step an Asio operation)
// Every chain is left byte-identical.
// CHECK-FIXES: class poster : public std::enable_shared_from_this<poster> {
// CHECK-FIXES-NEXT:   tcp::socket socket_;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   explicit poster(tcp::socket socket) : socket_(std::move(socket)) {}
// CHECK-FIXES-NEXT:   void run() {
// CHECK-FIXES-NEXT:     net::async_write(socket_, net::buffer("hi\n", 3),
// CHECK-FIXES-NEXT:                      beast::bind_front_handler(&poster::on_write, shared_from_this()));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void on_write(beast::error_code ec, std::size_t) {
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       return;
// CHECK-FIXES-NEXT:     net::post(socket_.get_executor(), beast::bind_front_handler(&poster::do_close, shared_from_this()));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void do_close() {
// CHECK-FIXES-NEXT:     socket_.async_wait(tcp::socket::wait_read,
// CHECK-FIXES-NEXT:                        beast::bind_front_handler(&poster::on_closed, shared_from_this()));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void on_closed(beast::error_code) {}
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: // The same with dispatch, to a strand the chain's handlers are bound to.
// CHECK-FIXES-NEXT: class dispatcher : public std::enable_shared_from_this<dispatcher> {
// CHECK-FIXES-NEXT:   tcp::socket socket_;
// CHECK-FIXES-NEXT:   net::strand<tcp::socket::executor_type> strand_;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   explicit dispatcher(tcp::socket socket)
// CHECK-FIXES-NEXT:       : socket_(std::move(socket)), strand_(socket_.get_executor()) {}
// CHECK-FIXES-NEXT:   void run() {
// CHECK-FIXES-NEXT:     socket_.async_wait(tcp::socket::wait_write,
// CHECK-FIXES-NEXT:                        net::bind_executor(strand_, beast::bind_front_handler(
// CHECK-FIXES-NEXT:                                                        &dispatcher::on_ready, shared_from_this())));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void on_ready(beast::error_code ec) {
// CHECK-FIXES-NEXT:     net::dispatch(strand_, beast::bind_front_handler(&dispatcher::do_write, shared_from_this()));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void do_write() {
// CHECK-FIXES-NEXT:     net::async_write(socket_, net::buffer("hi\n", 3),
// CHECK-FIXES-NEXT:                      net::bind_executor(strand_, beast::bind_front_handler(
// CHECK-FIXES-NEXT:                                                      &dispatcher::on_write, shared_from_this())));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void on_write(beast::error_code, std::size_t) {}
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: // The first handler runs on strand_, the second is bound to other_: two executors.
// CHECK-FIXES-NEXT: class two_strands : public std::enable_shared_from_this<two_strands> {
// CHECK-FIXES-NEXT:   net::steady_timer timer_;
// CHECK-FIXES-NEXT:   net::strand<net::io_context::executor_type> strand_;
// CHECK-FIXES-NEXT:   net::strand<net::io_context::executor_type> other_;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   explicit two_strands(net::io_context &io)
// CHECK-FIXES-NEXT:       : timer_(io), strand_(net::make_strand(io)), other_(net::make_strand(io)) {}
// CHECK-FIXES-NEXT:   void start() {
// CHECK-FIXES-NEXT:     timer_.async_wait(net::bind_executor(
// CHECK-FIXES-NEXT:         strand_, beast::bind_front_handler(&two_strands::on_first, shared_from_this())));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void on_first(beast::error_code ec) {
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       return;
// CHECK-FIXES-NEXT:     timer_.async_wait(net::bind_executor(
// CHECK-FIXES-NEXT:         other_, beast::bind_front_handler(&two_strands::on_second, shared_from_this())));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void on_second(beast::error_code) {}
// CHECK-FIXES-NEXT: };
