// differential: rewrite — inner callbacks capture locals of the outer callbacks by
// reference and by value.
#include "fake_io.hpp"

int main() {
  io::start_ticker(6);
  io::read_file("abcdefgh", [](std::error_code ec, std::string text) {
    std::string header = "[" + text + "]";
    int length = static_cast<int>(text.size());
    io::parse_number(text, [header, length](std::error_code ec, int n) {
      int scaled = n * length;
      io::save(header, scaled, [header, scaled](std::error_code ec) { std::printf("%s %d\n", header.c_str(), scaled); });
    });
  });
  io::loop().run();
}
