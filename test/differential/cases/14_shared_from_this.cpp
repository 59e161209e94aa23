// differential: rewrite — shared_from_this keeps the session alive exactly as long as before.
#include "fake_io.hpp"
#include <memory>

class Session : public std::enable_shared_from_this<Session> {
public:
  explicit Session(int id) : id_(id) { std::printf("session %d created\n", id_); }
  ~Session() { std::printf("session %d destroyed\n", id_); }

  void start() {
    auto self = shared_from_this();
    io::read_file("request" + std::to_string(id_), [self](std::error_code ec, std::string text) {
      io::fetch("http://backend/" + text, [self](std::error_code ec, int status, std::string body) {
        io::save("session", status, [self, status](std::error_code ec) {
          std::printf("session %d replied %d\n", self->id_, status);
        });
      });
    });
  }

private:
  int id_;
};

int main() {
  io::start_ticker(8);
  std::make_shared<Session>(1)->start();
  std::make_shared<Session>(2)->start();
  std::printf("sessions started\n");
  io::loop().run();
}
