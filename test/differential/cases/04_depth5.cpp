// differential: rewrite — five levels mixing every kind of operation.
#include "fake_io.hpp"

void pipeline(int key) {
  io::lookup(key, [key](int cached) {
    std::printf("lookup %d -> %d\n", key, cached);
    io::read_file("file" + std::to_string(cached), [cached](std::error_code ec, std::string text) {
      if (ec) return;
      io::parse_number(text, [cached](std::error_code ec, int n) {
        if (ec) return;
        io::fetch("http://svc/" + std::to_string(n + cached), [n](std::error_code ec, int status, std::string body) {
          std::printf("fetch %d %s\n", status, body.c_str());
          io::save("status", status, [n](std::error_code ec) { std::printf("pipeline %d done: %s\n", n, ec ? "error" : "ok"); });
        });
      });
    });
  });
}

int main() {
  io::start_ticker(10);
  pipeline(3);
  io::loop().run();
}
