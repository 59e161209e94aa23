// RUN: %check_untangle %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxDepth: 1}}" -- -I %S/Inputs -I %runtime_include
// One chain per refusal reason: no fix-it, the file stays as it was, and a note names
// the reason (docs/rules/untangle-callback-nesting.md has a section for each).
#include "rewrite_api.h"
#include <stdexcept>

#define THEN_SAVE(v) save(v, [](std::error_code) {})

void multi_shot() {
  subscribe("news", [](std::string m) { read_file(m, [](std::error_code, std::string) {}); });
}
void multi_shot_by_definition() {
  for_lines("ab", [](std::string l) { read_file(l, [](std::error_code, std::string) {}); });
}
void not_tail_position() {
  read_file("a", [](std::error_code, std::string t) {
    parse(t, [](std::error_code, int) {});
    wait(1, [] {});
  });
}
void fan_out() {
  for (int i = 0; i < 3; ++i)
    read_file("a", [i](std::error_code, std::string t) { parse(t, [i](std::error_code, int) {}); });
}
void inside_catch() {
  read_file("a", [](std::error_code, std::string t) {
    try {
      throw std::runtime_error("x");
    } catch (...) {
      parse(t, [](std::error_code, int) {});
    }
  });
}
void inside_try() {
  read_file("a", [](std::error_code, std::string t) {
    try {
      parse(t, [](std::error_code, int) {});
    } catch (...) {
    }
  });
}
void result_used() {
  read_file("a", [](std::error_code, std::string t) { poll([](int i) { return i < 3; }); });
}
void uses_goto() {
  read_file("a", [](std::error_code, std::string t) {
    int n = 0;
  again:
    if (++n < 3) goto again;
    parse(t, [](std::error_code, int) {});
  });
}
void from_macro() {
  parse("1", [](std::error_code, int n) { THEN_SAVE(n); });
}
void on_parsed(std::error_code, int);
void not_a_lambda() {
  read_file("a", [](std::error_code, std::string t) { parse(t, &on_parsed); });
}
void capture_mode() {
  int x = 0;
  wait(1, [&x]() { wait(2, [x]() { (void)x; }); });
  x = 1;
}

// ---- expectations (generated from a reviewed run) ----
// CHECK-MESSAGES: :11:54: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :11:3: note: level 1: callback of this asynchronous call to 'subscribe'
// CHECK-MESSAGES: :11:3: note: no coroutine rewrite offered (multi-shot): 'subscribe' may call its callback more than once (MultiShotFunctions, or its definition calls it from a loop); a co_await resumes once
// CHECK-MESSAGES: :14:52: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :14:3: note: level 1: callback of this asynchronous call to 'for_lines'
// CHECK-MESSAGES: :14:3: note: no coroutine rewrite offered (multi-shot): 'for_lines' may call its callback more than once (MultiShotFunctions, or its definition calls it from a loop); a co_await resumes once
// CHECK-MESSAGES: :18:14: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :17:3: note: level 1: callback of this asynchronous call to 'read_file'
// CHECK-MESSAGES: :19:5: note: no coroutine rewrite offered (not-tail-position): the asynchronous call is not the last thing its callback does: the code after it runs before its callback, and a rewrite would run it after
// CHECK-MESSAGES: :19:13: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :17:3: note: level 1: callback of this asynchronous call to 'read_file'
// CHECK-MESSAGES: :24:67: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :24:5: note: level 1: callback of this asynchronous call to 'read_file'
// CHECK-MESSAGES: :23:3: note: no coroutine rewrite offered (fan-out): the chain is started from inside a loop, once per iteration; the chains run concurrently, and a rewrite must not make them sequential
// CHECK-MESSAGES: :31:16: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :27:3: note: level 1: callback of this asynchronous call to 'read_file'
// CHECK-MESSAGES: :31:7: note: no coroutine rewrite offered (inside-catch): the chain continues from a catch handler, where co_await is not allowed
// CHECK-MESSAGES: :38:16: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :36:3: note: level 1: callback of this asynchronous call to 'read_file'
// CHECK-MESSAGES: :38:7: note: no coroutine rewrite offered (inside-try): the chain continues from a try block; exceptions of the later steps, which never reached this handler, would be caught by it
// CHECK-MESSAGES: :44:60: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :44:3: note: level 1: callback of this asynchronous call to 'read_file'
// CHECK-MESSAGES: :44:60: note: no coroutine rewrite offered (callback-result-used): the callback of 'poll' returns a value, which the API uses (a coroutine step returns nothing to it)
// CHECK-MESSAGES: :51:14: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :47:3: note: level 1: callback of this asynchronous call to 'read_file'
// CHECK-MESSAGES: :49:3: note: no coroutine rewrite offered (goto): the callback uses goto or a label; a flattened body would move the code they jump between
// CHECK-MESSAGES: :55:43: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :55:3: note: level 1: callback of this asynchronous call to 'parse'
// CHECK-MESSAGES: :55:43: note: no coroutine rewrite offered (macro): an asynchronous call of the chain comes from a macro expansion
// CHECK-MESSAGES: :59:64: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :59:3: note: level 1: callback of this asynchronous call to 'read_file'
// CHECK-MESSAGES: :59:64: note: no coroutine rewrite offered (not-a-lambda): the callback of 'parse' is a named function, not a lambda; its body is not part of this chain
// CHECK-MESSAGES: :63:28: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :63:3: note: level 1: callback of this asynchronous call to 'wait'
// CHECK-MESSAGES: :63:29: note: no coroutine rewrite offered (capture-mode): 'x' is captured by reference by an outer callback and by copy by an inner one, which copies it only when the inner callback is created
// CHECK-FIXES: {{^}}#include "rewrite_api.h"
// CHECK-FIXES-NEXT: {{^}}#include <stdexcept>
// CHECK-FIXES: {{^}}#define THEN_SAVE(v) save(v, [](std::error_code) {})
// CHECK-FIXES: {{^}}void multi_shot() {
// CHECK-FIXES-NEXT: {{^}}  subscribe("news", [](std::string m) { read_file(m, [](std::error_code, std::string) {}); });
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES-NEXT: {{^}}void multi_shot_by_definition() {
// CHECK-FIXES-NEXT: {{^}}  for_lines("ab", [](std::string l) { read_file(l, [](std::error_code, std::string) {}); });
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES-NEXT: {{^}}void not_tail_position() {
// CHECK-FIXES-NEXT: {{^}}  read_file("a", [](std::error_code, std::string t) {
// CHECK-FIXES-NEXT: {{^}}    parse(t, [](std::error_code, int) {});
// CHECK-FIXES-NEXT: {{^}}    wait(1, [] {});
// CHECK-FIXES-NEXT: {{^}}  });
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES-NEXT: {{^}}void fan_out() {
// CHECK-FIXES-NEXT: {{^}}  for (int i = 0; i < 3; ++i)
// CHECK-FIXES-NEXT: {{^}}    read_file("a", [i](std::error_code, std::string t) { parse(t, [i](std::error_code, int) {}); });
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES-NEXT: {{^}}void inside_catch() {
// CHECK-FIXES-NEXT: {{^}}  read_file("a", [](std::error_code, std::string t) {
// CHECK-FIXES-NEXT: {{^}}    try {
// CHECK-FIXES-NEXT: {{^}}      throw std::runtime_error("x");
// CHECK-FIXES-NEXT: {{^}}    } catch (...) {
// CHECK-FIXES-NEXT: {{^}}      parse(t, [](std::error_code, int) {});
// CHECK-FIXES-NEXT: {{^}}    }
// CHECK-FIXES-NEXT: {{^}}  });
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES-NEXT: {{^}}void inside_try() {
// CHECK-FIXES-NEXT: {{^}}  read_file("a", [](std::error_code, std::string t) {
// CHECK-FIXES-NEXT: {{^}}    try {
// CHECK-FIXES-NEXT: {{^}}      parse(t, [](std::error_code, int) {});
// CHECK-FIXES-NEXT: {{^}}    } catch (...) {
// CHECK-FIXES-NEXT: {{^}}    }
// CHECK-FIXES-NEXT: {{^}}  });
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES-NEXT: {{^}}void result_used() {
// CHECK-FIXES-NEXT: {{^}}  read_file("a", [](std::error_code, std::string t) { poll([](int i) { return i < 3; }); });
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES-NEXT: {{^}}void uses_goto() {
// CHECK-FIXES-NEXT: {{^}}  read_file("a", [](std::error_code, std::string t) {
// CHECK-FIXES-NEXT: {{^}}    int n = 0;
// CHECK-FIXES-NEXT: {{^}}  again:
// CHECK-FIXES-NEXT: {{^}}    if (++n < 3) goto again;
// CHECK-FIXES-NEXT: {{^}}    parse(t, [](std::error_code, int) {});
// CHECK-FIXES-NEXT: {{^}}  });
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES-NEXT: {{^}}void from_macro() {
// CHECK-FIXES-NEXT: {{^}}  parse("1", [](std::error_code, int n) { THEN_SAVE(n); });
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES-NEXT: {{^}}void on_parsed(std::error_code, int);
// CHECK-FIXES-NEXT: {{^}}void not_a_lambda() {
// CHECK-FIXES-NEXT: {{^}}  read_file("a", [](std::error_code, std::string t) { parse(t, &on_parsed); });
// CHECK-FIXES-NEXT: {{^}}}
// CHECK-FIXES-NEXT: {{^}}void capture_mode() {
// CHECK-FIXES-NEXT: {{^}}  int x = 0;
// CHECK-FIXES-NEXT: {{^}}  wait(1, [&x]() { wait(2, [x]() { (void)x; }); });
// CHECK-FIXES-NEXT: {{^}}  x = 1;
// CHECK-FIXES-NEXT: {{^}}}
