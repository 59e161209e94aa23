// RUN: %check_untangle %s untangle-data-race %t -- -config="{CheckOptions: {untangle-data-race.AcquireFunctions: '^enter_critical$', untangle-data-race.ReleaseFunctions: '^leave_critical$'}}" -- -std=gnu11
// A lock call without an operand takes the program's one critical section:
// SV-COMP's `__VERIFIER_atomic_begin()` / `__VERIFIER_atomic_end()`, and an
// argument-less function named in AcquireFunctions / ReleaseFunctions (an embedded
// system's `enter_critical()` that masks interrupts or takes a global lock).
#include <pthread.h>

void __VERIFIER_atomic_begin(void);
void __VERIFIER_atomic_end(void);

// A global lock behind two argument-less functions, as a port layer would have it.
static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
void enter_critical(void) { pthread_mutex_lock(&big_lock); }
void leave_critical(void) { pthread_mutex_unlock(&big_lock); }

// --- 1. both sides in an atomic section ----------------------------------------------
int events1;
void *record1(void *arg) {
  __VERIFIER_atomic_begin();
  events1++; // no-race
  __VERIFIER_atomic_end();
  return NULL;
}
void run1(void) {
  pthread_t t;
  pthread_create(&t, NULL, record1, NULL);
  __VERIFIER_atomic_begin();
  events1 += 2; // no-race
  __VERIFIER_atomic_end();
  pthread_join(t, NULL);
}

// One side outside it.
int events1b;
void *record1b(void *arg) {
  __VERIFIER_atomic_begin();
  events1b++; // race
  __VERIFIER_atomic_end();
  return NULL;
}
void run1b(void) {
  pthread_t t;
  pthread_create(&t, NULL, record1b, NULL);
  events1b += 2; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'events1b': written here (no lock held) and written in parallel (holding 'the critical section') [untangle-data-race]
  // CHECK-MESSAGES: :[[@LINE-9]]:3: note: conflicting write here, holding 'the critical section'
  pthread_join(t, NULL);
}

// --- 2. argument-less lock functions named in the options -------------------------------
int ticks2;
void *tick2(void *arg) {
  enter_critical();
  ticks2++; // no-race
  leave_critical();
  return NULL;
}
void run2(void) {
  pthread_t t;
  pthread_create(&t, NULL, tick2, NULL);
  enter_critical();
  ticks2 = 0; // no-race
  leave_critical();
  pthread_join(t, NULL);
}

// Released before the access.
int ticks2b;
void *tick2b(void *arg) {
  enter_critical();
  ticks2b++; // race
  leave_critical();
  return NULL;
}
void run2b(void) {
  pthread_t t;
  pthread_create(&t, NULL, tick2b, NULL);
  enter_critical();
  leave_critical();
  ticks2b = 0; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'ticks2b': written here (no lock held) and written in parallel (holding 'the critical section') [untangle-data-race]
  // CHECK-MESSAGES: :[[@LINE-11]]:3: note: conflicting write here, holding 'the critical section'
  pthread_join(t, NULL);
}

int main(void) {
  run1();
  run1b();
  run2();
  run2b();
  return 0;
}
