// RUN: %check_untangle %s untangle-data-race %t
// A try-lock holds the lock on its success branch only; std::lock(a, b) takes both.
#include <cerrno>
#include <mutex>
#include <pthread.h>
#include <thread>

// --- 1. std::mutex::try_lock -------------------------------------------------------
std::mutex m1;
int hits1;
void try_lock_success_branch() {
  std::thread t([] {
    std::lock_guard<std::mutex> g(m1);
    hits1++;                     // no-race
  });
  if (m1.try_lock()) {
    hits1++;                     // no-race
    m1.unlock();
  }
  t.join();
}
std::mutex m1b;
int hits1b;
void try_lock_failure_branch() {
  std::thread t([] {
    std::lock_guard<std::mutex> g(m1b);
    hits1b++;
  });
  if (!m1b.try_lock()) {
    hits1b++;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'hits1b': written here
  } else {
    m1b.unlock();
  }
  t.join();
}

// --- 2. pthread_mutex_trylock returns 0 on success ---------------------------------
pthread_mutex_t m2 = PTHREAD_MUTEX_INITIALIZER;
int hits2;
void pthread_trylock_success() {
  std::thread t([] {
    pthread_mutex_lock(&m2);
    hits2++;                     // no-race
    pthread_mutex_unlock(&m2);
  });
  if (pthread_mutex_trylock(&m2) == 0) {
    hits2++;                     // no-race
    pthread_mutex_unlock(&m2);
  }
  t.join();
}
pthread_mutex_t m2b = PTHREAD_MUTEX_INITIALIZER;
int hits2b;
void pthread_trylock_ignored() {
  std::thread t([] {
    pthread_mutex_lock(&m2b);
    hits2b++;
    pthread_mutex_unlock(&m2b);
  });
  if (pthread_mutex_trylock(&m2b)) {
    hits2b++;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'hits2b': written here
  }
  t.join();
}
// The result kept in a variable declared right before the branch.
pthread_mutex_t m2c = PTHREAD_MUTEX_INITIALIZER;
int hits2c;
void pthread_trylock_stored() {
  std::thread t([] {
    pthread_mutex_lock(&m2c);
    hits2c++;                    // no-race
    pthread_mutex_unlock(&m2c);
  });
  int rc = pthread_mutex_trylock(&m2c);
  if (rc == 0) {
    hits2c++;                    // no-race
    pthread_mutex_unlock(&m2c);
  }
  t.join();
}

// Compared with EBUSY, its "held by someone else" result, and kept in a variable
// assigned right before the branch: `!= EBUSY` is the success branch.
pthread_mutex_t m2d = PTHREAD_MUTEX_INITIALIZER;
long ticks2d, missed2d;
void pthread_trylock_not_busy() {
  std::thread t([] {
    pthread_mutex_lock(&m2d);
    ticks2d++;                   // no-race
    missed2d = 0;
    pthread_mutex_unlock(&m2d);
  });
  int status;
  status = pthread_mutex_trylock(&m2d);
  if (status != EBUSY) {
    ticks2d++;                   // no-race
    pthread_mutex_unlock(&m2d);
  } else {
    missed2d++;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'missed2d': written here
  }
  t.join();
}
pthread_mutex_t m2e = PTHREAD_MUTEX_INITIALIZER;
int level2e;
void pthread_trylock_busy_branch() {
  std::thread t([] {
    pthread_mutex_lock(&m2e);
    level2e = 3;
    pthread_mutex_unlock(&m2e);
  });
  if (pthread_mutex_trylock(&m2e) == EBUSY) {
    level2e = 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'level2e': written here
  } else {
    level2e = 2;                 // no-race
    pthread_mutex_unlock(&m2e);
  }
  t.join();
}

// --- 3. std::lock(a, b) then adopting guards ---------------------------------------
std::mutex a3, b3;
int from3, to3;
void transfer_with_std_lock() {
  std::thread t([] {
    std::scoped_lock g(a3, b3);
    from3--;                     // no-race
    to3++;                       // no-race
  });
  std::lock(a3, b3);
  std::lock_guard<std::mutex> ga(a3, std::adopt_lock);
  std::lock_guard<std::mutex> gb(b3, std::adopt_lock);
  from3--;                       // no-race
  to3++;                         // no-race
  t.join();
}
std::mutex a3b, b3b;
int from3b;
void std_lock_then_unlock() {
  std::thread t([] {
    std::scoped_lock g(a3b, b3b);
    from3b--;
  });
  std::lock(a3b, b3b);
  a3b.unlock();
  b3b.unlock();
  from3b--;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'from3b': written here
  t.join();
}
