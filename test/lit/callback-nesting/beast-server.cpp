// A Beast HTTP server on the real headers: a listener on a strand hands each socket to a
// session; the session answers through a helper object whose templated operator()
// starts the write. The chain runs through the helper (no separate shorter chain), and
// net::dispatch/net::post to a strand and net::bind_executor count as one step each.
// Starting the session (`make_shared<http_session>(...)->run()`) starts a chain of its
// own: the listener's and the session's chains are reported apart (MaxChainLength 1).
// RUN: %check_untangle %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxChainLength: 1}}"
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <string>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Echoes the request target; `send` is whatever the session gives it.
template <class Body, class Allocator, class Send>
void handle_request(http::request<Body, http::basic_fields<Allocator>> &&request,
                    Send &&send) {
  http::response<http::string_body> response{http::status::ok, request.version()};
  response.body() = std::string(request.target());
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  send(std::move(response));
}

class http_session : public std::enable_shared_from_this<http_session> {
  // Keeps the response alive while it is written, then continues in on_write.
  struct sender {
    http_session &session;
    template <bool IsRequest, class Body, class Fields>
    void operator()(http::message<IsRequest, Body, Fields> &&message) const {
      auto kept = std::make_shared<http::message<IsRequest, Body, Fields>>(std::move(message));
      session.response_ = kept;
      http::async_write(session.stream_, *kept,
                        beast::bind_front_handler(&http_session::on_write,
                                                  session.shared_from_this(),
                                                  kept->need_eof()));
    }
  };

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::shared_ptr<void> response_;
  sender send_{*this};

public:
  explicit http_session(tcp::socket &&socket) : stream_(std::move(socket)) {}

  void run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&http_session::do_read, shared_from_this()));
  }
  void do_read() {
    request_ = {};
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, request_,
                     beast::bind_front_handler(&http_session::on_read, shared_from_this()));
  }
  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream)
      return do_close();
    if (ec)
      return;
    handle_request(std::move(request_), send_);
  }
  void on_write(bool close, beast::error_code ec, std::size_t) {
    if (ec)
      return;
    if (close)
      return do_close();
    response_ = nullptr;
    do_read();
  }
  void do_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
};

// Accepts on a strand; after each connection, a short pause before the next accept.
class listener : public std::enable_shared_from_this<listener> {
  net::io_context &io_;
  tcp::acceptor acceptor_;
  net::strand<net::io_context::executor_type> strand_;
  net::steady_timer pause_;

public:
  listener(net::io_context &io, tcp::endpoint at)
      : io_(io), acceptor_(io, at), strand_(net::make_strand(io)), pause_(io) {}

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
    std::make_shared<http_session>(std::move(socket))->run();
    pause_.expires_after(std::chrono::milliseconds(1));
    pause_.async_wait(net::bind_executor(strand_, [self = shared_from_this()](beast::error_code) {
      self->do_accept();
    }));
  }
};

// ---- expectations: each asynchronous operation is one step, numbered 1..N; a chain
// the member-chain rewrite handles gets its fix (test/lit/rewrite/asio-member-chain.cpp
// shows one), the others a note naming why not ----
// CHECK-MESSAGES: :62:19: warning: chain of 3 asynchronous steps spread across functions, starting in 'http_session::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :62:19: note: step 1: 'http_session::run' continues asynchronously in 'http_session::do_read'
// CHECK-MESSAGES: :68:22: note: step 2: 'http_session::do_read' continues asynchronously in 'http_session::on_read'
// CHECK-MESSAGES: :75:5: note: 'http_session::on_read' calls 'handle_request', which continues the chain
// CHECK-MESSAGES: :33:3: note: 'handle_request' calls 'http_session::sender::operator()', which continues the chain
// CHECK-MESSAGES: :45:25: note: step 3: 'http_session::sender::operator()' continues asynchronously in 'http_session::on_write'
// CHECK-MESSAGES: :61:5: note: no coroutine rewrite offered (flat-chain): the step of 'run' calls 'dispatch', not an Asio async_* operation taking a completion token (co_await needs one)
// CHECK-MESSAGES: :103:24: warning: chain of 2 asynchronous steps spread across functions, starting in 'listener::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :103:24: note: step 1: 'listener::run' continues asynchronously in 'listener::do_accept'
// CHECK-MESSAGES: :107:28: note: step 2: 'listener::do_accept' continues asynchronously in 'listener::on_accept'
// CHECK-MESSAGES: :103:5: note: no coroutine rewrite offered (flat-chain): the step of 'run' calls 'post', not an Asio async_* operation taking a completion token (co_await needs one)
