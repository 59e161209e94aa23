// differential auto: rewrite
// differential untangle: rewrite
// Standalone Asio (libasio-dev, namespace asio, no alias), the same TCP echo as 01: an accept loop (do_accept ->
// on_accept -> do_accept), a session's read/write loop (do_read -> on_read -> on_write ->
// do_read) and a client whose steps are bound with std::bind_front, std::bind and a lambda
// capturing shared_from_this(). Each side logs apart; main prints the logs in a fixed order.
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>
#include <asio.hpp>


using asio::ip::tcp;
using error_code = asio::error_code;

std::vector<std::string> server_log, client_log;
tcp::acceptor *listening = nullptr;

class session : public std::enable_shared_from_this<session> {
  tcp::socket socket_;
  char data_[64];
  int echoed_ = 0;

public:
  explicit session(tcp::socket socket) : socket_(std::move(socket)) {}
  void start() { do_read(); }

private:
  void do_read() {
    socket_.async_read_some(asio::buffer(data_),
                            std::bind_front(&session::on_read, shared_from_this()));
  }
  void on_read(error_code ec, std::size_t n) {
    if (ec) {
      server_log.push_back("session ends after " + std::to_string(echoed_) + " echoes");
      return;
    }
    server_log.push_back("read " + std::string(data_, n));
    asio::async_write(socket_, asio::buffer(data_, n),
                     std::bind_front(&session::on_write, shared_from_this()));
  }
  void on_write(error_code ec, std::size_t n) {
    if (ec)
      return;
    ++echoed_;
    server_log.push_back("echoed " + std::to_string(n));
    do_read();
  }
};

class listener : public std::enable_shared_from_this<listener> {
  tcp::acceptor acceptor_;

public:
  explicit listener(asio::io_context &io) : acceptor_(io, {asio::ip::make_address("127.0.0.1"), 0}) {
    listening = &acceptor_;
  }
  tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }
  void do_accept() {
    acceptor_.async_accept(std::bind_front(&listener::on_accept, shared_from_this()));
  }

private:
  void on_accept(error_code ec, tcp::socket socket) {
    if (ec) {
      server_log.push_back("listener closed");
      return;
    }
    server_log.push_back("accepted");
    std::make_shared<session>(std::move(socket))->start();
    do_accept();
  }
};

class client : public std::enable_shared_from_this<client> {
  tcp::socket socket_;
  tcp::endpoint server_;
  std::string message_, reply_;

public:
  client(asio::io_context &io, tcp::endpoint server, std::string message)
      : socket_(io), server_(server), message_(std::move(message)) {}
  void run() {
    client_log.push_back("connecting");
    socket_.async_connect(server_, std::bind_front(&client::on_connect, shared_from_this()));
  }

private:
  void on_connect(error_code ec) {
    if (ec)
      return fail(ec, "connect");
    asio::async_write(socket_, asio::buffer(message_),
                     std::bind(&client::on_sent, shared_from_this(), std::placeholders::_1,
                               std::placeholders::_2));
  }
  void on_sent(error_code ec, std::size_t n) {
    if (ec)
      return fail(ec, "write");
    client_log.push_back("sent " + std::to_string(n));
    asio::async_read(socket_, asio::dynamic_buffer(reply_), asio::transfer_exactly(n),
                    [self = shared_from_this()](error_code ec, std::size_t n) {
                      self->on_reply(ec, n);
                    });
  }
  void on_reply(error_code ec, std::size_t n) {
    if (ec)
      return fail(ec, "read");
    client_log.push_back("reply " + reply_ + " (" + std::to_string(n) + ")");
    socket_.close();
    listening->close();
  }
  void fail(error_code ec, const char *what) { client_log.push_back(std::string(what) + " failed"); }
};

int main() {
  asio::io_context io;
  auto server = std::make_shared<listener>(io);
  server->do_accept();
  std::make_shared<client>(io, server->endpoint(), "hello")->run();
  io.run();
  for (const std::string &line : server_log)
    std::printf("server: %s\n", line.c_str());
  for (const std::string &line : client_log)
    std::printf("client: %s\n", line.c_str());
}
