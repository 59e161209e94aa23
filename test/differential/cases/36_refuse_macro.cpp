// differential: refuse (macro) — part of the chain comes from a macro expansion.
#include "fake_io.hpp"

#define THEN_SAVE(value) io::save("m", value, [](std::error_code ec) { std::printf("saved by macro\n"); })

int main() {
  io::start_ticker(6);
  io::read_file("abc", [](std::error_code ec, std::string text) {
    io::parse_number(text, [](std::error_code ec, int n) { THEN_SAVE(n); });
  });
  io::loop().run();
}
