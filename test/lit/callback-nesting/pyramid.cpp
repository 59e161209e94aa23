// RUN: %check_untangle %s untangle-callback-nesting %t -- -- -I %inputs
// RUN: %check_untangle -check-suffix=DEPTH3 %s untangle-callback-nesting %t \
// RUN:   -- --config="{CheckOptions: {untangle-callback-nesting.MaxDepth: 3}}" -- -I %inputs
#include "fake_async.h"

void two_levels_are_fine() {
  read_file("in", [](std::error_code, std::string text) {
    write_file("out", text, [](std::error_code) {});
  });
}

void three_levels(Loop &loop) {
  read_file("in", [&](std::error_code, std::string text) {
    write_file("out", text, [&](std::error_code) {
      loop.post([] {});
      // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: asynchronous callback nested 3 levels deep (maximum is 2) [untangle-callback-nesting]
      // CHECK-MESSAGES: :[[@LINE-4]]:3: note: level 1: callback of this asynchronous call to 'read_file'
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: level 2: callback of this asynchronous call to 'write_file'
    });
  });
}

void five_levels(Loop &loop) {
  connect(80, [&](std::error_code) {
    send(1, [&](std::error_code) {
      fetch("/", [&](std::string) {
      // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: asynchronous callback nested 3 levels deep (maximum is 2); the nesting reaches 5 levels [untangle-callback-nesting]
      // CHECK-MESSAGES: :[[@LINE-4]]:3: note: level 1: callback of this asynchronous call to 'connect'
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: level 2: callback of this asynchronous call to 'send'
        loop.set_timeout(10, [&] {
        // CHECK-MESSAGES-DEPTH3: :[[@LINE-1]]:30: warning: asynchronous callback nested 4 levels deep (maximum is 3); the nesting reaches 5 levels [untangle-callback-nesting]
        // CHECK-MESSAGES-DEPTH3: :[[@LINE-8]]:3: note: level 1: callback of this asynchronous call to 'connect'
        // CHECK-MESSAGES-DEPTH3: :[[@LINE-8]]:5: note: level 2: callback of this asynchronous call to 'send'
        // CHECK-MESSAGES-DEPTH3: :[[@LINE-8]]:7: note: level 3: callback of this asynchronous call to 'fetch'
          loop.post([] {});
        });
      });
    });
  });
}

// Function pointers, std::bind and bound member functions are callbacks too.
void on_compressed(std::error_code, std::string) {}
void on_written(std::error_code) {}
struct Session {
  void on_sent(std::error_code);
  void start(Loop &loop);
};

void function_pointer_at_level_three() {
  read_file("in", [](std::error_code, std::string text) {
    write_file("out", text, [text](std::error_code) {
      compress(text, &on_compressed);
      // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: asynchronous callback nested 3 levels deep (maximum is 2) [untangle-callback-nesting]
      // CHECK-MESSAGES: :[[@LINE-4]]:3: note: level 1:
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: level 2:
    });
  });
}

void Session::start(Loop &loop) {
  loop.post([this] {
    read_file("in", [this](std::error_code, std::string text) {
      send(1, std::bind(&Session::on_sent, this, std::placeholders::_1));
      // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: asynchronous callback nested 3 levels deep (maximum is 2) [untangle-callback-nesting]
      // CHECK-MESSAGES: :[[@LINE-4]]:8: note: level 1: callback of this asynchronous call to 'post'
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: level 2:
      write_file("out", text, std::bind(&on_written, std::placeholders::_1));
      // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: asynchronous callback nested 3 levels deep (maximum is 2) [untangle-callback-nesting]
      // CHECK-MESSAGES: :[[@LINE-8]]:8: note: level 1:
      // CHECK-MESSAGES: :[[@LINE-8]]:5: note: level 2:
    });
  });
}
