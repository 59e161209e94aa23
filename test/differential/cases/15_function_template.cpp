// differential: rewrite — a chain inside a function template, instantiated twice.
#include "fake_io.hpp"

template <class T>
void announce(T label, int delay) {
  io::wait_ms(delay, [label, delay]() {
    io::read_file("template-file", [label](std::error_code ec, std::string text) {
      io::parse_number(text, [label](std::error_code ec, int n) { std::printf("%s -> %d\n", std::to_string(label).c_str(), n); });
    });
  });
}

template <>
void announce<const char*>(const char* label, int delay) {
  io::wait_ms(delay, [label]() { std::printf("plain %s\n", label); });
}

int main() {
  io::start_ticker(6);
  announce(42, 1);
  announce(2.5, 2);
  announce("text", 1);
  io::loop().run();
}
