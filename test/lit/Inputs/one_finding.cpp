#include <functional>
void read_file(std::function<void(int)> done);
void write_file(std::function<void(int)> done);
void later(std::function<void()> callback);

void pyramid() {
  read_file([](int) {
    write_file([](int) {
      later([] {});
    });
  });
}
