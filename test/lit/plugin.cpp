// The same rules, loaded into Debian's clang-tidy-22 as a plugin.
// RUN: %check_untangle --frontend=plugin %s untangle-callback-nesting %t -- -- -I %inputs
// RUN: %clang_tidy -load=%untangle_plugin --list-checks --checks='-*,untangle-*' | FileCheck %s --check-prefix=LIST
// RUN: %clang_tidy -load=%untangle_plugin --dump-config --checks='-*,untangle-*' | FileCheck %s --check-prefix=CONFIG
// LIST: Enabled checks:
// LIST-NEXT: untangle-callback-nesting
// CONFIG: untangle-callback-nesting.MaxDepth: '2'
#include "fake_async.h"

void pyramid(Loop &loop) {
  read_file("in", [&](std::error_code, std::string text) {
    write_file("out", text, [&](std::error_code) {
      loop.post([] {});
      // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: asynchronous callback nested 3 levels deep (maximum is 2) [untangle-callback-nesting]
      // CHECK-MESSAGES: :[[@LINE-4]]:3: note: level 1: callback of this asynchronous call to 'read_file'
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: level 2: callback of this asynchronous call to 'write_file'
    });
  });
}
