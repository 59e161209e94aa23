#include <functional>
void read_file(std::function<void(int)> done) { done(1); }
void write_file(std::function<void(int)> done) { done(2); }
void later(std::function<void()> callback) { callback(); }

void pyramid() {
  read_file([](int) {
    write_file([](int) {
      later([] {});
    });
  });
}
