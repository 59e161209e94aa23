// Synchronous higher-order calls never count, also between two asynchronous levels.
// RUN: %check_untangle %s untangle-callback-nesting %t -- -- -I %inputs
#include "fake_async.h"
#include <algorithm>
#include <map>
#include <numeric>
#include <ranges>
#include <variant>
#include <vector>

void algorithms_between_levels(Loop &loop, std::vector<int> values) {
  read_file("in", [&](std::error_code, std::string text) {
    std::sort(values.begin(), values.end(), [&](int a, int b) {
      std::for_each(values.begin(), values.end(), [&](int v) {
        auto even = values | std::views::filter([](int x) { return x % 2 == 0; });
        (void)even;
        // Two asynchronous levels only: read_file, then post.
        loop.post([] {});
      });
      return a < b;
    });
  });
}

void visit_and_invoke(Loop &loop, std::variant<int, std::string> value) {
  read_file("in", [&](std::error_code, std::string) {
    std::visit([&](auto &&alternative) {
      // An immediately invoked lambda runs in place.
      [&] { loop.post([] {}); }();
    }, value);
  });
}

void function_called_in_place(Loop &loop) {
  std::function<void()> step = [&] { loop.post([] {}); };
  read_file("in", [&](std::error_code, std::string) {
    step();
    std::invoke([&] { loop.post([] {}); });
    std::map<int, int> m;
    std::accumulate(m.begin(), m.end(), 0, [&](int s, auto &kv) { return s + kv.second; });
  });
}

void not_completion_handlers(Loop &loop) {
  read_file("in", [&](std::error_code, std::string text) {
    write_file("out", text, [&](std::error_code) {
      // `visit` is not a completion-handler name; `handler` here is an int.
      for_each_line(text, [&](std::string line) { set_limit(3); });
    });
  });
}
