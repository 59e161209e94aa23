// differential: refuse (goto) — a callback body with a label and goto.
#include "fake_io.hpp"

int main() {
  io::start_ticker(6);
  io::read_file("abc", [](std::error_code ec, std::string text) {
    int tries = 0;
  again:
    if (++tries < 3) goto again;
    io::parse_number(text, [tries](std::error_code ec, int n) {
      io::wait_ms(1, [tries, n]() { std::printf("%d tries, %d\n", tries, n); });
    });
  });
  io::loop().run();
}
