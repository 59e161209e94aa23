// differential: rewrite — error-first callbacks with an early return at each level.
#include "fake_io.hpp"

void import_file(const std::string& path) {
  io::read_file(path, [path](std::error_code ec, std::string text) {
    if (ec) {
      std::printf("%s: read failed: %s\n", path.c_str(), ec.message().c_str());
      return;
    }
    io::parse_number(text, [path](std::error_code ec, int n) {
      if (ec) {
        std::printf("%s: parse failed\n", path.c_str());
        return;
      }
      io::save(path, n, [path, n](std::error_code ec) {
        if (ec) return;
        std::printf("%s: imported %d\n", path.c_str(), n);
      });
    });
  });
}

int main() {
  io::start_ticker(6);
  import_file("a.csv");
  import_file("missing.csv");
  io::loop().run();
}
