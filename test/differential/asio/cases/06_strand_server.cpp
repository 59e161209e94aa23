// differential auto: rewrite
// differential untangle: rewrite
// A server on two threads: each accepted socket gets a strand of its own
// (async_accept(net::make_strand(io), ...)), so a session's steps never run at once; the
// coroutine runs on the socket's executor, the same strand. Two clients talk to it; each
// actor logs to its own list, printed in a fixed order.
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>
#include <boost/asio.hpp>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

std::mutex log_mutex;
std::vector<std::string> sessions_log;
std::vector<std::string> client_logs[2];
tcp::acceptor *listening = nullptr;
int finished = 0;

class upper_session : public std::enable_shared_from_this<upper_session> {
  tcp::socket socket_;
  std::string data_;

public:
  explicit upper_session(tcp::socket socket) : socket_(std::move(socket)) {}
  void start() {
    net::async_read_until(socket_, net::dynamic_buffer(data_), '\n',
                          std::bind_front(&upper_session::on_read, shared_from_this()));
  }

private:
  void on_read(error_code ec, std::size_t n) {
    if (ec)
      return;
    for (char &c : data_)
      c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    {
      std::lock_guard<std::mutex> lock(log_mutex);
      sessions_log.push_back("upper-cased " + std::to_string(n) + " bytes");
    }
    net::async_write(socket_, net::buffer(data_),
                     std::bind_front(&upper_session::on_write, shared_from_this()));
  }
  void on_write(error_code ec, std::size_t) {
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
  }
};

class strand_listener : public std::enable_shared_from_this<strand_listener> {
  net::io_context &io_;
  tcp::acceptor acceptor_;

public:
  explicit strand_listener(net::io_context &io)
      : io_(io), acceptor_(net::make_strand(io), {net::ip::make_address("127.0.0.1"), 0}) {
    listening = &acceptor_;
  }
  tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }
  void accept() {
    acceptor_.async_accept(net::make_strand(io_),
                           std::bind_front(&strand_listener::on_accept, shared_from_this()));
  }

private:
  void on_accept(error_code ec, tcp::socket socket) {
    if (ec)
      return;
    std::make_shared<upper_session>(std::move(socket))->start();
    accept();
  }
};

class caller : public std::enable_shared_from_this<caller> {
  tcp::socket socket_;
  tcp::endpoint server_;
  std::string text_, reply_;
  std::vector<std::string> &log_;

public:
  caller(net::io_context &io, tcp::endpoint server, std::string text, std::vector<std::string> &log)
      : socket_(net::make_strand(io)), server_(server), text_(std::move(text)), log_(log) {}
  void start() {
    socket_.async_connect(server_, std::bind_front(&caller::on_connect, shared_from_this()));
  }

private:
  void on_connect(error_code ec) {
    if (ec)
      return;
    net::async_write(socket_, net::buffer(text_),
                     std::bind_front(&caller::on_sent, shared_from_this()));
  }
  void on_sent(error_code ec, std::size_t) {
    if (ec)
      return;
    net::async_read(socket_, net::dynamic_buffer(reply_),
                    std::bind_front(&caller::on_reply, shared_from_this()));
  }
  void on_reply(error_code ec, std::size_t n) {
    log_.push_back("reply " + reply_.substr(0, reply_.size() - 1) + " (" + std::to_string(n) + ")");
    std::lock_guard<std::mutex> lock(log_mutex);
    if (++finished == 2)
      net::post(listening->get_executor(), [] { listening->close(); });
  }
};

int main() {
  net::io_context io;
  auto server = std::make_shared<strand_listener>(io);
  server->accept();
  std::make_shared<caller>(io, server->endpoint(), "first\n", client_logs[0])->start();
  std::make_shared<caller>(io, server->endpoint(), "second\n", client_logs[1])->start();
  std::thread helper([&io] { io.run(); });
  io.run();
  helper.join();
  std::printf("sessions: %zu lines logged\n", sessions_log.size());
  for (int i = 0; i < 2; ++i)
    for (const std::string &line : client_logs[i])
      std::printf("client %d: %s\n", i, line.c_str());
}
