// differential: rewrite — seven nested timers.
#include "fake_io.hpp"

int main() {
  io::start_ticker(16);
  io::wait_ms(1, []() {
    std::printf("1\n");
    io::wait_ms(1, []() {
      std::printf("2\n");
      io::wait_ms(1, []() {
        std::printf("3\n");
        io::wait_ms(1, []() {
          std::printf("4\n");
          io::wait_ms(1, []() {
            std::printf("5\n");
            io::wait_ms(1, []() {
              std::printf("6\n");
              io::wait_ms(1, []() { std::printf("7\n"); });
            });
          });
        });
      });
    });
  });
  io::loop().run();
}
