// differential: rewrite — four levels, the last one a timer.
#include "fake_io.hpp"

int main() {
  io::start_ticker(8);
  io::read_file("numbers.txt", [](std::error_code ec, std::string text) {
    std::printf("read %s\n", text.c_str());
    io::parse_number(text, [](std::error_code ec, int n) {
      std::printf("parsed %d\n", n);
      io::save("total", n * 2, [n](std::error_code ec) {
        std::printf("saved %d\n", n * 2);
        io::wait_ms(2, [n]() { std::printf("done with %d\n", n); });
      });
    });
  });
  io::loop().run();
}
