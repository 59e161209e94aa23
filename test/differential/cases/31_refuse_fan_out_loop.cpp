// differential: refuse (fan-out) — a loop starts several chains at once; making them
// sequential would change the program.
#include "fake_io.hpp"
#include <vector>

int main() {
  io::start_ticker(6);
  std::vector<std::string> files{"a", "bb", "ccc"};
  for (const auto& f : files) {
    io::read_file(f, [f](std::error_code ec, std::string text) {
      io::parse_number(text, [f](std::error_code ec, int n) {
        io::save(f, n, [f](std::error_code ec) { std::printf("%s saved\n", f.c_str()); });
      });
    });
  }
  io::loop().run();
}
