// differential: rewrite — synchronous lambdas (a std::sort comparator, std::for_each)
// between two asynchronous levels are copied as they are.
#include "fake_io.hpp"
#include <algorithm>
#include <vector>

int main() {
  io::start_ticker(6);
  io::read_file("scores", [](std::error_code ec, std::string text) {
    std::vector<int> values{5, 3, 9, 1};
    std::sort(values.begin(), values.end(), [](int a, int b) { return a > b; });
    io::parse_number(text, [values](std::error_code ec, int n) {
      int sum = 0;
      std::for_each(values.begin(), values.end(), [&sum](int v) { sum += v; });
      io::save("sum", sum + n, [values](std::error_code ec) {
        for (int v : values) std::printf("%d ", v);
        std::printf("\n");
      });
    });
  });
  io::loop().run();
}
