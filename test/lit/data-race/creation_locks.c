// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// A thread started while its spawner holds a lock, which the spawner keeps until the
// thread has surely ended, runs inside that critical section: a thread taking the
// lock itself is ordered with all of it (race/CreationLocks.cpp).
#include <pthread.h>

// --- 1. started and joined under the lock -------------------------------------------
pthread_mutex_t gate1 = PTHREAD_MUTEX_INITIALIZER;
long tally1;
void *locked_adder1(void *arg) {
  pthread_mutex_lock(&gate1);
  tally1 += 2; // no-race
  pthread_mutex_unlock(&gate1);
  return NULL;
}
void *bare_adder1(void *arg) {
  tally1 += 3; // no-race: runs while the spawner holds gate1
  return NULL;
}
void run_inside1(void) {
  pthread_t outside, inside;
  pthread_create(&outside, NULL, locked_adder1, NULL);
  pthread_mutex_lock(&gate1);
  pthread_create(&inside, NULL, bare_adder1, NULL);
  pthread_join(inside, NULL);
  pthread_mutex_unlock(&gate1);
  pthread_join(outside, NULL);
}

// Released before the join: the thread may still run once another one holds the lock.
pthread_mutex_t gate2 = PTHREAD_MUTEX_INITIALIZER;
long tally2;
void *locked_adder2(void *arg) {
  pthread_mutex_lock(&gate2);
  tally2 += 2;
  pthread_mutex_unlock(&gate2);
  return NULL;
}
void *bare_adder2(void *arg) {
  tally2 += 3;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'tally2': written here (no lock held) and written in parallel (holding 'gate2')
void run_released2(void) {
  pthread_t outside, inside;
  pthread_create(&outside, NULL, locked_adder2, NULL);
  pthread_mutex_lock(&gate2);
  pthread_create(&inside, NULL, bare_adder2, NULL);
  pthread_mutex_unlock(&gate2);
  pthread_join(inside, NULL);
  pthread_join(outside, NULL);
}

// Released and taken again between start and join: not one critical section.
pthread_mutex_t gate3 = PTHREAD_MUTEX_INITIALIZER;
long tally3;
void *locked_adder3(void *arg) {
  pthread_mutex_lock(&gate3);
  tally3 += 2;
  pthread_mutex_unlock(&gate3);
  return NULL;
}
void *bare_adder3(void *arg) {
  tally3 += 3;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'tally3'
void run_retaken3(void) {
  pthread_t outside, inside;
  pthread_create(&outside, NULL, locked_adder3, NULL);
  pthread_mutex_lock(&gate3);
  pthread_create(&inside, NULL, bare_adder3, NULL);
  pthread_mutex_unlock(&gate3);
  pthread_mutex_lock(&gate3);
  pthread_join(inside, NULL);
  pthread_mutex_unlock(&gate3);
  pthread_join(outside, NULL);
}

// --- 2. the spawner's own code in the section runs in parallel with the thread -------
pthread_mutex_t gate4 = PTHREAD_MUTEX_INITIALIZER;
long tally4;
void *bare_adder4(void *arg) {
  tally4 += 3;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'tally4': written here (no lock held) and written in parallel (holding 'gate4')
void run_beside4(void) {
  pthread_t inside;
  pthread_mutex_lock(&gate4);
  pthread_create(&inside, NULL, bare_adder4, NULL);
  tally4 = 0;
  pthread_join(inside, NULL);
  pthread_mutex_unlock(&gate4);
}

// Two threads inside the same section run in parallel with each other.
pthread_mutex_t gate5 = PTHREAD_MUTEX_INITIALIZER;
long tally5;
void *bare_adder5(void *arg) {
  tally5 += 3;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'tally5'
void run_pair5(void) {
  pthread_t first, second;
  pthread_mutex_lock(&gate5);
  pthread_create(&first, NULL, bare_adder5, NULL);
  pthread_create(&second, NULL, bare_adder5, NULL);
  pthread_join(first, NULL);
  pthread_join(second, NULL);
  pthread_mutex_unlock(&gate5);
}

// --- 3. an earlier thread's creation edge spans the inner thread --------------------
// `waiter6` can take gate6 only once the spawner lets go of it, after `inner6` ended.
pthread_mutex_t gate6 = PTHREAD_MUTEX_INITIALIZER;
long tally6;
void *waiter6(void *arg) {
  pthread_mutex_lock(&gate6);
  pthread_mutex_unlock(&gate6);
  tally6 += 2; // no-race
  return NULL;
}
void *inner6(void *arg) {
  tally6 += 3; // no-race: ended before gate6 is released
  return NULL;
}
void run_handoff6(void) {
  pthread_t late, inner;
  pthread_mutex_lock(&gate6);
  pthread_create(&late, NULL, waiter6, NULL);
  pthread_create(&inner, NULL, inner6, NULL);
  pthread_join(inner, NULL);
  pthread_mutex_unlock(&gate6);
  pthread_join(late, NULL);
}

// Joined after the release: it may still run once `waiter7` has the lock.
pthread_mutex_t gate7 = PTHREAD_MUTEX_INITIALIZER;
long tally7;
void *waiter7(void *arg) {
  pthread_mutex_lock(&gate7);
  pthread_mutex_unlock(&gate7);
  tally7 += 2;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'tally7': written here (no lock held) and written in parallel (no lock held)
void *inner7(void *arg) {
  tally7 += 3;
  return NULL;
}
void run_late_join7(void) {
  pthread_t late, inner;
  pthread_mutex_lock(&gate7);
  pthread_create(&late, NULL, waiter7, NULL);
  pthread_create(&inner, NULL, inner7, NULL);
  pthread_mutex_unlock(&gate7);
  pthread_join(inner, NULL);
  pthread_join(late, NULL);
}

// --- 4. a thread started on one path only: its creation edge holds on both -----------
pthread_mutex_t gate8 = PTHREAD_MUTEX_INITIALIZER;
long tally8;
void *waiter8(void *arg) {
  pthread_mutex_lock(&gate8);
  pthread_mutex_unlock(&gate8);
  tally8 += 2; // no-race
  return NULL;
}
void run_maybe8(int wanted) {
  pthread_t late;
  pthread_mutex_lock(&gate8);
  if (wanted)
    pthread_create(&late, NULL, waiter8, NULL);
  tally8 = 1; // no-race: before the release, on either path
  pthread_mutex_unlock(&gate8);
}

// After the release, the thread (if started) may run.
pthread_mutex_t gate9 = PTHREAD_MUTEX_INITIALIZER;
long tally9;
void *waiter9(void *arg) {
  pthread_mutex_lock(&gate9);
  pthread_mutex_unlock(&gate9);
  tally9 += 2;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'tally9'
void run_maybe9(int wanted) {
  pthread_t late;
  pthread_mutex_lock(&gate9);
  if (wanted)
    pthread_create(&late, NULL, waiter9, NULL);
  pthread_mutex_unlock(&gate9);
  tally9 = 1;
}

// A release through a pointer to a lock not known may be gate12's: not one section.
pthread_mutex_t gate12 = PTHREAD_MUTEX_INITIALIZER;
long tally12;
void *locked_adder12(void *arg) {
  pthread_mutex_lock(&gate12);
  tally12 += 2;
  pthread_mutex_unlock(&gate12);
  return NULL;
}
void *bare_adder12(void *arg) {
  tally12 += 3;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'tally12'
void run_unknown_release12(pthread_mutex_t *some) {
  pthread_t outside, inside;
  pthread_create(&outside, NULL, locked_adder12, NULL);
  pthread_mutex_lock(&gate12);
  pthread_create(&inside, NULL, bare_adder12, NULL);
  pthread_mutex_unlock(some);
  pthread_join(inside, NULL);
  pthread_mutex_unlock(&gate12);
  pthread_join(outside, NULL);
}

// --- 5. never joined, never released: `main` ends the process holding the lock ------
// A function other than main returning with the lock held may have its caller release
// it while the thread goes on.
pthread_mutex_t gate10 = PTHREAD_MUTEX_INITIALIZER;
long tally10;
void *locked_adder10(void *arg) {
  pthread_mutex_lock(&gate10);
  tally10 += 2;
  pthread_mutex_unlock(&gate10);
  return NULL;
}
void *bare_adder10(void *arg) {
  tally10 += 3;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'tally10'
void start_holding10(void) {
  pthread_t outside, inside;
  pthread_create(&outside, NULL, locked_adder10, NULL);
  pthread_mutex_lock(&gate10);
  pthread_create(&inside, NULL, bare_adder10, NULL);
}

pthread_mutex_t gate11 = PTHREAD_MUTEX_INITIALIZER;
long tally11;
void *locked_adder11(void *arg) {
  pthread_mutex_lock(&gate11);
  tally11 += 2; // no-race
  pthread_mutex_unlock(&gate11);
  return NULL;
}
void *bare_adder11(void *arg) {
  tally11 += 3; // no-race: main never releases gate11
  return NULL;
}
int main(int argc, char **argv) {
  pthread_t outside, inside;
  pthread_create(&outside, NULL, locked_adder11, NULL);
  pthread_mutex_lock(&gate11);
  if (argc > 1)
    pthread_create(&inside, NULL, bare_adder11, NULL);
  return 0;
}
