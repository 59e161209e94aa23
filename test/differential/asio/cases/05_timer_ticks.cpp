// differential auto: rewrite
// differential untangle: rewrite
// differential untangle: note (flat-chain) 'ec' would hide the loop's variable
// Timer-driven: a client connects, then on every tick of a steady_timer writes a line to
// the server, three times (on_tick -> on_written -> on_tick: the loop comes back through
// an operation, so its results live across rounds); the server's session reads lines in
// a loop with handlers that are lambdas capturing shared_from_this().
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>
#include <boost/asio.hpp>

namespace net = boost::asio;
using tcp = net::ip::tcp;

std::vector<std::string> server_log, client_log;

class line_reader : public std::enable_shared_from_this<line_reader> {
  tcp::socket socket_;
  std::string buffer_;

public:
  explicit line_reader(tcp::socket socket) : socket_(std::move(socket)) {}
  void start() {
    net::async_read_until(socket_, net::dynamic_buffer(buffer_), '\n',
                          [self = shared_from_this()](boost::system::error_code ec,
                                                      std::size_t n) { self->on_line(ec, n); });
  }

private:
  void on_line(boost::system::error_code ec, std::size_t n) {
    if (ec) {
      server_log.push_back("reader done");
      return;
    }
    server_log.push_back("line " + buffer_.substr(0, n - 1));
    buffer_.erase(0, n);
    start();
  }
};

class ticker : public std::enable_shared_from_this<ticker> {
  tcp::socket socket_;
  net::steady_timer timer_;
  tcp::endpoint server_;
  std::string line_;
  int ticks_ = 0;

public:
  ticker(net::io_context &io, tcp::endpoint server) : socket_(io), timer_(io), server_(server) {}
  void start() {
    socket_.async_connect(server_, std::bind_front(&ticker::on_connect, shared_from_this()));
  }

private:
  void on_connect(boost::system::error_code ec) {
    if (ec)
      return;
    client_log.push_back("connected");
    timer_.expires_after(std::chrono::milliseconds(2));
    timer_.async_wait(std::bind_front(&ticker::on_tick, shared_from_this()));
  }
  void on_tick(boost::system::error_code ec) {
    if (ec)
      return;
    line_ = "tick " + std::to_string(++ticks_) + "\n";
    net::async_write(socket_, net::buffer(line_),
                     std::bind_front(&ticker::on_written, shared_from_this()));
  }
  void on_written(boost::system::error_code ec, std::size_t n) {
    if (ec)
      return;
    client_log.push_back("wrote " + std::to_string(n));
    if (ticks_ == 3) {
      socket_.close();
      return;
    }
    timer_.expires_after(std::chrono::milliseconds(2));
    timer_.async_wait(std::bind_front(&ticker::on_tick, shared_from_this()));
  }
};

int main() {
  net::io_context io;
  tcp::acceptor acceptor(io, {net::ip::make_address("127.0.0.1"), 0});
  tcp::socket peer(io);
  acceptor.async_accept(peer, [&](boost::system::error_code ec) {
    if (!ec)
      std::make_shared<line_reader>(std::move(peer))->start();
  });
  std::make_shared<ticker>(io, acceptor.local_endpoint())->start();
  io.run();
  for (const std::string &line : server_log)
    std::printf("server: %s\n", line.c_str());
  for (const std::string &line : client_log)
    std::printf("client: %s\n", line.c_str());
}
