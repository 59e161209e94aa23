// differential auto: rewrite
// differential untangle: rewrite
// differential untangle: note (flat-chain) the step of 'run' hands the next member to an executor ('dispatch'), which only Asio's coroutine keeps
// differential untangle: note (flat-chain) the step of 'run' hands the next member to an executor ('dispatch'), which only Asio's coroutine keeps
// differential untangle: note (flat-chain) the step of 'start' hands the next member to an executor (bind_executor), which only Asio's coroutine keeps
// A Beast HTTP server on two threads in the style of Beast's examples, with strands: the
// acceptor and each accepted socket have a strand of their own; the listener's run() and
// each session's run() start with net::dispatch to that strand (the coroutine is
// co_spawned on it instead); a ticker binds every timer handler to its strand with
// net::bind_executor (the coroutine runs on that strand); two clients each send two
// requests on one connection. Every actor logs apart; the logs are printed in a fixed order.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::mutex log_mutex;
std::vector<std::string> server_log, ticker_log;
std::vector<std::string> client_logs[2];
tcp::acceptor *listening = nullptr;
int clients_done = 0;

void log_server(std::string line) {
  std::lock_guard<std::mutex> lock(log_mutex);
  server_log.push_back(std::move(line));
}

class session : public std::enable_shared_from_this<session> {
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;

public:
  explicit session(tcp::socket &&socket) : stream_(std::move(socket)) {}
  void run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&session::do_read, shared_from_this()));
  }
  void do_read() {
    req_ = {};
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, req_,
                     beast::bind_front_handler(&session::on_read, shared_from_this()));
  }
  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream)
      return do_close();
    if (ec)
      return log_server("read failed");
    log_server("served " + std::string(req_.target()));
    res_ = {http::status::ok, req_.version()};
    res_.body() = "page " + std::string(req_.target());
    res_.keep_alive(req_.keep_alive());
    res_.prepare_payload();
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&session::on_write, shared_from_this()));
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec)
      return log_server("write failed");
    if (res_.need_eof())
      return do_close();
    do_read();
  }
  void do_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
};

class listener : public std::enable_shared_from_this<listener> {
  net::io_context &io_;
  tcp::acceptor acceptor_;

public:
  explicit listener(net::io_context &io)
      : io_(io), acceptor_(net::make_strand(io), {net::ip::make_address("127.0.0.1"), 0}) {
    listening = &acceptor_;
  }
  tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }
  void run() {
    net::dispatch(acceptor_.get_executor(),
                  beast::bind_front_handler(&listener::do_accept, shared_from_this()));
  }
  void do_accept() {
    acceptor_.async_accept(net::make_strand(io_),
                           beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec)
      return;
    std::make_shared<session>(std::move(socket))->run();
    do_accept();
  }
};

class client : public std::enable_shared_from_this<client> {
  beast::tcp_stream stream_;
  tcp::endpoint server_;
  std::string name_;
  beast::flat_buffer buffer_;
  http::request<http::empty_body> req_;
  http::response<http::string_body> res_;
  std::vector<std::string> &log_;
  int sent_ = 0;

public:
  client(net::io_context &io, tcp::endpoint server, std::string name, std::vector<std::string> &log)
      : stream_(net::make_strand(io)), server_(server), name_(std::move(name)), log_(log) {}
  void run() {
    stream_.async_connect(server_, beast::bind_front_handler(&client::on_connect, shared_from_this()));
  }
  void on_connect(beast::error_code ec) {
    if (ec)
      return log_.push_back("connect failed");
    do_write();
  }
  void do_write() {
    ++sent_;
    req_ = {http::verb::get, "/" + name_ + "/" + std::to_string(sent_), 11};
    req_.keep_alive(sent_ < 2);
    http::async_write(stream_, req_, beast::bind_front_handler(&client::on_write, shared_from_this()));
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec)
      return log_.push_back("write failed");
    res_ = {};
    http::async_read(stream_, buffer_, res_,
                     beast::bind_front_handler(&client::on_read, shared_from_this()));
  }
  void on_read(beast::error_code ec, std::size_t) {
    if (ec)
      return log_.push_back("read failed");
    log_.push_back(std::to_string(res_.result_int()) + " " + res_.body());
    if (sent_ == 2)
      return finish();
    do_write();
  }
  void finish() {
    std::lock_guard<std::mutex> lock(log_mutex);
    if (++clients_done == 2)
      net::post(listening->get_executor(), [] { listening->close(); });
  }
};

class ticker : public std::enable_shared_from_this<ticker> {
  net::strand<net::io_context::executor_type> strand_;
  net::steady_timer timer_;
  int ticks_ = 0;

public:
  explicit ticker(net::io_context &io) : strand_(net::make_strand(io)), timer_(io) {}
  void start() {
    timer_.expires_after(std::chrono::milliseconds(2));
    timer_.async_wait(
        net::bind_executor(strand_, beast::bind_front_handler(&ticker::on_tick, shared_from_this())));
  }
  void on_tick(beast::error_code ec) {
    if (ec)
      return;
    ticker_log.push_back("tick " + std::to_string(++ticks_) +
                         (strand_.running_in_this_thread() ? " on the strand" : " elsewhere"));
    if (ticks_ == 3)
      return;
    timer_.expires_after(std::chrono::milliseconds(2));
    timer_.async_wait(
        net::bind_executor(strand_, beast::bind_front_handler(&ticker::on_tick, shared_from_this())));
  }
};

int main() {
  net::io_context io;
  auto server = std::make_shared<listener>(io);
  server->run();
  std::make_shared<client>(io, server->endpoint(), "a", client_logs[0])->run();
  std::make_shared<client>(io, server->endpoint(), "b", client_logs[1])->run();
  std::make_shared<ticker>(io)->start();
  std::thread helper([&io] { io.run(); });
  io.run();
  helper.join();
  std::sort(server_log.begin(), server_log.end());
  for (const std::string &line : server_log)
    std::printf("server: %s\n", line.c_str());
  for (int i = 0; i < 2; ++i)
    for (const std::string &line : client_logs[i])
      std::printf("client %d: %s\n", i, line.c_str());
  for (const std::string &line : ticker_log)
    std::printf("ticker: %s\n", line.c_str());
}
