// differential: rewrite — the enclosing function keeps going after starting the chain and
// returns a value; its callers are unchanged.
#include "fake_io.hpp"

int begin_upload(const std::string& name) {
  int id = static_cast<int>(name.size());
  io::read_file(name, [id](std::error_code ec, std::string text) {
    io::parse_number(text, [id](std::error_code ec, int n) {
      io::save("upload", id * n, [id](std::error_code ec) { std::printf("upload %d stored\n", id); });
    });
  });
  std::printf("upload %d queued\n", id);
  return id;
}

int main() {
  io::start_ticker(6);
  int a = begin_upload("first");
  int b = begin_upload("second-one");
  std::printf("ids %d %d\n", a, b);
  io::loop().run();
}
