// differential: rewrite — early returns in the middle of callback bodies.
#include "fake_io.hpp"

void check(const std::string& path, int limit) {
  io::read_file(path, [path, limit](std::error_code ec, std::string text) {
    if (ec) {
      std::printf("%s: no file\n", path.c_str());
      return;
    }
    if (text.size() > 3) {
      std::printf("%s: too long\n", path.c_str());
      return;
    }
    io::parse_number(text, [path, limit](std::error_code ec, int n) {
      if (ec) return;
      if (n > limit) {
        std::printf("%s: %d over limit\n", path.c_str(), n);
        return;
      }
      io::save(path, n, [path](std::error_code ec) { std::printf("%s: saved\n", path.c_str()); });
    });
  });
}

int main() {
  io::start_ticker(6);
  check("short", 10);
  check("a-much-longer-name", 5);
  check("missing", 1);
  check("tiny.txt", 3);
  io::loop().run();
}
