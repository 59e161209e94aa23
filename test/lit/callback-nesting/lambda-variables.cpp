// A lambda kept in a variable and then passed as the callback counts at the depth where
// it is passed (where it runs), not where it is defined; it is not moved by a rewrite.
// RUN: %check_untangle %s untangle-callback-nesting %t -- -- -I %inputs
#include "fake_async.h"

void named_innermost() {
  read_file("a", [](std::error_code ec, std::string data) {
    write_file("b", data, [](std::error_code ec) {
      auto after_connect = [](std::error_code ec) {};
      connect(80, after_connect);
      // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: asynchronous callback nested 3 levels deep (maximum is 2) [untangle-callback-nesting]
      // CHECK-MESSAGES: :[[@LINE-5]]:3: note: level 1: callback of this asynchronous call to 'read_file'
      // CHECK-MESSAGES: :[[@LINE-5]]:5: note: level 2: callback of this asynchronous call to 'write_file'
      // CHECK-MESSAGES: :[[@LINE-4]]:19: note: no coroutine rewrite offered (not-a-lambda): the callback of 'connect' is the lambda kept in 'after_connect', not written at the call; its body is not moved into the chain
    });
  });
}

// The pyramid written as a ladder of variables is still three levels deep.
void ladder(Loop &loop) {
  auto on_sent = [](std::error_code ec) {};
  auto on_connected = [&](std::error_code ec) { send(1, on_sent); };
  loop.post([&] { connect(80, on_connected); });
  // CHECK-MESSAGES: :[[@LINE-2]]:57: warning: asynchronous callback nested 3 levels deep (maximum is 2) [untangle-callback-nesting]
}

// Defined at one level, used at none: a stored lambda that is only called in place,
// or never, is not an asynchronous level.
void called_in_place() {
  auto step = [](std::error_code ec) {
    write_file("b", "x", [](std::error_code ec) {
      connect(80, [](std::error_code ec) {});
    });
  };
  step({});
}

// A std::function variable holding a lambda is followed too; one that is a parameter
// is not (its value comes from the caller).
void through_std_function(std::function<void(std::error_code)> given) {
  std::function<void(std::error_code)> held = [](std::error_code ec) {
    connect(80, [](std::error_code ec) {});
  };
  read_file("a", [&](std::error_code ec, std::string data) { write_file("b", data, held); });
  // CHECK-MESSAGES: :[[@LINE-3]]:17: warning: asynchronous callback nested 3 levels deep (maximum is 2) [untangle-callback-nesting]
  read_file("a", [&](std::error_code ec, std::string data) { write_file("b", data, given); });
}

// A std::function initialized from itself (it compiles, as an empty function) ends the
// following of variables: no finding, no endless walk.
void self_initialized() {
  std::function<void(std::error_code)> again = again;
  read_file("a", [&](std::error_code ec, std::string data) { connect(80, again); });
}
