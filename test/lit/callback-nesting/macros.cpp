// A callback written in a macro is reported at the macro's expansion (the outermost
// one, where the user wrote it), and so are the levels around it.
// RUN: %check_untangle %s untangle-callback-nesting %t -- -- -I %inputs
#include "fake_async.h"

#define LATER(loop, body) (loop).post([&] { body; })
#define READ_THEN(body) read_file("in", [&](std::error_code, std::string) { body; })

void in_macros(Loop &loop) {
  READ_THEN(write_file("out", "", [&](std::error_code) { LATER(loop, (void)0); }));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: asynchronous callback nested 3 levels deep (maximum is 2) [untangle-callback-nesting]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: level 1: callback of this asynchronous call to 'read_file'
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: level 2: callback of this asynchronous call to 'write_file'
}
