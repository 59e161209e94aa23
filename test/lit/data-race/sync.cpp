// RUN: %check_untangle %s untangle-data-race %t
// What is never racy: atomics (even relaxed), call_once, static local initialization,
// futures waited for; and std::async, which is parallel unless deferred.
#include <atomic>
#include <cstdlib>
#include <future>
#include <mutex>
#include <thread>

// --- 1. std::atomic, also with relaxed ordering -------------------------------------------
std::atomic<int> a1{0};
int b1 = 0;
void relaxed_atomic() {
  std::thread t([] { a1.fetch_add(1, std::memory_order_relaxed); }); // no-race
  a1.store(5, std::memory_order_relaxed);                           // no-race
  a1++;                                                             // no-race
  t.join();
}
void plain_int() {
  std::thread t([] { b1 += 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: data race on 'b1'
  b1 = 5;
  t.join();
}

// --- 2. std::atomic_ref on a plain object -------------------------------------------------
int a2 = 0, b2 = 0;
void through_atomic_ref() {
  std::thread t([] { std::atomic_ref<int>(a2).fetch_add(1); }); // no-race
  std::atomic_ref<int>(a2).store(3);                           // no-race
  t.join();
}
void atomic_ref_on_neither_side() {
  std::thread t([] { b2 += 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: data race on 'b2'
  b2 = 3;
  t.join();
}

// --- 3. std::call_once initializes once, for every thread ---------------------------------
std::once_flag once3;
int config3 = 0, lazy3 = 0;
bool ready3 = false;
int with_call_once() {
  std::call_once(once3, [] { config3 = 42; }); // no-race
  return config3;                              // no-race
}
int hand_rolled_once() {
  if (!ready3) {
    lazy3 = 42;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'lazy3'
    ready3 = true;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'ready3'
  }
  return lazy3;
}
void start_initializers() {
  std::thread a(with_call_once), b(with_call_once);
  std::thread c(hand_rolled_once), d(hand_rolled_once);
  a.join();
  b.join();
  c.join();
  d.join();
}

// --- 4. a function-local static's initialization is thread-safe; later writes are not ------
int expensive();
int cached4() {
  static int value = expensive(); // no-race
  return value;                   // no-race
}
int counted4() {
  static int calls = 0;
  return ++calls;
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: data race on 'calls'
}
// What the initializer does runs once, before anything a thread does after passing the
// declaration; a thread that never passes it is not ordered with it.
struct Seeds4 {
  long first, second;
};
long factory_calls4;
Seeds4 *make_seeds4() {
  factory_calls4++;
  return new Seeds4{std::rand(), std::rand()}; // no-race
}
long seeded4() {
  static Seeds4 *seeds = make_seeds4();
  static Seeds4 pair = {std::rand(), std::rand()}; // no-race
  return seeds->first + pair.second + factory_calls4; // no-race
}
long peek4() { return factory_calls4; }
// CHECK-MESSAGES: :[[@LINE-9]]:3: warning: data race on 'factory_calls4': written here
// CHECK-MESSAGES: :[[@LINE-2]]:23: note: conflicting read here
void start_statics() {
  std::thread a(cached4), b(cached4), c(counted4), d(counted4);
  std::thread e(seeded4), f(seeded4), g(peek4);
  a.join();
  b.join();
  c.join();
  d.join();
  e.join();
  f.join();
  g.join();
}

// --- 5. std::async: before get() it runs in parallel; deferred runs in get() -------------
int g5 = 0, h5 = 0, k5 = 0;
int async_before_get() {
  std::future<void> f = std::async(std::launch::async, [] { g5++; });
  // CHECK-MESSAGES: :[[@LINE-1]]:61: warning: data race on 'g5'
  g5 = 1;
  f.get();
  return g5;
}
int async_after_get() {
  std::future<void> f = std::async(std::launch::async, [] { h5++; }); // no-race
  f.wait();
  h5 = 1; // no-race
  return h5;
}
int deferred() {
  std::future<void> f = std::async(std::launch::deferred, [] { k5++; }); // no-race
  k5 = 1;                                                               // no-race
  f.get();
  return k5;
}

// --- 6. a discarded std::async future waits in its destructor -------------------------------
int g6 = 0, h6 = 0;
void discarded_future() {
  std::async(std::launch::async, [] { g6++; }); // no-race
  g6 = 1;                                       // no-race
}
void kept_future() {
  auto f = std::async(std::launch::async, [] { h6++; });
  // CHECK-MESSAGES: :[[@LINE-1]]:48: warning: data race on 'h6'
  h6 = 1;
}

// --- 7. thread-confined data: each thread's own locals and copies --------------------------
int sum7(int n) {
  int local = 0; // each call has its own
  for (int i = 0; i < n; ++i)
    local += i; // no-race
  return local;
}
int total7 = 0;
void confined() {
  std::thread a(sum7, 10), b(sum7, 20);
  a.join();
  b.join();
}
void accumulate7(int n) { total7 += n; }
// CHECK-MESSAGES: :[[@LINE-1]]:27: warning: data race on 'total7'
void shared_total() {
  std::thread a(accumulate7, 10), b(accumulate7, 20);
  a.join();
  b.join();
}
