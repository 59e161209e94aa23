// A callback pyramid that untangle rewrites into a coroutine. The code holds what HTML
// must escape: <, >, &, " and a <script> that must stay text.
#include <functional>
#include <string>
#include <system_error>

void read_file(const std::string &path, std::function<void(std::error_code, std::string)> done);
void parse(const std::string &text, std::function<void(std::error_code, int)> done);
void save(int value, std::function<void(std::error_code)> done);

void load(const std::string &path) {
  read_file(path, [](std::error_code ec, std::string text) {
    if (ec && text.size() < 2) return;
    parse(text + "<script>alert(\"&amp;\")</script>", [](std::error_code ec, int n) {
      save(n, [](std::error_code) {});
    });
  });
}
