// differential: rewrite — a by-value capture of a variable the enclosing function changes
// after starting the chain: the chain must keep seeing the old value.
#include "fake_io.hpp"

int attempt = 0;

void start(std::string label) {
  int local_attempt = ++attempt;
  io::read_file(label, [label, local_attempt](std::error_code ec, std::string text) {
    io::parse_number(text, [label, local_attempt](std::error_code ec, int n) {
      io::wait_ms(1, [label, local_attempt, n]() { std::printf("%s: attempt %d, n %d\n", label.c_str(), local_attempt, n); });
    });
  });
  local_attempt = 99;
  label = "changed";
  std::printf("started, local now %d %s\n", local_attempt, label.c_str());
}

int main() {
  io::start_ticker(6);
  start("first");
  start("second");
  io::loop().run();
}
