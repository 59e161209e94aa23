// differential auto: note (flat-chain) 'on_sent' is also used outside the chain
// differential untangle: note (flat-chain) 'on_sent' is also used outside the chain
// A flat chain whose middle step is also used as a value outside the chain (a probe
// handler kept in a std::function): removing it would break that use, so the file stays
// byte-identical with a note. The server is synchronous, on a thread of its own.
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>
#include <boost/asio.hpp>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

std::vector<std::string> client_log;

class sender : public std::enable_shared_from_this<sender> {
  tcp::socket socket_;
  tcp::endpoint server_;
  std::string reply_;
  int sends_ = 0;
  std::function<void(error_code, std::size_t)> probe_;

public:
  sender(net::io_context &io, tcp::endpoint server) : socket_(io), server_(server) {}
  void start() {
    socket_.async_connect(server_, std::bind_front(&sender::on_connect, shared_from_this()));
  }
  void keep_probe() { probe_ = std::bind_front(&sender::on_sent, shared_from_this()); }

private:
  void on_connect(error_code ec) {
    if (ec)
      return;
    ++sends_;
    net::async_write(socket_, net::buffer(std::string("ping\n")),
                     std::bind_front(&sender::on_sent, shared_from_this()));
  }
  void on_sent(error_code ec, std::size_t n) {
    if (ec)
      return;
    client_log.push_back("sent " + std::to_string(n) + " (send " + std::to_string(sends_) + ")");
    net::async_read(socket_, net::dynamic_buffer(reply_),
                    std::bind_front(&sender::on_reply, shared_from_this()));
  }
  void on_reply(error_code ec, std::size_t n) {
    client_log.push_back("reply " + std::to_string(n) + " bytes");
  }
};

int main() {
  net::io_context io;
  tcp::acceptor acceptor(io, {net::ip::make_address("127.0.0.1"), 0});
  std::thread server([&acceptor] {
    tcp::socket peer = acceptor.accept();
    std::string line;
    net::read_until(peer, net::dynamic_buffer(line), '\n');
    net::write(peer, net::buffer("pong\n", 5));
  });
  auto client = std::make_shared<sender>(io, acceptor.local_endpoint());
  client->keep_probe();
  client->start();
  io.run();
  server.join();
  client.reset();
  for (const std::string &line : client_log)
    std::printf("client: %s\n", line.c_str());
}
