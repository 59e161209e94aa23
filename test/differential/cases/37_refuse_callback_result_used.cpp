// differential: refuse (the API uses the callback's result) — poll_until calls again while
// the callback returns true.
#include "fake_io.hpp"

int main() {
  io::start_ticker(6);
  io::read_file("abc", [](std::error_code ec, std::string text) {
    io::parse_number(text, [](std::error_code ec, int n) {
      io::poll_until([n](int attempt) {
        std::printf("poll %d of %d\n", attempt, n);
        return attempt + 1 < n;
      });
    });
  });
  io::loop().run();
}
