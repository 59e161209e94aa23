// differential: rewrite — a flat chain of member functions over a callback API (not Asio): one member coroutine of the runtime.
#include "fake_io.hpp"
#include <functional>
#include <memory>

using namespace std::placeholders;

// run -> on_read -> on_fetch -> on_save -(pause)-> on_wait -> on_parse: five
// asynchronous steps, each handler a bound member (std::bind, std::bind_front, or a
// lambda keeping the object alive), each starting the next step last.
class Fetcher : public std::enable_shared_from_this<Fetcher> {
public:
  Fetcher(int id, std::string host) : id_(id), host_(std::move(host)) {
    std::printf("fetcher %d created\n", id_);
  }
  ~Fetcher() { std::printf("fetcher %d destroyed\n", id_); }

  void run(const std::string& name) {
    std::printf("fetcher %d starts\n", id_);
    io::read_file(name, std::bind(&Fetcher::on_read, shared_from_this(), _1, _2));
  }

private:
  void on_read(std::error_code ec, std::string text) {
    if (ec) {
      std::printf("fetcher %d: read failed\n", id_);
      return;
    }
    io::fetch("http://" + host_ + "/" + text,
              [self = shared_from_this()](std::error_code ec, int status, std::string body) {
                self->on_fetch(ec, status, body);
              });
  }

  void on_fetch(std::error_code ec, int status, std::string body) {
    if (ec)
      return report("fetch", ec);
    std::printf("fetcher %d got %d: %s\n", id_, status, body.c_str());
    io::save("fetcher" + std::to_string(id_), status,
             std::bind_front(&Fetcher::on_save, shared_from_this()));
  }

  void on_save(std::error_code ec) {
    std::printf("fetcher %d saved (%s)\n", id_, ec ? "error" : "ok");
    pause();
  }

  void pause() { io::wait_ms(id_, std::bind(&Fetcher::on_wait, shared_from_this())); }

  void on_wait() {
    int waited = id_;
    std::printf("fetcher %d waited %d\n", id_, waited);
    io::parse_number(std::to_string(waited * 7),
                     std::bind(&Fetcher::on_parse, shared_from_this(), _1, _2));
  }

  void on_parse(std::error_code, int number) {
    std::printf("fetcher %d parsed %d\n", id_, number);
  }

  void report(const char* what, std::error_code ec) {
    std::printf("fetcher %d: %s failed: %s\n", id_, what, ec.message().c_str());
  }

  int id_;
  std::string host_;
};

int main() {
  io::start_ticker(8);
  std::make_shared<Fetcher>(1, "backend")->run("request1");
  std::make_shared<Fetcher>(2, "backend")->run("missing");
  std::make_shared<Fetcher>(3, "down")->run("request3");
  std::make_shared<Fetcher>(4, "backend")->run("req4");
  std::printf("fetchers started\n");
  io::loop().run();
}
