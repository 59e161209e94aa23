// Flat chains through executors with standalone Asio (Debian's asio 1.22, namespace
// `asio`): a leading asio::dispatch becomes the co_spawn on its executor (Asio 1.22's
// co_spawn dispatches too); a leading asio::post is refused, since that co_spawn could run
// the coroutine before the post returned, which a post never does.
// RUN: %check_untangle %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxChainLength: 1}}" --
#include <memory>
#include <utility>
#include <asio.hpp>

using asio::ip::tcp;

// run() dispatches to the socket's executor.
class echo : public std::enable_shared_from_this<echo> {
  tcp::socket socket_;
  char data_[64];

public:
  explicit echo(tcp::socket socket) : socket_(std::move(socket)) {}
  void run() {
    asio::dispatch(socket_.get_executor(), std::bind_front(&echo::do_read, shared_from_this()));
  }
  void do_read() {
    socket_.async_read_some(asio::buffer(data_), std::bind_front(&echo::on_read, shared_from_this()));
  }
  void on_read(asio::error_code ec, std::size_t n) {
    if (ec)
      return;
    asio::async_write(socket_, asio::buffer(data_, n),
                      std::bind_front(&echo::on_write, shared_from_this()));
  }
  void on_write(asio::error_code ec, std::size_t) {
    if (ec)
      return;
    do_read();
  }
};

// A post: Asio 1.22's co_spawn could run the coroutine before post returned, which
// post never does: refused.
class greeter : public std::enable_shared_from_this<greeter> {
  tcp::socket socket_;

public:
  explicit greeter(tcp::socket socket) : socket_(std::move(socket)) {}
  void run() {
    asio::post(socket_.get_executor(), std::bind_front(&greeter::do_write, shared_from_this()));
  }
  void do_write() {
    asio::async_write(socket_, asio::buffer("hello\n", 6),
                      std::bind_front(&greeter::on_write, shared_from_this()));
  }
  void on_write(asio::error_code ec, std::size_t) {}
};

// CHECK-FIXES: // co_await with Asio under clang++ (Asio enables it there only for the Coroutines TS)
// CHECK-FIXES-NEXT: #if defined(__clang__) && !defined(ASIO_HAS_CO_AWAIT)
// CHECK-FIXES-NEXT: #define ASIO_HAS_CO_AWAIT 1
// CHECK-FIXES-NEXT: #endif
// CHECK-FIXES: // run() dispatches to the socket's executor.
// CHECK-FIXES-NEXT: class echo : public std::enable_shared_from_this<echo> {
// CHECK-FIXES-NEXT:   tcp::socket socket_;
// CHECK-FIXES-NEXT:   char data_[64];
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   explicit echo(tcp::socket socket) : socket_(std::move(socket)) {}
// CHECK-FIXES-NEXT:   void run() {
// CHECK-FIXES-NEXT:     asio::co_spawn(socket_.get_executor(), run_coroutine(shared_from_this()),
// CHECK-FIXES-NEXT:                    asio::detached);
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   asio::awaitable<void> run_coroutine(std::shared_ptr<echo> self) {
// CHECK-FIXES-NEXT:     for (;;) {
// CHECK-FIXES-NEXT:       asio::error_code ec;
// CHECK-FIXES-NEXT:       std::size_t n = co_await socket_.async_read_some(
// CHECK-FIXES-NEXT:           asio::buffer(data_), asio::redirect_error(asio::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec)
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:       co_await asio::async_write(socket_, asio::buffer(data_, n),
// CHECK-FIXES-NEXT:                                  asio::redirect_error(asio::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec)
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: // A post: Asio 1.22's co_spawn could run the coroutine before post returned, which
// CHECK-FIXES-NEXT: // post never does: refused.
// CHECK-FIXES-NEXT: class greeter : public std::enable_shared_from_this<greeter> {
// CHECK-FIXES-NEXT:   tcp::socket socket_;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   explicit greeter(tcp::socket socket) : socket_(std::move(socket)) {}
// CHECK-FIXES-NEXT:   void run() {
// CHECK-FIXES-NEXT:     asio::post(socket_.get_executor(), std::bind_front(&greeter::do_write, shared_from_this()));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void do_write() {
// CHECK-FIXES-NEXT:     asio::async_write(socket_, asio::buffer("hello\n", 6),
// CHECK-FIXES-NEXT:                       std::bind_front(&greeter::on_write, shared_from_this()));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void on_write(asio::error_code ec, std::size_t) {}
// CHECK-FIXES-NEXT: };

// CHECK-MESSAGES: :21:44: warning: chain of 3 asynchronous steps spread across functions, starting in 'echo::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :21:44: note: step 1: 'echo::run' continues asynchronously in 'echo::do_read'
// CHECK-MESSAGES: :24:50: note: step 2: 'echo::do_read' continues asynchronously in 'echo::on_read'
// CHECK-MESSAGES: :30:23: note: step 3: 'echo::on_read' continues asynchronously in 'echo::on_write'
// CHECK-MESSAGES: :47:40: warning: chain of 2 asynchronous steps spread across functions, starting in 'greeter::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :47:40: note: step 1: 'greeter::run' continues asynchronously in 'greeter::do_write'
// CHECK-MESSAGES: :51:23: note: step 2: 'greeter::do_write' continues asynchronously in 'greeter::on_write'
// CHECK-MESSAGES: :47:5: note: no coroutine rewrite offered (flat-chain): Asio 1.22's co_spawn runs the coroutine at once when the caller is already on the executor, which the post it would replace never does
