// differential: refuse (co_await in a catch handler) — the chain continues from a catch
// block, where co_await is not allowed.
#include "fake_io.hpp"
#include <stdexcept>

int main() {
  io::start_ticker(6);
  io::read_file("abc", [](std::error_code ec, std::string text) {
    try {
      if (text.size() < 5) throw std::runtime_error("short");
    } catch (const std::exception& e) {
      io::parse_number(text, [](std::error_code ec, int n) {
        io::wait_ms(1, [n]() { std::printf("recovered %d\n", n); });
      });
    }
  });
  io::loop().run();
}
