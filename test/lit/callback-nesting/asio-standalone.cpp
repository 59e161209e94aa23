// Standalone Asio (Debian's libasio-dev, namespace asio): posts and dispatches to a
// strand, asio::bind_executor around std::bind_front, std::bind and lambdas, a timer.
// Each step counts once.
// RUN: %check_untangle %s untangle-callback-nesting %t
#include <asio.hpp>
#include <array>
#include <chrono>
#include <functional>
#include <memory>

using asio::ip::tcp;

// Copies one block from a client to an upstream server, then pauses and finishes.
class relay : public std::enable_shared_from_this<relay> {
  tcp::socket client_, upstream_;
  tcp::endpoint upstream_at_;
  asio::strand<asio::io_context::executor_type> strand_;
  asio::steady_timer pause_;
  std::array<char, 512> block_;

public:
  relay(asio::io_context &io, tcp::socket client, tcp::endpoint upstream_at)
      : client_(std::move(client)), upstream_(io), upstream_at_(upstream_at),
        strand_(asio::make_strand(io)), pause_(io) {}

  void start() {
    asio::post(strand_, std::bind_front(&relay::connect, shared_from_this()));
  }
  void connect() {
    upstream_.async_connect(
        upstream_at_,
        asio::bind_executor(strand_, std::bind_front(&relay::on_connect, shared_from_this())));
  }
  void on_connect(std::error_code ec) {
    if (ec)
      return;
    client_.async_read_some(
        asio::buffer(block_),
        asio::bind_executor(strand_, [self = shared_from_this()](std::error_code ec,
                                                                   std::size_t n) {
          self->on_read(ec, n);
        }));
  }
  void on_read(std::error_code ec, std::size_t n) {
    if (ec)
      return;
    asio::async_write(upstream_, asio::buffer(block_, n),
                      std::bind(&relay::on_written, shared_from_this(),
                                std::placeholders::_1, std::placeholders::_2));
  }
  void on_written(std::error_code ec, std::size_t) {
    if (ec)
      return;
    pause_.expires_after(std::chrono::milliseconds(10));
    pause_.async_wait(
        asio::bind_executor(strand_, std::bind_front(&relay::on_pause, shared_from_this())));
  }
  void on_pause(std::error_code) {
    asio::dispatch(strand_, [self = shared_from_this()] { self->finish(); });
  }
  void finish() {
    std::error_code ignored;
    client_.close(ignored);
    upstream_.close(ignored);
  }
};

// ---- expectations: each asynchronous operation is one step, numbered 1..N; a chain
// the member-chain rewrite handles gets its fix (test/lit/rewrite/asio-member-chain.cpp
// shows one), the others a note naming why not ----
// CHECK-MESSAGES: :27:25: warning: chain of 6 asynchronous steps spread across functions, starting in 'relay::start' (maximum is 4) [untangle-callback-nesting]
// CHECK-MESSAGES: :27:25: note: step 1: 'relay::start' continues asynchronously in 'relay::connect'
// CHECK-MESSAGES: :32:9: note: step 2: 'relay::connect' continues asynchronously in 'relay::on_connect'
// CHECK-MESSAGES: :41:11: note: step 3: 'relay::on_connect' continues asynchronously in 'relay::on_read'
// CHECK-MESSAGES: :48:23: note: step 4: 'relay::on_read' continues asynchronously in 'relay::on_written'
// CHECK-MESSAGES: :56:9: note: step 5: 'relay::on_written' continues asynchronously in 'relay::on_pause'
// CHECK-MESSAGES: :59:59: note: step 6: 'relay::on_pause' continues asynchronously in 'relay::finish'
// CHECK-MESSAGES: :27:5: note: no coroutine rewrite offered (flat-chain): the step of 'start' calls 'post', not an Asio async_* operation taking a completion token (co_await needs one)
