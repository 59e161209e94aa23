// differential: rewrite — default captures [=] and [&] mixed with explicit ones.
#include "fake_io.hpp"

int main() {
  io::start_ticker(6);
  int total = 0;
  const int bonus = 5;
  std::string name = "scores";
  io::read_file(name, [=, &total](std::error_code ec, std::string text) {
    io::parse_number(text, [=, &total](std::error_code ec, int n) {
      total += n + bonus;
      io::save(name, total, [&total, name](std::error_code ec) { std::printf("%s saved, total %d\n", name.c_str(), total); });
    });
  });
  io::loop().run();
  std::printf("total %d\n", total);
}
