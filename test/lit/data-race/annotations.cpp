// RUN: %check_untangle %s untangle-data-race %t
// ThreadSanitizer's annotations are synchronization the rule honours: happens-before
// edges (`__tsan_release`/`__tsan_acquire`, `ANNOTATE_HAPPENS_BEFORE/AFTER`) and custom
// mutexes (`__tsan_mutex_post_lock` .. `__tsan_mutex_pre_unlock`). `volatile` is not.
#include <atomic>
#include <thread>

extern "C" {
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
void AnnotateHappensBefore(const char *file, int line, const volatile void *addr);
void AnnotateHappensAfter(const char *file, int line, const volatile void *addr);
void __tsan_mutex_post_lock(void *addr, unsigned flags, int recursion);
void __tsan_mutex_pre_unlock(void *addr, unsigned flags);
}
#define ANNOTATE_HAPPENS_BEFORE(addr) AnnotateHappensBefore(__FILE__, __LINE__, addr)
#define ANNOTATE_HAPPENS_AFTER(addr) AnnotateHappensAfter(__FILE__, __LINE__, addr)

// --- 1. __tsan_release / __tsan_acquire order the payload --------------------------
int payload1;
int ready1;
void publish_with_tsan() {
  std::thread producer([] {
    payload1 = 42;          // no-race
    __tsan_release(&ready1);
  });
  __tsan_acquire(&ready1);
  int seen = payload1;      // no-race
  (void)seen;
  producer.join();
}
int payload1b;
int ready1b;
void read_before_acquire() {
  std::thread producer([] {
    payload1b = 42;
    __tsan_release(&ready1b);
  });
  int seen = payload1b;
  // CHECK-MESSAGES: :[[@LINE-4]]:5: warning: data race on 'payload1b': written here
  __tsan_acquire(&ready1b);
  (void)seen;
  producer.join();
}

// --- 2. ANNOTATE_HAPPENS_BEFORE / AFTER ----------------------------------------------
int payload2;
int ready2;
void publish_with_macros() {
  std::thread producer([] {
    payload2 = 7;           // no-race
    ANNOTATE_HAPPENS_BEFORE(&ready2);
  });
  ANNOTATE_HAPPENS_AFTER(&ready2);
  payload2 += 1;            // no-race
  producer.join();
}
int payload2b;
int ready2b;
void write_after_release() {
  std::thread producer([] {
    ANNOTATE_HAPPENS_BEFORE(&ready2b);
    payload2b = 7;
  });
  // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: data race on 'payload2b': written here
  ANNOTATE_HAPPENS_AFTER(&ready2b);
  payload2b += 1;
  producer.join();
}

// --- 3. a custom mutex annotated for ThreadSanitizer ---------------------------------
struct TicketLock {
  void lock() { __tsan_mutex_post_lock(this, 0, 0); }
  void unlock() { __tsan_mutex_pre_unlock(this, 0); }
};
TicketLock ticket3;
int count3;
void annotated_lock() {
  std::thread t([] {
    __tsan_mutex_post_lock(&ticket3, 0, 0);
    count3++;               // no-race
    __tsan_mutex_pre_unlock(&ticket3, 0);
  });
  __tsan_mutex_post_lock(&ticket3, 0, 0);
  count3++;                 // no-race
  __tsan_mutex_pre_unlock(&ticket3, 0);
  t.join();
}
int count3b;
void lock_on_one_side() {
  std::thread t([] {
    __tsan_mutex_post_lock(&ticket3, 0, 0);
    count3b++;
    __tsan_mutex_pre_unlock(&ticket3, 0);
  });
  count3b++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'count3b': written here
  t.join();
}

// --- 4. volatile is not synchronization ----------------------------------------------
volatile bool stop4;
void volatile_flag() {
  std::thread t([] {
    while (!stop4) {
    }
  });
  stop4 = true;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'stop4': written here
  t.join();
}

// --- 5. a hand-made mutex whose members annotate their own object ------------------------
// `lock()` ends held (post_lock on `this`), `unlock()` ends released: calling them holds
// and drops the object they are called on, and is no write of it. A try-lock annotated
// with flags other than 0 may fail: it holds nothing it is not seen to hold.
struct SpinLock5 {
  void lock() {
    while (busy.exchange(true)) {
    }
    __tsan_mutex_post_lock(this, 0, 0);
  }
  bool try_lock() {
    const bool ok = !busy.exchange(true);
    __tsan_mutex_post_lock(this, ok ? 1u : 3u, 0);
    return ok;
  }
  void unlock() {
    __tsan_mutex_pre_unlock(this, 0);
    busy.store(false);
  }
  std::atomic<bool> busy{false};
};
SpinLock5 spin5;
long total5, tries5;
void spin_members() {
  std::thread t([] {
    spin5.lock();
    total5++; // no-race
    tries5++;
    spin5.unlock();
  });
  spin5.lock();
  total5++; // no-race
  spin5.unlock();
  if (spin5.try_lock())
    spin5.unlock();
  tries5++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'tries5': written here (no lock held) and written in parallel (holding 'spin5') [untangle-data-race]
  t.join();
}
