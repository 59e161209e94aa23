#include "rewrite_api.h"

void load(const std::string &path) {
  read_file(path, [](std::error_code ec, std::string text) {
    if (ec) return;
    parse(text, [](std::error_code ec, int n) { save(n, [](std::error_code) {}); });
  });
}
