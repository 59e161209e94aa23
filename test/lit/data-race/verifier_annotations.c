// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// What verifiers' conventions say about a program: the body of an SV-COMP
// `__VERIFIER_atomic_*` function runs as one atomic step (inside the program's one
// critical section, as `__VERIFIER_atomic_begin()` .. `_end()` is), and Goblint's
// `__goblint_assume_join(t)` states that thread t has ended there.
#include <pthread.h>

void __VERIFIER_atomic_begin(void);
void __VERIFIER_atomic_end(void);
void __goblint_assume_join(pthread_t thread);

// --- 1. an atomic function against an atomic section and another atomic function ----
int hits1;
void __VERIFIER_atomic_count1(void) {
  hits1 = hits1 + 1; // no-race
}
void *visitor1(void *arg) {
  __VERIFIER_atomic_count1();
  __VERIFIER_atomic_begin();
  hits1 += 2; // no-race
  __VERIFIER_atomic_end();
  return NULL;
}
void visit1(void) {
  pthread_t t;
  pthread_create(&t, NULL, visitor1, NULL);
  __VERIFIER_atomic_count1();
  pthread_join(t, NULL);
}

// Against a plain access: atomicity is the same critical section, which it lacks.
int hits1b;
void __VERIFIER_atomic_count1b(void) {
  hits1b = hits1b + 1; // race
}
void *visitor1b(void *arg) {
  __VERIFIER_atomic_count1b();
  return NULL;
}
void visit1b(void) {
  pthread_t t;
  pthread_create(&t, NULL, visitor1b, NULL);
  hits1b = 0; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'hits1b': written here (no lock held) and written in parallel (holding 'the critical section') [untangle-data-race]
  // CHECK-MESSAGES: :[[@LINE-11]]:3: note: conflicting write here, holding 'the critical section'
  pthread_join(t, NULL);
}

// --- 2. a thread assumed joined ------------------------------------------------------
int hits2;
void *visitor2(void *arg) {
  hits2++; // no-race
  return NULL;
}
void visit2(void) {
  pthread_t t;
  pthread_create(&t, NULL, visitor2, NULL);
  __goblint_assume_join(t);
  hits2 = 0; // no-race
}

// Assumed joined only after the access.
int hits2b;
void *visitor2b(void *arg) {
  hits2b++; // race
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'hits2b': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
void visit2b(void) {
  pthread_t t;
  pthread_create(&t, NULL, visitor2b, NULL);
  hits2b = 0; // race
  __goblint_assume_join(t);
}

int main(void) {
  visit1();
  visit1b();
  visit2();
  visit2b();
  return 0;
}
