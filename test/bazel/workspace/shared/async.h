// Asynchronous functions of a made-up I/O library, and a pyramid in an inline function.
// Both libraries include this header: its finding is in both of their reports, and once
// in the merged one.
#pragma once
#include <functional>
#include <string>

void read_file(const std::string &path, std::function<void(int, std::string)> done);
void write_file(const std::string &path, const std::string &data,
                std::function<void(int)> done);
void later(std::function<void()> callback);

inline void copy_later(const std::string &from, const std::string &to) {
  read_file(from, [to](int, std::string text) {
    write_file(to, text, [](int) {
      later([] {}); // FINDING: untangle-callback-nesting
    });
  });
}
