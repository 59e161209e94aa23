// differential: rewrite — two chains interleaving on one loop with a third stream of posts.
#include "fake_io.hpp"

void worker(const char* name, const std::string& path) {
  io::read_file(path, [name](std::error_code ec, std::string text) {
    std::printf("%s read %s\n", name, text.c_str());
    io::parse_number(text, [name](std::error_code ec, int n) {
      std::printf("%s parsed %d\n", name, n);
      io::fetch("http://x/" + std::to_string(n), [name](std::error_code ec, int status, std::string body) {
        std::printf("%s fetched %d\n", name, status);
      });
    });
  });
}

int main() {
  io::start_ticker(8);
  worker("A", "one");
  worker("B", "three");
  io::loop().run();
}
