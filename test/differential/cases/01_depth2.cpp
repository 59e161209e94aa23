// differential: rewrite — the shortest chain: read, then parse.
#include "fake_io.hpp"

void load(const std::string& path) {
  io::read_file(path, [](std::error_code ec, std::string text) {
    if (ec) return;
    io::parse_number(text, [](std::error_code ec, int n) {
      if (!ec) std::printf("parsed %d\n", n);
    });
  });
  std::printf("load started\n");
}

int main() {
  io::start_ticker(4);
  load("report.txt");
  io::loop().run();
}
