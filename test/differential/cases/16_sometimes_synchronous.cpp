// differential: rewrite — lookup calls back synchronously on a cache hit and later on a
// miss; the order of events must not change either way.
#include "fake_io.hpp"

void chain(int first) {
  std::printf("chain %d begins\n", first);
  io::lookup(first, [first](int a) {
    std::printf("chain %d: a=%d\n", first, a);
    io::lookup(a / 10 + 1, [first, a](int b) {
      std::printf("chain %d: b=%d\n", first, b);
      io::lookup(b / 10, [first, a, b](int c) { std::printf("chain %d: c=%d sum=%d\n", first, c, a + b + c); });
    });
  });
  std::printf("chain %d returned\n", first);
}

int main() {
  io::start_ticker(6);
  chain(2);
  chain(3);
  chain(4);
  io::loop().run();
}
