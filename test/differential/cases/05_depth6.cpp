// differential: rewrite — six levels of waits and reads.
#include "fake_io.hpp"

int main() {
  io::start_ticker(12);
  int base = 100;
  io::wait_ms(1, [base]() {
    std::printf("level 1\n");
    io::read_file("abc", [base](std::error_code ec, std::string a) {
      std::printf("level 2: %s\n", a.c_str());
      io::wait_ms(1, [base, a]() {
        std::printf("level 3\n");
        io::read_file("abcdef", [base, a](std::error_code ec, std::string b) {
          std::printf("level 4: %s\n", b.c_str());
          io::parse_number(a + b, [base](std::error_code ec, int n) {
            std::printf("level 5: %d\n", n);
            io::save("sum", base + n, [](std::error_code ec) { std::printf("level 6: %s\n", ec ? "error" : "saved"); });
          });
        });
      });
    });
  });
  io::loop().run();
}
