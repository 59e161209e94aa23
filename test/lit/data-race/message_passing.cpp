// RUN: %check_untangle %s untangle-data-race %t
// Atomics as message passing: a release store of a flag synchronizes with the acquire
// load that a reader spins on, so what the writer did before the store happens before
// what the reader does after its loop. Relaxed operations order nothing.
#include <atomic>
#include <thread>

// --- 1. release store, acquire spin --------------------------------------------------
int payload1 = 0;
std::atomic<bool> ready1{false};
int publish() {
  std::thread producer([] {
    payload1 = 42; // no-race
    ready1.store(true, std::memory_order_release);
  });
  while (!ready1.load(std::memory_order_acquire)) {
  }
  int seen = payload1; // no-race
  producer.join();
  return seen;
}
// The write after the store is not ordered.
int payload1b = 0;
std::atomic<bool> ready1b{false};
int publish_then_write() {
  std::thread producer([] {
    ready1b.store(true, std::memory_order_release);
    payload1b = 43;
  });
  // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: data race on 'payload1b'
  while (!ready1b.load(std::memory_order_acquire)) {
  }
  int seen = payload1b;
  producer.join();
  return seen;
}
// A read before the loop is not ordered either.
int payload1c = 0;
std::atomic<bool> ready1c{false};
int read_before_spin() {
  std::thread producer([] {
    payload1c = 44;
    ready1c.store(true, std::memory_order_release);
  });
  // CHECK-MESSAGES: :[[@LINE-3]]:5: warning: data race on 'payload1c'
  int early = payload1c;
  while (!ready1c.load(std::memory_order_acquire)) {
  }
  producer.join();
  return early;
}

// --- 2. relaxed orders nothing --------------------------------------------------------
int payload2 = 0;
std::atomic<bool> ready2{false};
int relaxed() {
  std::thread producer([] {
    payload2 = 7;
    ready2.store(true, std::memory_order_relaxed);
  });
  // CHECK-MESSAGES: :[[@LINE-3]]:5: warning: data race on 'payload2'
  while (!ready2.load(std::memory_order_relaxed)) {
  }
  int seen = payload2;
  producer.join();
  return seen;
}

// --- 3. seq_cst by default, and a counter of finished workers --------------------------
int results3[2];
int sum3 = 0;
std::atomic<int> finished3{0};
int count_finished() {
  std::thread a([] {
    sum3 += 1; // no-race
    finished3++;
  });
  while (finished3 < 1) {
  }
  sum3 += 10; // no-race
  a.join();
  return sum3;
}
