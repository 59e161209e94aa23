// differential: rewrite — a chain in a member function using members through implicit this.
#include "fake_io.hpp"

class Importer {
public:
  explicit Importer(std::string name) : name_(std::move(name)) {}

  void run(const std::string& path) {
    io::read_file(path, [this](std::error_code ec, std::string text) {
      if (ec) return fail("read");
      ++steps_;
      io::parse_number(text, [this](std::error_code ec, int n) {
        if (ec) return fail("parse");
        ++steps_;
        last_ = n;
        io::save(name_, n, [this](std::error_code ec) {
          ++steps_;
          report();
        });
      });
    });
  }

private:
  void fail(const char* what) { std::printf("%s: %s failed\n", name_.c_str(), what); }
  void report() const { std::printf("%s: %d steps, last %d\n", name_.c_str(), steps_, last_); }

  std::string name_;
  int steps_ = 0;
  int last_ = 0;
};

int main() {
  io::start_ticker(6);
  Importer a("alpha"), b("beta");
  a.run("x.txt");
  b.run("missing.txt");
  io::loop().run();
}
