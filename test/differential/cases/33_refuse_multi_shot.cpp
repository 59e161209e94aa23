// differential: refuse (multi-shot) — subscribe calls its callback once per message.
#include "fake_io.hpp"

int main() {
  io::start_ticker(6);
  io::subscribe("news", [](std::string message) {
    io::read_file(message, [message](std::error_code ec, std::string text) {
      io::parse_number(text, [message](std::error_code ec, int n) { std::printf("%s: %d\n", message.c_str(), n); });
    });
  });
  io::loop().run();
}
