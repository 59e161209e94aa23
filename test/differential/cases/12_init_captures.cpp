// differential: rewrite — init-captures, including a moved-from shared_ptr.
#include "fake_io.hpp"
#include <memory>

int main() {
  io::start_ticker(6);
  auto owned = std::make_shared<int>(7);
  std::string prefix = "job";
  io::read_file("input", [tag = prefix + "-1", value = std::move(owned)](std::error_code ec, std::string text) mutable {
    int v = *value;
    io::parse_number(text, [tag, v](std::error_code ec, int n) {
      io::save(tag, v + n, [tag](std::error_code ec) { std::printf("%s finished\n", tag.c_str()); });
    });
  });
  std::printf("owned moved: %s\n", owned ? "no" : "yes");
  io::loop().run();
}
