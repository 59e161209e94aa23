#include "shared/async.h"

// Synchronous stand-ins: the workspace links and runs; the analysis sees only the header.
void read_file(const std::string &path, std::function<void(int, std::string)> done) {
  done(0, path);
}
void write_file(const std::string &, const std::string &, std::function<void(int)> done) {
  done(0);
}
void later(std::function<void()> callback) { callback(); }
