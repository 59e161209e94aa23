// differential: rewrite — callbacks without parameters: co_await yields void.
#include "fake_io.hpp"

int main() {
  io::start_ticker(10);
  int rounds = 0;
  io::wait_ms(2, [&rounds]() {
    ++rounds;
    std::printf("after 2 ms\n");
    io::wait_ms(1, [&rounds]() {
      ++rounds;
      std::printf("after 3 ms\n");
      io::wait_ms(0, [&rounds]() {
        ++rounds;
        std::printf("after 3 ms again, rounds %d\n", rounds);
      });
    });
  });
  io::loop().run();
}
