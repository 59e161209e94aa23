// A 3-deep callback pyramid for the language server test (tool/lsp.test). The comment
// before `later` is not ASCII: on that line LSP's UTF-16 columns are not byte columns.
#include <functional>
void read_file(std::function<void(int)> done);
void write_file(std::function<void(int)> done);
void later(std::function<void()> callback);

void pyramid() {
  read_file([](int) {
    write_file([](int) {
      /*ü😀*/ later([] {});
    });
  });
}
