// differential: rewrite — callbacks with three parameters become structured bindings.
#include "fake_io.hpp"

int main() {
  io::start_ticker(6);
  io::fetch("http://odd", [](std::error_code ec, int status, std::string body) {
    if (ec) return;
    std::printf("first %d %s\n", status, body.c_str());
    io::fetch("http://even", [status](std::error_code ec, int second_status, std::string body) {
      std::printf("second %d %s\n", second_status, body.c_str());
      io::fetch("http://down", [status, second_status](std::error_code ec, int third, std::string body) {
        std::printf("third failed: %s (%d %d)\n", ec ? "yes" : "no", status, second_status);
      });
    });
  });
  io::loop().run();
}
