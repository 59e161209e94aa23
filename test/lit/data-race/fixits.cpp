// RUN: %check_untangle %s untangle-data-race %t -- -- -I %S/Inputs
// RUN: clang++ -std=c++20 -fsyntax-only -I %S/Inputs %t.cpp
// The std::atomic<T> fix-it: offered only where every use of the location is a load,
// a store, ++, --, +=, -=, |=, &= or ^=, and the declaration is in this file. The
// second RUN line compiles the fixed copy.
#include "shared_state.h"
#include <cstdio>
#include <thread>
// CHECK-FIXES: #include <atomic>
// CHECK-FIXES-NEXT: #include "shared_state.h"

int hits = 0;
// CHECK-FIXES: std::atomic<int> hits = 0;
unsigned long flags{0};
// CHECK-FIXES: std::atomic<unsigned long> flags{0};
const char *cursor = nullptr;
// CHECK-FIXES: std::atomic<const char *> cursor = nullptr;
void fixable(const char *text) {
  std::thread t([] { hits++; flags |= 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: data race on 'hits'
  // CHECK-MESSAGES: :[[@LINE-2]]:30: warning: data race on 'flags'
  std::thread u([text] { cursor = text; });
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: data race on 'cursor'
  hits += 2;
  flags ^= 2;
  int seen = hits;
  cursor = nullptr;
  std::printf("%d\n", seen);
  t.join();
  u.join();
}

class Meter {
public:
  void run() {
    std::thread t([this] { ticks_++; });
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: data race on 'Meter::ticks_'
    ticks_ -= 1;
    t.join();
  }
private:
  long ticks_ = 0;
  // CHECK-FIXES: std::atomic<long> ticks_ = 0;
};

// No fix-it: the address is taken as int*, the value is passed as int&, copied with
// auto, passed through `...`, multiplied in place, or declared in a header.
int addr_taken = 0;
// CHECK-FIXES: int addr_taken = 0;
int by_reference = 0;
// CHECK-FIXES: int by_reference = 0;
int auto_copied = 0;
// CHECK-FIXES: int auto_copied = 0;
int variadic = 0;
// CHECK-FIXES: int variadic = 0;
int multiplied = 1;
// CHECK-FIXES: int multiplied = 1;
#define DECLARE_COUNTER(name) int name = 0
DECLARE_COUNTER(from_macro);
// CHECK-FIXES: DECLARE_COUNTER(from_macro);
void take_ref(int &n);
void unfixable() {
  std::thread t([] {
    addr_taken++;
    by_reference++;
    auto_copied++;
    variadic++;
    multiplied *= 2;
    header_counter++;
    from_macro++;
  });
  // CHECK-MESSAGES: :[[@LINE-8]]:5: warning: data race on 'addr_taken'
  // CHECK-MESSAGES: :[[@LINE-8]]:5: warning: data race on 'by_reference'
  // CHECK-MESSAGES: :[[@LINE-8]]:5: warning: data race on 'auto_copied'
  // CHECK-MESSAGES: :[[@LINE-8]]:5: warning: data race on 'variadic'
  // CHECK-MESSAGES: :[[@LINE-8]]:5: warning: data race on 'multiplied'
  // CHECK-MESSAGES: :[[@LINE-8]]:5: warning: data race on 'header_counter'
  // CHECK-MESSAGES: :[[@LINE-8]]:5: warning: data race on 'from_macro'
  int *p = &addr_taken;
  take_ref(by_reference);
  auto copy = auto_copied;
  std::printf("%d %d\n", variadic, *p + copy);
  multiplied = 0;
  header_counter = 0;
  from_macro = 0;
  t.join();
}
