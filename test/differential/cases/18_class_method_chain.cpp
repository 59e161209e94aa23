// differential: rewrite — a chain in a const method and a static method of a class.
#include "fake_io.hpp"

struct Reporter {
  std::string prefix;

  void report(const std::string& path) const {
    io::read_file(path, [this, path](std::error_code ec, std::string text) {
      io::parse_number(text, [this, path](std::error_code ec, int n) {
        io::wait_ms(1, [this, path, n]() { std::printf("%s%s=%d\n", prefix.c_str(), path.c_str(), n); });
      });
    });
  }

  static void ping(int times) {
    io::wait_ms(1, [times]() {
      io::lookup(times, [times](int v) {
        io::wait_ms(1, [times, v]() { std::printf("ping %d -> %d\n", times, v); });
      });
    });
  }
};

int main() {
  io::start_ticker(6);
  Reporter r{"> "};
  r.report("abc");
  Reporter::ping(9);
  io::loop().run();
}
