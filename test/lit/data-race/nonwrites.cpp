// RUN: %check_untangle %s untangle-data-race %t
// Uses that write nothing are reads: binding a reference never written through, a cast
// to a reference, a lock guard taking its mutex by `T&`, `unique_ptr::operator->`, a
// range-for over a container nobody changes. A store, a non-const member call or a
// reference later written through is a write.
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

// --- 1. a reference bound and only read through ------------------------------------
struct Config {
  int level = 0;
  int limit = 0;
};
Config cfg1;
int read_through_reference() {
  std::thread t([] { Config &c = cfg1; return c.level; }); // no-race
  Config &mine = cfg1;                                       // no-race
  int n = mine.limit;                                        // no-race
  t.join();
  return n;
}
Config cfg1b;
void write_through_reference() {
  std::thread t([] { Config &c = cfg1b; c.level = 2; });
  int n = cfg1b.level;
  // CHECK-MESSAGES: :[[@LINE-2]]:43: warning: data race on 'cfg1b.level': written here
  (void)n;
  t.join();
}

// --- 2. a reference parameter only read in the callee -------------------------------
int total2;
int peek(int &v) { return v; }
int peek_in_parallel() {
  std::thread t([] { peek(total2); }); // no-race
  int n = peek(total2);                // no-race
  t.join();
  return n;
}
int total2b;
void poke(int &v) { v = 1; }
void poke_in_parallel() {
  std::thread t([] { poke(total2b); });
  int n = total2b;
  // CHECK-MESSAGES: :[[@LINE-4]]:21: warning: data race on 'total2b': written here
  (void)n;
  t.join();
}

// --- 3. static_cast<Derived&>(*this) to call a const member -------------------------
template <class D> struct Base {
  int value() { return static_cast<D &>(*this).get(); }
};
struct Counter : Base<Counter> {
  int n = 0;
  int get() const { return n; }
  void bump() { ++n; }
};
Counter c3;
int crtp_reads() {
  std::thread t([] { return c3.value(); }); // no-race
  int v = c3.value();                       // no-race
  t.join();
  return v;
}
Counter c3b;
int crtp_and_bump() {
  std::thread t([] { c3b.bump(); });
  int v = c3b.value();
  t.join();
  return v;
}
// CHECK-MESSAGES: :[[@LINE-16]]:19: warning: data race on 'c3b.n': written here

// --- 4. a lock guard takes its (user-defined) mutex by T& ----------------------------
struct SpinLock {
  void lock() {}
  void unlock() {}
};
SpinLock spin4;
int guarded4;
void guard_user_lock() {
  std::thread t([] {
    std::lock_guard<SpinLock> g(spin4); // no-race
    (void)guarded4;                     // no-race
  });
  std::lock_guard<SpinLock> g(spin4);   // no-race
  t.join();
}

// --- 5. unique_ptr::operator-> reads the pointer -----------------------------------
struct Stats {
  int hits = 0;
};
std::unique_ptr<Stats> stats5 = std::make_unique<Stats>();
int arrow_reads() {
  std::thread t([] { return stats5->hits; }); // no-race
  int h = stats5->hits;                       // no-race
  t.join();
  return h;
}
std::unique_ptr<Stats> stats5b = std::make_unique<Stats>();
void reset_while_reading() {
  std::thread t([] { return stats5b->hits; });
  stats5b.reset();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'stats5b': written here
  t.join();
}

// --- 6. a range-for over a vector nobody changes ------------------------------------
std::vector<int> table6 = {1, 2, 3};
int sum_in_parallel() {
  std::thread t([] {
    int s = 0;
    for (int v : table6) // no-race
      s += v;
    return s;
  });
  int s = 0;
  for (const int &v : table6) // no-race
    s += v;
  t.join();
  return s;
}
std::vector<int> table6b = {1, 2, 3};
void bump_in_parallel() {
  std::thread t([] {
    int s = 0;
    for (int v : table6b)
      s += v;
    return s;
  });
  table6b.push_back(4);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'table6b': written here
  t.join();
}
