// differential auto: rewrite
// differential untangle: rewrite
// An HTTP exchange over 127.0.0.1 with Boost.Beast, in the style of Beast's examples: a
// server whose session reads requests and writes responses in a loop (do_read -> on_read
// -> on_write -> do_read, handlers bound with beast::bind_front_handler) and a client
// that resolves, connects, writes a GET and reads the answer.
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::vector<std::string> server_log, client_log;
tcp::acceptor *listening = nullptr;

class http_session : public std::enable_shared_from_this<http_session> {
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;

public:
  explicit http_session(tcp::socket socket) : stream_(std::move(socket)) {}
  void run() { do_read(); }

private:
  void do_read() {
    req_ = {};
    http::async_read(stream_, buffer_, req_,
                     beast::bind_front_handler(&http_session::on_read, shared_from_this()));
  }
  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) {
      server_log.push_back("client closed");
      return close();
    }
    if (ec)
      return;
    server_log.push_back("request " + std::string(req_.target()));
    res_ = {};
    res_.result(http::status::ok);
    res_.version(req_.version());
    res_.keep_alive(true);
    res_.body() = "hello from " + std::string(req_.target());
    res_.prepare_payload();
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&http_session::on_write, shared_from_this()));
  }
  void on_write(beast::error_code ec, std::size_t bytes) {
    if (ec)
      return;
    server_log.push_back("response written");
    do_read();
  }
  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
};

class listener : public std::enable_shared_from_this<listener> {
  tcp::acceptor acceptor_;

public:
  explicit listener(net::io_context &io) : acceptor_(io, {net::ip::make_address("127.0.0.1"), 0}) {
    listening = &acceptor_;
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  void run() { do_accept(); }

private:
  void do_accept() {
    acceptor_.async_accept(beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec) {
      server_log.push_back("listener closed");
      return;
    }
    std::make_shared<http_session>(std::move(socket))->run();
    do_accept();
  }
};

class http_client : public std::enable_shared_from_this<http_client> {
  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::empty_body> req_;
  http::response<http::string_body> res_;

public:
  explicit http_client(net::io_context &io) : resolver_(io), stream_(io) {}
  void run(std::string host, std::string port, std::string target) {
    req_.method(http::verb::get);
    req_.target(target);
    req_.set(http::field::host, host);
    resolver_.async_resolve(host, port,
                            beast::bind_front_handler(&http_client::on_resolve, shared_from_this()));
  }

private:
  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return fail(ec, "resolve");
    stream_.async_connect(results,
                          beast::bind_front_handler(&http_client::on_connect, shared_from_this()));
  }
  void on_connect(beast::error_code ec, tcp::resolver::results_type::endpoint_type) {
    if (ec)
      return fail(ec, "connect");
    http::async_write(stream_, req_,
                      beast::bind_front_handler(&http_client::on_write, shared_from_this()));
  }
  void on_write(beast::error_code ec, std::size_t bytes) {
    if (ec)
      return fail(ec, "write");
    client_log.push_back("request sent");
    http::async_read(stream_, buffer_, res_,
                     beast::bind_front_handler(&http_client::on_read, shared_from_this()));
  }
  void on_read(beast::error_code ec, std::size_t bytes) {
    if (ec)
      return fail(ec, "read");
    client_log.push_back(std::to_string(res_.result_int()) + " " + res_.body());
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    listening->close();
  }
  void fail(beast::error_code ec, const char *what) {
    client_log.push_back(std::string(what) + ": " + ec.message());
  }
};

int main() {
  net::io_context io;
  auto server = std::make_shared<listener>(io);
  server->run();
  std::make_shared<http_client>(io)->run("127.0.0.1", std::to_string(server->port()), "/index");
  io.run();
  for (const std::string &line : server_log)
    std::printf("server: %s\n", line.c_str());
  for (const std::string &line : client_log)
    std::printf("client: %s\n", line.c_str());
}
