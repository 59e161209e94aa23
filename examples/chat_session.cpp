// A chat server session in Asio/Beast style: no lambda pyramid, but each step is a
// member function that starts the next operation with a bound member function.
// The callback hell is spread across the class: accept -> greet -> read -> broadcast
// -> read again, with a shutdown path.
//
// untangle reports the flat chain (MaxChainLength) with a note per step.
#include <untangle/runtime.hpp>

#include <deque>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>

// A tiny fake socket: operations complete on the event loop.
class FakeSocket {
public:
  explicit FakeSocket(untangle::EventLoop &loop) : loop_(loop) {}

  void async_handshake(std::function<void(std::error_code)> handler) {
    loop_.post([handler = std::move(handler)] { handler({}); });
  }
  void async_read_line(std::function<void(std::error_code, std::string)> handler) {
    loop_.post([this, handler = std::move(handler)] {
      if (incoming_.empty())
        return handler(std::make_error_code(std::errc::connection_reset), "");
      std::string line = incoming_.front();
      incoming_.pop_front();
      handler({}, line);
    });
  }
  void async_write(std::string data, std::function<void(std::error_code)> handler) {
    loop_.post([data = std::move(data), handler = std::move(handler)] {
      std::cout << "> " << data;
      handler({});
    });
  }
  void async_close(std::function<void(std::error_code)> handler) {
    loop_.post([handler = std::move(handler)] { handler({}); });
  }

  std::deque<std::string> incoming_{"hello\n", "how is everyone?\n"};

private:
  untangle::EventLoop &loop_;
};

class ChatSession : public std::enable_shared_from_this<ChatSession> {
public:
  ChatSession(untangle::EventLoop &loop, std::string name)
      : loop_(loop), socket_(loop), name_(std::move(name)) {}

  void start() {
    loop_.post(std::bind_front(&ChatSession::on_accept, shared_from_this()));
  }

private:
  void on_accept() {
    socket_.async_handshake(std::bind_front(&ChatSession::on_handshake, shared_from_this()));
  }
  void on_handshake(std::error_code ec) {
    if (ec)
      return close();
    socket_.async_write("welcome, " + name_ + "\n",
                        std::bind_front(&ChatSession::on_greeted, shared_from_this()));
  }
  void on_greeted(std::error_code ec) {
    if (ec)
      return close();
    do_read();
  }
  void do_read() {
    socket_.async_read_line(std::bind_front(&ChatSession::on_line, shared_from_this()));
  }
  void on_line(std::error_code ec, std::string line) {
    if (ec)
      return close();
    socket_.async_write("[" + name_ + "] " + line,
                        std::bind_front(&ChatSession::on_broadcast, shared_from_this()));
  }
  void on_broadcast(std::error_code ec) {
    if (ec)
      return close();
    do_read();
  }
  void close() {
    socket_.async_close(std::bind_front(&ChatSession::on_closed, shared_from_this()));
  }
  void on_closed(std::error_code) { std::cout << name_ << " left\n"; }

  untangle::EventLoop &loop_;
  FakeSocket socket_;
  std::string name_;
};

int main() {
  untangle::EventLoop loop;
  std::make_shared<ChatSession>(loop, "ada")->start();
  loop.run();
}
