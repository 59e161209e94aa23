// differential: rewrite — the error branches actually run: failures at each level.
#include "fake_io.hpp"

void attempt(const std::string& path, int bias) {
  io::read_file(path, [path, bias](std::error_code ec, std::string text) {
    if (ec) {
      std::printf("%s: %s\n", path.c_str(), ec.message().c_str());
      return;
    }
    io::parse_number(bias < 0 ? "x" + text : text, [path, bias](std::error_code ec, int n) {
      if (ec) {
        std::printf("%s: parse: %s\n", path.c_str(), ec.message().c_str());
        return;
      }
      io::save(path, n + bias, [path](std::error_code ec) {
        std::printf("%s: save: %s\n", path.c_str(), ec ? ec.message().c_str() : "ok");
      });
    });
  });
}

int main() {
  io::start_ticker(8);
  attempt("missing-file", 0);
  attempt("bad", -1);
  attempt("negative", -100);
  attempt("fine", 1);
  io::loop().run();
}
