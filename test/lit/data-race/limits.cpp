// RUN: %check_untangle %s untangle-data-race %t -- -- -I %S/Inputs
// Known limits, kept in the suite so that score.py counts them: a `// known-miss` line
// is a real race the rule does not report (a false negative), a `// known-false-positive`
// line a report on race-free code. See "Known limits" in docs/rules/untangle-data-race.md.
#include "executors.h"
#include <atomic>
#include <cstring>
#include <thread>

// Two non-constant indices are one element only when both read one global variable:
// here both threads write the same slot through their own copies of `k`.
int slots[4];
void same_slot(int k) {
  std::thread a([k] { slots[k] = 1; }); // known-miss
  std::thread b([k] { slots[k] = 2; });
  a.join();
  b.join();
}

// A happens-before annotation orders only the accesses of the function that makes it:
// a release made in a callee does not cover its caller's earlier writes.
extern "C" void __tsan_release(void *addr);
extern "C" void __tsan_acquire(void *addr);
int hb_payload = 0;
int hb_flag;
void publish_flag() { __tsan_release(&hb_flag); }
void release_in_callee() {
  std::thread producer([] {
    hb_payload = 1; // known-false-positive
    publish_flag();
  });
  // CHECK-MESSAGES: :[[@LINE-3]]:5: warning: data race on 'hb_payload'
  __tsan_acquire(&hb_flag);
  int seen = hb_payload;
  (void)seen;
  producer.join();
}

// A global pointer that may hold the address of either of two variables names neither
// (the table of what pointers hold is not flow-sensitive): `*current` is its own
// location, so the race with `total` is missed.
int total, spare;
int *current;
void pointer_to_named(bool use_spare) {
  current = use_spare ? &spare : &total;
  std::thread a([] { total += 1; }); // known-miss
  std::thread b([] { *current += 1; });
  a.join();
  b.join();
}

// A field nested in a struct is named by its last field only: `twin.left.hits` and
// `twin.right.hits` are one location, so clearing one half races with the other.
struct Half {
  int hits;
};
struct Twin {
  Half left, right;
};
Twin twin;
void nested_halves() {
  std::thread a([] { twin.left.hits += 1; }); // known-false-positive
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: data race on 'twin.hits'
  std::thread b([] { std::memset(&twin.right, 0, sizeof twin.right); });
  a.join();
  b.join();
}

// A barrier orders only when every wait is written directly in `main` or a start
// routine: a wait in a helper (`wait_for_all`) leaves it ordering nothing, so the
// write before the producer's wait and the read after the caller's are reported,
// though the barrier (two waiters, count two) orders them.
#include <pthread.h>
pthread_barrier_t phase_end;
int phase_result;
void wait_for_all() { pthread_barrier_wait(&phase_end); }
void barrier_in_helper() {
  pthread_barrier_init(&phase_end, nullptr, 2);
  std::thread producer([] {
    phase_result = 42; // known-false-positive
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'phase_result': written here (no lock held) and read in parallel (no lock held) [untangle-data-race]
    wait_for_all();
  });
  wait_for_all();
  int seen = phase_result;
  producer.join();
  (void)seen;
}

// A mutex destroyed by a run that took it earlier is taken to be destroyed after
// every other use: a thread still to lock it races with the destroy, unreported.
pthread_mutex_t late_lock = PTHREAD_MUTEX_INITIALIZER;
void destroy_after_taking() {
  pthread_mutex_lock(&late_lock);
  pthread_mutex_unlock(&late_lock);
  std::thread late([] {
    pthread_mutex_lock(&late_lock);
    pthread_mutex_unlock(&late_lock);
  });
  pthread_mutex_destroy(&late_lock); // known-miss
  late.join();
}

// A library call given a byte pointer to a numbered element reaches as far as its size
// says, which the rule does not follow: two disjoint ranges of one buffer are taken to
// overlap.
char packet[8];
void disjoint_byte_ranges() {
  std::thread header([] {
    std::memcpy(packet + 0, "HDR", 4); // known-false-positive
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'packet': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  });
  std::memcpy(packet + 4, "BDY", 4);
  header.join();
}
