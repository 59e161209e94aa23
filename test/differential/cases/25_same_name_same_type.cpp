// differential: rewrite — every level names its error `ec` (same type).
#include "fake_io.hpp"

int main() {
  io::start_ticker(6);
  io::read_file("file-one", [](std::error_code ec, std::string text) {
    std::printf("read: %s\n", ec ? "error" : "ok");
    io::parse_number(text + "x", [](std::error_code ec, int n) {
      std::printf("parse: %s\n", ec ? "error" : "ok");
      io::save("k", n, [](std::error_code ec) { std::printf("save: %s\n", ec ? "error" : "ok"); });
    });
  });
  io::loop().run();
}
