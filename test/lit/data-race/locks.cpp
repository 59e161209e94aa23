// RUN: %check_untangle %s untangle-data-race %t
// Locks: explicit, RAII, early unlock, moves, shared locks, condition variables;
// flow-sensitive over the CFG.
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <thread>

// --- 1. lock()/unlock() on both sides, or on one side only -----------------------------
std::mutex m1;
int a1 = 0, b1 = 0;
void explicit_lock_both_sides() {
  std::thread t([] { m1.lock(); a1++; m1.unlock(); }); // no-race
  m1.lock();
  a1++; // no-race
  m1.unlock();
  t.join();
}
void explicit_lock_one_side() {
  std::thread t([] { m1.lock(); b1++; m1.unlock(); });
  b1++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'b1': written here (no lock held) and written in parallel (holding 'm1') [untangle-data-race]
  t.join();
}

// --- 2. lock_guard; the same mutex, or two different ones -----------------------------
std::mutex m2, m2b;
int a2 = 0, b2 = 0;
void guard_same_mutex() {
  std::thread t([] { std::lock_guard<std::mutex> g(m2); a2++; }); // no-race
  {
    std::lock_guard<std::mutex> g(m2);
    a2++; // no-race
  }
  t.join();
}
void guard_different_mutexes() {
  std::thread t([] { std::lock_guard<std::mutex> g(m2); b2++; });
  // CHECK-MESSAGES: :[[@LINE-1]]:57: warning: data race on 'b2': written here (holding 'm2') and written in parallel (holding 'm2b')
  {
    std::lock_guard<std::mutex> g(m2b);
    b2++;
  }
  t.join();
}
int c2 = 0;
void guard_scope_ended() {
  std::thread t([] { std::lock_guard<std::mutex> g(m2); c2++; });
  {
    std::lock_guard<std::mutex> g(m2);
  }
  c2++; // the guard is gone
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'c2'
  t.join();
}

// --- 3. unique_lock with an early unlock ----------------------------------------------
std::mutex m3;
int a3 = 0, b3 = 0;
void early_unlock() {
  std::thread t([] { std::lock_guard<std::mutex> g(m3); a3++; b3++; }); // no-race
  std::unique_lock<std::mutex> lk(m3);
  a3++; // no-race
  lk.unlock();
  b3++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'b3'
  t.join();
}

// --- 4. unique_lock with defer_lock, locked later or never ----------------------------
std::mutex m4;
int a4 = 0, b4 = 0;
void deferred_then_locked() {
  std::thread t([] { std::lock_guard<std::mutex> g(m4); a4++; }); // no-race
  std::unique_lock<std::mutex> lk(m4, std::defer_lock);
  lk.lock();
  a4++; // no-race
  t.join();
}
void deferred_never_locked() {
  std::thread t([] { std::lock_guard<std::mutex> g(m4); b4++; });
  std::unique_lock<std::mutex> lk(m4, std::defer_lock);
  b4++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'b4'
  t.join();
}

// --- 5. a moved unique_lock keeps the mutex locked ------------------------------------
std::mutex m5;
int a5 = 0, b5 = 0;
void moved_lock() {
  std::thread t([] { std::lock_guard<std::mutex> g(m5); a5++; b5++; }); // no-race
  std::unique_lock<std::mutex> first(m5);
  std::unique_lock<std::mutex> second(std::move(first));
  a5++; // no-race
  second.unlock();
  b5++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'b5'
  t.join();
}

// --- 6. scoped_lock over two mutexes ---------------------------------------------------
std::mutex m6a, m6b;
int a6 = 0, b6 = 0;
void scoped_both() {
  std::thread t([] { std::scoped_lock g(m6a, m6b); a6++; }); // no-race
  std::lock_guard<std::mutex> g(m6b);
  a6++; // no-race
  t.join();
}
void scoped_vs_other() {
  std::thread t([] { std::scoped_lock g(m6a); b6++; });
  // CHECK-MESSAGES: :[[@LINE-1]]:47: warning: data race on 'b6'
  std::lock_guard<std::mutex> g(m6b);
  b6++;
  t.join();
}

// --- 7. shared locks protect readers from writers, not writers from each other --------
std::shared_mutex rw;
int a7 = 0, b7 = 0;
void reader_and_writer() {
  std::thread t([] { std::shared_lock<std::shared_mutex> g(rw); int v = a7; (void)v; }); // no-race
  std::unique_lock<std::shared_mutex> g(rw);
  a7 = 1; // no-race
  t.join();
}
void writer_under_shared_lock() {
  std::thread t([] { std::shared_lock<std::shared_mutex> g(rw); int v = b7; (void)v; });
  std::shared_lock<std::shared_mutex> g(rw);
  b7 = 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'b7': written here (holding 'rw' (shared)) and read in parallel (holding 'rw' (shared))
  t.join();
}
int c7 = 0;
void lock_shared_calls() {
  std::thread t([] { rw.lock_shared(); int v = c7; (void)v; rw.unlock_shared(); }); // no-race
  rw.lock();
  c7 = 2; // no-race
  rw.unlock();
  t.join();
}

// --- 8. flow sensitivity: a lock taken on one path only is not held after the merge ----
std::mutex m8;
int a8 = 0, b8 = 0;
void locked_on_both_paths(bool fast) {
  std::thread t([] { std::lock_guard<std::mutex> g(m8); a8++; }); // no-race
  if (fast)
    m8.lock();
  else
    m8.lock();
  a8++; // no-race
  m8.unlock();
  t.join();
}
void locked_on_one_path(bool fast) {
  std::thread t([] { std::lock_guard<std::mutex> g(m8); b8++; });
  if (fast)
    m8.lock();
  b8++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'b8'
  if (fast)
    m8.unlock();
  t.join();
}
int c8 = 0;
void unlocked_on_one_path(bool early) {
  std::thread t([] { std::lock_guard<std::mutex> g(m8); c8++; });
  m8.lock();
  if (early)
    m8.unlock();
  c8++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'c8'
  if (!early)
    m8.unlock();
  t.join();
}

// --- 9. a condition-variable wait keeps the lock held ---------------------------------
std::mutex m9;
std::condition_variable cv9;
bool ready9 = false;
int a9 = 0, b9 = 0;
void wait_keeps_lock() {
  std::thread t([] {
    std::lock_guard<std::mutex> g(m9);
    a9 = 1;        // no-race
    ready9 = true; // no-race
    cv9.notify_one();
  });
  std::unique_lock<std::mutex> lk(m9);
  cv9.wait(lk, [] { return ready9; }); // no-race
  a9++;                                // no-race
  t.join();
}
void access_after_unlock() {
  std::thread t([] { std::lock_guard<std::mutex> g(m9); b9 = 1; });
  std::unique_lock<std::mutex> lk(m9);
  cv9.wait(lk);
  lk.unlock();
  b9++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'b9'
  t.join();
}

// --- 10. recursive and timed mutexes ----------------------------------------------------
std::recursive_mutex rm;
std::timed_mutex tm;
int a10 = 0, b10 = 0;
void recursive_and_timed() {
  std::thread t([] {
    std::lock_guard<std::recursive_mutex> g(rm);
    std::lock_guard<std::recursive_mutex> again(rm);
    a10++; // no-race
  });
  std::thread u([] { std::lock_guard<std::timed_mutex> g(tm); b10++; });
  {
    std::lock_guard<std::recursive_mutex> g(rm);
    a10++; // no-race
  }
  b10++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'b10'
  t.join();
  u.join();
}

// --- 11. a lock taken inside a callee protects the callee's accesses -------------------
std::mutex m11;
int a11 = 0, b11 = 0;
void locked_increment() { std::lock_guard<std::mutex> g(m11); a11++; } // no-race
void unlocked_increment() { b11++; }
// CHECK-MESSAGES: :[[@LINE-1]]:29: warning: data race on 'b11'
void callee_locks() {
  std::thread t(locked_increment);
  locked_increment();
  std::thread u(unlocked_increment);
  unlocked_increment();
  t.join();
  u.join();
}
