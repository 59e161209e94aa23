// differential: rewrite — both branches of an if/else continue the chain.
#include "fake_io.hpp"

void route(int key) {
  io::lookup(key, [key](int value) {
    if (value > 25) {
      io::fetch("http://big/" + std::to_string(value), [key](std::error_code ec, int status, std::string body) {
        std::printf("%d: big %d %s\n", key, status, body.c_str());
      });
    } else {
      io::save("small", value, [key, value](std::error_code ec) { std::printf("%d: small %d saved\n", key, value); });
    }
  });
}

int main() {
  io::start_ticker(6);
  route(2);
  route(7);
  io::loop().run();
}
