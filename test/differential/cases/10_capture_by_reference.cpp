// differential: rewrite — by-reference captures see later changes, as before.
#include "fake_io.hpp"

int main() {
  io::start_ticker(6);
  int progress = 0;
  std::string status = "idle";
  io::read_file("data.bin", [&progress, &status](std::error_code ec, std::string text) {
    progress = 1;
    io::parse_number(text, [&progress, &status](std::error_code ec, int n) {
      progress = 2;
      io::save("n", n, [&progress, &status](std::error_code ec) {
        progress = 3;
        std::printf("status seen by the chain: %s\n", status.c_str());
      });
    });
  });
  status = "running";
  io::loop().post([&progress] { std::printf("progress at first post: %d\n", progress); });
  io::loop().run();
  std::printf("final progress %d\n", progress);
}
