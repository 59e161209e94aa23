// differential: rewrite — a lambda stored in a local and called in place, and an
// immediately invoked lambda, inside the callbacks.
#include "fake_io.hpp"

int main() {
  io::start_ticker(6);
  io::read_file("abcd", [](std::error_code ec, std::string text) {
    auto describe = [](const std::string& s) { return "<" + s + ">"; };
    std::printf("read %s\n", describe(text).c_str());
    io::parse_number(text, [describe](std::error_code ec, int n) {
      int doubled = [n] { return n * 2; }();
      io::wait_ms(1, [describe, doubled]() { std::printf("%s\n", describe(std::to_string(doubled)).c_str()); });
    });
  });
  io::loop().run();
}
