// differential: rewrite — the outermost asynchronous call is the runtime's own post.
#include "fake_io.hpp"

int main() {
  io::start_ticker(6);
  io::loop().post([]() {
    std::printf("posted\n");
    io::read_file("posted-file", [](std::error_code ec, std::string text) {
      io::parse_number(text, [](std::error_code ec, int n) { std::printf("posted chain %d\n", n); });
    });
  });
  io::loop().run();
}
