// differential: rewrite — the chain lives inside a lambda stored in a variable and called
// twice.
#include "fake_io.hpp"

int main() {
  io::start_ticker(6);
  auto start = [](const std::string& path) {
    io::read_file(path, [path](std::error_code ec, std::string text) {
      io::parse_number(text, [path](std::error_code ec, int n) {
        io::wait_ms(1, [path, n]() { std::printf("%s=%d\n", path.c_str(), n); });
      });
    });
  };
  start("one");
  start("three");
  io::loop().run();
}
