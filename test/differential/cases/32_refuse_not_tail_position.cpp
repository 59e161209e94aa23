// differential: refuse (not in tail position) — a statement after the inner call runs
// before its callback fires; a coroutine would run it after.
#include "fake_io.hpp"

int main() {
  io::start_ticker(6);
  io::read_file("abc", [](std::error_code ec, std::string text) {
    io::parse_number(text, [](std::error_code ec, int n) {
      io::save("n", n, [](std::error_code ec) { std::printf("saved\n"); });
      std::printf("save requested\n");
    });
    std::printf("parse requested\n");
  });
  io::loop().run();
}
