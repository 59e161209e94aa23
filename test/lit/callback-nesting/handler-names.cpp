// (b): a parameter named like a completion handler, of a callable type, takes an
// asynchronous callback; other names and other types do not.
// RUN: %check_untangle %s untangle-callback-nesting %t -- -- -I %inputs
#include "fake_async.h"

struct Client {
  void get(const char *url, std::function<void(int)> on_response);
  template <class F> void connect(F &&connect_handler) { (void)connect_handler; }
  void close(std::function<void()> cleanup); // not a handler name
  void retry(int completion);                // a handler name, not a callable
};

void names_and_templates(Client &c) {
  resolve("example.org", [&](std::error_code) {
    c.connect([&](std::error_code) {
      c.get("/", [&](int) {});
      // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: asynchronous callback nested 3 levels deep (maximum is 2) [untangle-callback-nesting]
      // CHECK-MESSAGES: :[[@LINE-4]]:3: note: level 1: callback of this asynchronous call to 'resolve'
      // CHECK-MESSAGES: :[[@LINE-4]]:7: note: level 2: callback of this asynchronous call to 'connect'
    });
  });
}

void not_handlers(Client &c) {
  c.close([&] {
    c.close([&] {
      c.close([&] { c.retry(1); });
    });
  });
}
