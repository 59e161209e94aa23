// fake_io.hpp — the callback-style "I/O" API the differential programs are written against.
//
// Every operation completes later on the one global untangle::EventLoop (some after a timer,
// some after a post, `lookup` synchronously on a cache hit), with error-first
// std::function completion handlers, as real callback libraries do. `start_ticker` adds an
// independent stream of posts whose lines interleave with a program's own output: a rewrite
// that adds or removes a loop hop anywhere shows up as a reordered line.
#pragma once

#include <untangle/runtime.hpp>

#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace io {

inline untangle::EventLoop& loop() {
  static untangle::EventLoop the_loop;
  return the_loop;
}

// A fake millisecond lasts 20 real ones. The ticker's dozen loop turns take microseconds, so
// a timer fires after them even when a loaded machine stalls the process for a while; with
// real 1 ms timers, a stall reordered "tick" lines against timer callbacks now and then,
// in the original and the rewrite alike, and the comparison failed for no fault of the rewrite.
inline constexpr std::chrono::milliseconds fake_ms{20};

inline std::error_code not_found() { return std::make_error_code(std::errc::no_such_file_or_directory); }
inline std::error_code bad_input() { return std::make_error_code(std::errc::invalid_argument); }

// Files whose name starts with "missing" do not exist; every other file holds its name's
// length as text.
inline void read_file(const std::string& path, std::function<void(std::error_code, std::string)> done) {
  loop().post([path, done = std::move(done)] {
    if (path.rfind("missing", 0) == 0)
      done(not_found(), "");
    else
      done({}, std::to_string(path.size()));
  });
}

inline void parse_number(const std::string& text, std::function<void(std::error_code, int)> done) {
  loop().post([text, done = std::move(done)] {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
      done(bad_input(), 0);
    else
      done({}, std::stoi(text));
  });
}

// Completes after one fake millisecond; negative values are refused.
inline void save(const std::string& key, int value, std::function<void(std::error_code)> done) {
  loop().set_timeout(fake_ms, [key, value, done = std::move(done)] {
    if (value < 0) return done(bad_input());
    std::printf("  [store] %s = %d\n", key.c_str(), value);
    done({});
  });
}

inline void wait_ms(int ms, std::function<void()> done) {
  loop().set_timeout(ms * fake_ms, std::move(done));
}

// An HTTP-like request: error, status and body.
inline void fetch(const std::string& url, std::function<void(std::error_code, int, std::string)> callback) {
  loop().post([url, callback = std::move(callback)] {
    if (url.find("down") != std::string::npos)
      callback(std::make_error_code(std::errc::connection_refused), 0, "");
    else
      callback({}, url.size() % 2 ? 200 : 404, "<" + url + ">");
  });
}

// Calls back synchronously, before returning, when the key is cached; later otherwise.
inline std::map<int, int>& lookup_cache() {
  static std::map<int, int> cache{{2, 20}, {4, 40}};
  return cache;
}
inline void lookup(int key, std::function<void(int)> cb) {
  auto hit = lookup_cache().find(key);
  if (hit != lookup_cache().end()) return cb(hit->second);
  loop().post([key, cb = std::move(cb)] {
    lookup_cache()[key] = key * 10;
    cb(key * 10);
  });
}

// A template completion handler, as header-only libraries take them.
template <class Handler>
void defer(Handler handler) {
  loop().post(std::move(handler));
}

// Multi-shot: calls back once per message.
inline void subscribe(const std::string& topic, std::function<void(std::string)> on_message) {
  for (int i = 0; i < 2; ++i)
    loop().post([topic, i, on_message] { on_message(topic + "#" + std::to_string(i)); });
}

// The callback's result is used by the API: true asks for one more call.
inline void poll_step(std::function<bool(int)> callback, int attempt) {
  loop().post([callback = std::move(callback), attempt]() mutable {
    if (callback(attempt)) poll_step(std::move(callback), attempt + 1);
  });
}
inline void poll_until(std::function<bool(int)> callback) { poll_step(std::move(callback), 0); }

// Prints `count` lines, one per loop turn, to interleave with the program's own lines.
inline void start_ticker(int count) {
  if (count <= 0) return;
  loop().post([count] {
    std::printf("tick %d\n", count);
    start_ticker(count - 1);
  });
}

}  // namespace io
