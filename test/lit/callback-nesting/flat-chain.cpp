// Flat chains: continuations spread across member functions (MaxChainLength).
// RUN: %check_untangle %s untangle-callback-nesting %t -- -- -I %inputs
// RUN: %check_untangle -check-suffix=LONGER %s untangle-callback-nesting %t \
// RUN:   -- --config="{CheckOptions: {untangle-callback-nesting.MaxChainLength: 5}}" -- -I %inputs
#include "fake_beast.h"

// run -> on_run -> on_handshake -(do_read)-> on_read -> on_write -(do_read)-> ...
class Session : public std::enable_shared_from_this<Session> {
  Stream stream_;

public:
  void run() {
    dispatch(beast::bind_front_handler(&Session::on_run, shared_from_this()));
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: chain of 5 asynchronous steps spread across functions, starting in 'Session::run' (maximum is 4) [untangle-callback-nesting]
    // CHECK-MESSAGES: :[[@LINE-2]]:14: note: step 1: 'Session::run' continues asynchronously in 'Session::on_run'
    // CHECK-MESSAGES: :24:9: note: step 2: 'Session::on_run' continues asynchronously in 'Session::on_handshake'
    // CHECK-MESSAGES: :29:5: note: 'Session::on_handshake' calls 'Session::do_read', which continues the chain
    // CHECK-MESSAGES: :33:9: note: step 3: 'Session::do_read' continues asynchronously in 'Session::on_read'
    // CHECK-MESSAGES: :39:9: note: step 4: 'Session::on_read' continues asynchronously in 'Session::on_write'
    // CHECK-MESSAGES: :45:9: note: step 5: 'Session::on_write' continues asynchronously in 'Session::on_shutdown'
  }
  void on_run() {
    stream_.async_handshake(
        beast::bind_front_handler(&Session::on_handshake, shared_from_this()));
  }
  void on_handshake(std::error_code ec) {
    if (ec)
      return;
    do_read();
  }
  void do_read() {
    stream_.async_read(
        beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }
  void on_read(std::error_code ec, std::size_t) {
    if (ec)
      return;
    stream_.async_write(
        beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }
  void on_write(std::error_code ec, std::size_t) {
    if (!ec)
      return do_read();
    stream_.async_shutdown(
        beast::bind_front_handler(&Session::on_shutdown, shared_from_this()));
  }
  void on_shutdown(std::error_code) {}
};

// Three steps are within the default maximum.
struct ShortSession : std::enable_shared_from_this<ShortSession> {
  Stream stream_;
  void start() {
    stream_.async_read(std::bind_front(&ShortSession::on_read, shared_from_this()));
  }
  void on_read(std::error_code, std::size_t) {
    stream_.async_write(std::bind_front(&ShortSession::on_write, shared_from_this()));
  }
  void on_write(std::error_code, std::size_t) {
    stream_.async_shutdown([self = shared_from_this()](std::error_code) {});
  }
};

// The fake API is not Asio: the rewrite of a member chain (Asio's coroutines only) says why not.
// CHECK-MESSAGES: :12:8: note: no coroutine rewrite offered (flat-chain): the chain's first member does not end with an Asio operation whose handler is the next member (bind_front_handler, std::bind_front, std::bind with placeholders, or a lambda capturing shared_from_this() that calls it)
