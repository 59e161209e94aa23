// differential: rewrite — `value` is a string at one level and an int at the next, and the
// innermost level still uses the outer `label`.
#include "fake_io.hpp"

int main() {
  io::start_ticker(6);
  std::string label = "L";
  io::read_file("value-file", [label](std::error_code ec, std::string value) {
    std::printf("%s string value %s\n", label.c_str(), value.c_str());
    io::parse_number(value, [label](std::error_code ec, int value) {
      std::printf("%s int value %d\n", label.c_str(), value + 1);
      io::wait_ms(1, [label, value]() { std::printf("%s still %d\n", label.c_str(), value); });
    });
  });
  io::loop().run();
}
