// Callback APIs for the rewrite tests. Definitions are visible where a test needs the
// tool to look inside (multi-shot, promise ordering); the runtime is not included, so the
// fix adds `#include <untangle/runtime.hpp>`.
#pragma once
#include <functional>
#include <string>
#include <system_error>
#include <vector>

void read_file(const std::string &path, std::function<void(std::error_code, std::string)> done);
void parse(const std::string &text, std::function<void(std::error_code, int)> done);
void save(int value, std::function<void(std::error_code)> done);
void wait(int ms, std::function<void()> done);
void fetch(const std::string &url, std::function<void(std::error_code, int, std::string)> callback);
void subscribe(const std::string &topic, std::function<void(std::string)> on_message);
void poll(std::function<bool(int)> callback);

// Multi-shot by its definition: the callback is called from a loop.
inline void for_lines(const std::string &text, std::function<void(std::string)> on_line) {
  for (char c : text) on_line(std::string(1, c));
}
