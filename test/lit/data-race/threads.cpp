// RUN: %check_untangle %s untangle-data-race %t
// std::thread and std::jthread bodies, what they capture, and the code around them.
#include <thread>
#include <vector>

// --- 1. spawning code between spawn and join runs in parallel with the body ---------
int g1 = 0;
void between_spawn_and_join() {
  std::thread t([] { g1++; });
  g1 = 2;
  // CHECK-MESSAGES: :[[@LINE-2]]:22: warning: data race on 'g1': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  t.join();
}
int g1b = 0;
void before_spawn_and_after_join() {
  g1b = 1;                    // no-race
  std::thread t([] { g1b++; }); // no-race
  t.join();
  g1b = 2;                    // no-race
}

// --- 2. a local captured by reference -----------------------------------------------
int read_before_join() {
  int result = 0;
  std::thread t([&] { result = 42; });
  int seen = result;
  // CHECK-MESSAGES: :[[@LINE-2]]:23: warning: data race on 'result': written here
  t.join();
  return seen;
}
int read_after_join() {
  int result = 0;
  std::thread t([&] { result = 42; }); // no-race
  t.join();
  return result;                       // no-race
}

// --- 3. by-value captures are the thread's own copy -----------------------------------
void by_reference_capture() {
  int hits = 0;
  std::thread t([&hits] { ++hits; });
  hits = 5;
  // CHECK-MESSAGES: :[[@LINE-2]]:29: warning: data race on 'hits'
  t.join();
}
void by_value_capture() {
  int hits = 0;
  std::thread t([hits]() mutable { ++hits; }); // no-race
  hits = 5;                                    // no-race
  t.join();
}

// --- 4. one body started from two sites runs in parallel with itself -----------------
long g4 = 0;
void worker4() { g4 += 1; }
// CHECK-MESSAGES: :[[@LINE-1]]:18: warning: data race on 'g4'
void two_sites() {
  std::thread a(worker4), b(worker4);
  a.join();
  b.join();
}
long g4b = 0;
void worker4b() { g4b += 1; } // no-race
void two_sites_in_sequence() {
  std::thread a(worker4b);
  a.join();
  std::thread b(worker4b);
  b.join();
}

// --- 5. a body spawned in a loop runs in parallel with itself ------------------------
void spawned_in_loop() {
  int total = 0;
  std::vector<std::thread> pool;
  for (int i = 0; i < 4; ++i)
    pool.emplace_back([&total] { total += 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: data race on 'total'
  for (auto &t : pool)
    t.join();
}
void joined_in_each_iteration() {
  int total = 0;
  for (int i = 0; i < 4; ++i) {
    std::thread t([&total] { total += 1; }); // no-race
    t.join();
  }
  total = 0; // no-race
}
void joined_after_loop() {
  int total = 0;
  std::vector<std::thread> pool;
  for (int i = 0; i < 4; ++i)
    pool.emplace_back([i, &pool] { (void)i; });
  for (auto &t : pool)
    t.join();
  total = 1; // no-race
  (void)total;
}

// --- 6. an object reached through a captured pointer ---------------------------------
int through_pointer() {
  int x = 0;
  int *p = &x;
  std::thread t([p] { *p = 1; });
  int seen = x;
  // CHECK-MESSAGES: :[[@LINE-2]]:23: warning: data race on 'x'
  t.join();
  return seen;
}
void pointer_to_own_local() {
  std::thread t([] {
    int mine = 0;
    int *p = &mine;
    *p = 1; // no-race
  });
  t.join();
}

// --- 7. std::ref passes the object; a plain argument is copied ------------------------
void add_one(int &n) { n += 1; }
// CHECK-MESSAGES: :[[@LINE-1]]:24: warning: data race on 'shared7'
void by_std_ref() {
  int shared7 = 0;
  std::thread t(add_one, std::ref(shared7));
  shared7 = 3;
  t.join();
}
void add_one_copy(int n) { n += 1; } // no-race
void by_copy() {
  int shared7b = 0;
  std::thread t(add_one_copy, shared7b);
  shared7b = 3; // no-race
  t.join();
}

// --- 8. members, through `this` -------------------------------------------------------
class Counter {
public:
  void start() {
    worker_ = std::thread([this] { count_++; });
    // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: data race on 'Counter::count_'
    count_ = 0;
    worker_.join();
  }
private:
  int count_ = 0;
  std::thread worker_;
};
class JoinedCounter {
public:
  void start() {
    worker_ = std::thread([this] { count_++; }); // no-race
    worker_.join();
    count_ = 0; // no-race
  }
private:
  int count_ = 0;
  std::thread worker_;
};

// --- 9. accesses in callees are followed ---------------------------------------------
int g9 = 0;
void bump9() { g9++; }
// CHECK-MESSAGES: :[[@LINE-1]]:16: warning: data race on 'g9'
void through_callee() {
  std::thread t([] { bump9(); });
  bump9();
  t.join();
}
int g9b = 0;
void bump9b() { g9b++; } // no-race
void through_callee_joined() {
  std::thread t([] { bump9b(); });
  t.join();
  bump9b();
}

// --- 10. a member function started on an object -----------------------------------------
struct Job {
  int progress = 0;
  void run() { progress = 100; }
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: data race on 'job.progress'
};
int member_function_on_shared_object() {
  Job job;
  std::thread t(&Job::run, &job);
  int seen = job.progress;
  t.join();
  return seen;
}
struct Job2 {
  int progress = 0;
  void run() { progress = 100; } // no-race
};
int member_function_on_copy() {
  Job2 job;
  std::thread t(&Job2::run, job); // the thread runs on its own copy
  int seen = job.progress;        // no-race
  t.join();
  return seen;
}

// --- 11. jthread joins when it leaves its scope ---------------------------------------
int g11 = 0;
void jthread_in_scope() {
  std::jthread t([] { g11++; });
  g11 = 1;
  // CHECK-MESSAGES: :[[@LINE-2]]:23: warning: data race on 'g11'
}
int g11b = 0;
void jthread_left_scope() {
  {
    std::jthread t([] { g11b++; }); // no-race
  }
  g11b = 1; // no-race
}

// --- 12. a detached thread outlives its spawner -----------------------------------------
int g12 = 0;
void detached() {
  std::thread([] { g12++; }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: data race on 'g12'
}
void detached_again() { std::thread([] { g12--; }).detach(); }
thread_local int g12b = 0;
void detached_thread_local() { std::thread([] { g12b++; }).detach(); } // no-race
void detached_thread_local_again() { std::thread([] { g12b--; }).detach(); } // no-race

// --- 13. const objects are only read ----------------------------------------------------
const int limit13 = 10;
int g13 = 0;
void const_read() {
  std::thread t([] { int n = limit13; (void)n; }); // no-race
  int m = limit13;                                  // no-race
  (void)m;
  t.join();
}
void nonconst_written() {
  std::thread t([] { g13 = 10; });
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: data race on 'g13'
  int m = g13;
  (void)m;
  t.join();
}
