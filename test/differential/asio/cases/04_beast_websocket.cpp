// differential auto: rewrite
// differential untangle: rewrite
// A WebSocket echo over 127.0.0.1 with Boost.Beast: the server's session accepts the
// handshake, then echoes in a loop (on_accept calls do_read; do_read -> on_read ->
// on_write -> do_read); the client resolves, connects, handshakes, sends two messages in
// turn, reads each echo and closes.
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::vector<std::string> server_log, client_log;
tcp::acceptor *listening = nullptr;

class ws_session : public std::enable_shared_from_this<ws_session> {
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;

public:
  explicit ws_session(tcp::socket socket) : ws_(std::move(socket)) {}
  void run() {
    ws_.async_accept(beast::bind_front_handler(&ws_session::on_accept, shared_from_this()));
  }

private:
  void on_accept(beast::error_code ec) {
    if (ec)
      return;
    server_log.push_back("handshake accepted");
    do_read();
  }
  void do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&ws_session::on_read, shared_from_this()));
  }
  void on_read(beast::error_code ec, std::size_t n) {
    if (ec == websocket::error::closed) {
      server_log.push_back("closed by the client");
      return;
    }
    if (ec)
      return;
    server_log.push_back("echo " + beast::buffers_to_string(buffer_.data()));
    ws_.text(ws_.got_text());
    ws_.async_write(buffer_.data(),
                    beast::bind_front_handler(&ws_session::on_write, shared_from_this()));
  }
  void on_write(beast::error_code ec, std::size_t n) {
    if (ec)
      return;
    buffer_.consume(buffer_.size());
    do_read();
  }
};

class listener : public std::enable_shared_from_this<listener> {
  tcp::acceptor acceptor_;

public:
  explicit listener(net::io_context &io) : acceptor_(io, {net::ip::make_address("127.0.0.1"), 0}) {
    listening = &acceptor_;
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  void do_accept() {
    acceptor_.async_accept(beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }

private:
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec)
      return;
    std::make_shared<ws_session>(std::move(socket))->run();
    do_accept();
  }
};

class ws_client : public std::enable_shared_from_this<ws_client> {
  tcp::resolver resolver_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::string host_;

public:
  explicit ws_client(net::io_context &io) : resolver_(io), ws_(io) {}
  void run(std::string host, std::string port) {
    host_ = host;
    resolver_.async_resolve(host, port,
                            beast::bind_front_handler(&ws_client::on_resolve, shared_from_this()));
  }

private:
  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return;
    beast::get_lowest_layer(ws_).async_connect(
        results, beast::bind_front_handler(&ws_client::on_connect, shared_from_this()));
  }
  void on_connect(beast::error_code ec, tcp::resolver::results_type::endpoint_type ep) {
    if (ec)
      return;
    ws_.async_handshake(host_ + ":" + std::to_string(ep.port()), "/",
                        beast::bind_front_handler(&ws_client::on_handshake, shared_from_this()));
  }
  void on_handshake(beast::error_code ec) {
    if (ec)
      return;
    client_log.push_back("connected");
    ws_.async_write(net::buffer(std::string("first")),
                    beast::bind_front_handler(&ws_client::on_first_sent, shared_from_this()));
  }
  void on_first_sent(beast::error_code ec, std::size_t n) {
    if (ec)
      return;
    ws_.async_read(buffer_, beast::bind_front_handler(&ws_client::on_first_echo, shared_from_this()));
  }
  void on_first_echo(beast::error_code ec, std::size_t n) {
    if (ec)
      return;
    client_log.push_back("got " + beast::buffers_to_string(buffer_.data()));
    buffer_.consume(n);
    ws_.async_write(net::buffer(std::string("second")),
                    beast::bind_front_handler(&ws_client::on_second_sent, shared_from_this()));
  }
  void on_second_sent(beast::error_code ec, std::size_t n) {
    if (ec)
      return;
    ws_.async_read(buffer_, beast::bind_front_handler(&ws_client::on_second_echo, shared_from_this()));
  }
  void on_second_echo(beast::error_code ec, std::size_t n) {
    if (ec)
      return;
    client_log.push_back("got " + beast::buffers_to_string(buffer_.data()));
    ws_.async_close(websocket::close_code::normal,
                    beast::bind_front_handler(&ws_client::on_close, shared_from_this()));
  }
  void on_close(beast::error_code ec) {
    client_log.push_back(ec ? "close failed" : "closed");
    listening->close();
  }
};

int main() {
  net::io_context io;
  auto server = std::make_shared<listener>(io);
  server->do_accept();
  std::make_shared<ws_client>(io)->run("127.0.0.1", std::to_string(server->port()));
  io.run();
  for (const std::string &line : server_log)
    std::printf("server: %s\n", line.c_str());
  for (const std::string &line : client_log)
    std::printf("client: %s\n", line.c_str());
}
