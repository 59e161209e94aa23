// differential: rewrite — an API taking a template completion handler.
#include "fake_io.hpp"

int main() {
  io::start_ticker(6);
  std::string word = "deferred";
  io::defer([word]() {
    std::printf("1 %s\n", word.c_str());
    io::defer([word]() {
      std::printf("2 %s\n", word.c_str());
      io::defer([word]() { std::printf("3 %s\n", word.c_str()); });
    });
  });
  io::loop().run();
}
