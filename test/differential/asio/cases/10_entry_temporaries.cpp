// differential auto: rewrite
// differential auto: note (asio-refused) 'server' is a pointer the coroutine would read after run() returns
// differential untangle: rewrite
// What a caller passes to the entry and no longer keeps once the entry returned (issue 13):
// co_spawn starts Asio's coroutine only after a post, while the original operation read
// its arguments when it started. Three clients of a TCP echo server, Boost.Asio:
//   - by_name::run(const char *host, const char *port), called with C strings of buffers
//     the caller changes right after run() returns (the Asio form copies them into
//     std::string parameters);
//   - by_ref::run(const std::string &host, const std::string &port), called with
//     std::string temporaries (the Asio form copies them);
//   - by_pointer::run(const tcp::endpoint *server), called with the address of an endpoint
//     the caller changes right after (the Asio form is refused; auto takes the runtime's,
//     which starts the connect where it stood).
// A coroutine that read them late would resolve or connect to something else and log it.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>
#include <boost/asio.hpp>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

std::vector<std::string> server_log, name_log, ref_log, pointer_log;
tcp::acceptor *listening = nullptr;
int sessions_ended = 0;

class session : public std::enable_shared_from_this<session> {
  tcp::socket socket_;
  char data_[64];

public:
  explicit session(tcp::socket socket) : socket_(std::move(socket)) {}
  void start() { do_read(); }

private:
  void do_read() {
    socket_.async_read_some(net::buffer(data_),
                            std::bind_front(&session::on_read, shared_from_this()));
  }
  void on_read(error_code ec, std::size_t n) {
    if (ec) {
      if (++sessions_ended == 3)
        listening->close();
      return;
    }
    server_log.push_back("echo " + std::string(data_, n));
    net::async_write(socket_, net::buffer(data_, n),
                     std::bind_front(&session::on_write, shared_from_this()));
  }
  void on_write(error_code ec, std::size_t) {
    if (ec)
      return;
    do_read();
  }
};

class listener : public std::enable_shared_from_this<listener> {
  tcp::acceptor acceptor_;

public:
  explicit listener(net::io_context &io) : acceptor_(io, {net::ip::make_address("127.0.0.1"), 0}) {
    listening = &acceptor_;
  }
  tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }
  void do_accept() {
    acceptor_.async_accept(std::bind_front(&listener::on_accept, shared_from_this()));
  }

private:
  void on_accept(error_code ec, tcp::socket socket) {
    if (ec)
      return;
    std::make_shared<session>(std::move(socket))->start();
    do_accept();
  }
};

// What the clients share after connecting: say their name, read it back, close.
class exchange {
protected:
  tcp::socket socket_;
  std::string name_, reply_;
  std::vector<std::string> &log_;

  exchange(net::io_context &io, std::string name, std::vector<std::string> &log)
      : socket_(io), name_(std::move(name)), log_(log) {}
  void close(error_code ec, const char *what) {
    log_.push_back(ec ? std::string(what) + " failed" : "reply " + reply_);
    socket_.close();
  }
};

class by_name : public exchange, public std::enable_shared_from_this<by_name> {
  tcp::resolver resolver_;

public:
  explicit by_name(net::io_context &io) : exchange(io, "name", name_log), resolver_(io) {}
  void run(const char *host, const char *port) {
    log_.push_back(std::string("resolving ") + host);
    resolver_.async_resolve(host, port, std::bind_front(&by_name::on_resolve, shared_from_this()));
  }

private:
  void on_resolve(error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return close(ec, "resolve");
    net::async_connect(socket_, results, std::bind_front(&by_name::on_connect, shared_from_this()));
  }
  void on_connect(error_code ec, tcp::endpoint) {
    if (ec)
      return close(ec, "connect");
    net::async_write(socket_, net::buffer(name_), std::bind_front(&by_name::on_sent, shared_from_this()));
  }
  void on_sent(error_code ec, std::size_t n) {
    if (ec)
      return close(ec, "write");
    net::async_read(socket_, net::dynamic_buffer(reply_), net::transfer_exactly(n),
                    std::bind_front(&by_name::on_reply, shared_from_this()));
  }
  void on_reply(error_code ec, std::size_t) { close(ec, "read"); }
};

class by_ref : public exchange, public std::enable_shared_from_this<by_ref> {
  tcp::resolver resolver_;

public:
  explicit by_ref(net::io_context &io) : exchange(io, "ref", ref_log), resolver_(io) {}
  void run(const std::string &host, const std::string &port) {
    log_.push_back("resolving " + host);
    resolver_.async_resolve(host, port, std::bind_front(&by_ref::on_resolve, shared_from_this()));
  }

private:
  void on_resolve(error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return close(ec, "resolve");
    net::async_connect(socket_, results, std::bind_front(&by_ref::on_connect, shared_from_this()));
  }
  void on_connect(error_code ec, tcp::endpoint) {
    if (ec)
      return close(ec, "connect");
    net::async_write(socket_, net::buffer(name_), std::bind_front(&by_ref::on_sent, shared_from_this()));
  }
  void on_sent(error_code ec, std::size_t n) {
    if (ec)
      return close(ec, "write");
    net::async_read(socket_, net::dynamic_buffer(reply_), net::transfer_exactly(n),
                    std::bind_front(&by_ref::on_reply, shared_from_this()));
  }
  void on_reply(error_code ec, std::size_t) { close(ec, "read"); }
};

class by_pointer : public exchange, public std::enable_shared_from_this<by_pointer> {
public:
  explicit by_pointer(net::io_context &io) : exchange(io, "pointer", pointer_log) {}
  void run(const tcp::endpoint *server) {
    log_.push_back("connecting");
    socket_.async_connect(*server, std::bind_front(&by_pointer::on_connect, shared_from_this()));
  }

private:
  void on_connect(error_code ec) {
    if (ec)
      return close(ec, "connect");
    net::async_write(socket_, net::buffer(name_),
                     std::bind_front(&by_pointer::on_sent, shared_from_this()));
  }
  void on_sent(error_code ec, std::size_t n) {
    if (ec)
      return close(ec, "write");
    net::async_read(socket_, net::dynamic_buffer(reply_), net::transfer_exactly(n),
                    std::bind_front(&by_pointer::on_reply, shared_from_this()));
  }
  void on_reply(error_code ec, std::size_t) { close(ec, "read"); }
};

int main() {
  net::io_context io;
  auto server = std::make_shared<listener>(io);
  server->do_accept();
  const std::string port = std::to_string(server->endpoint().port());
  {
    // The caller's buffers change once run() returned: the resolve must have read them.
    std::string host = "127.0.0.1", service = port;
    std::make_shared<by_name>(io)->run(host.c_str(), service.c_str());
    host.assign("no-such-host.invalid");
    service.assign("1");
  }
  std::make_shared<by_ref>(io)->run(std::string("127.0.0.1"), std::string(port));
  tcp::endpoint target = server->endpoint();
  std::make_shared<by_pointer>(io)->run(&target);
  target = tcp::endpoint(net::ip::make_address("127.0.0.1"), 1);
  io.run();
  std::sort(server_log.begin(), server_log.end());
  for (const std::string &line : server_log)
    std::printf("server: %s\n", line.c_str());
  for (const auto *log : {&name_log, &ref_log, &pointer_log})
    for (const std::string &line : *log)
      std::printf("client: %s\n", line.c_str());
}
