// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// A lock taken under a condition (`if (locking) lock(&m);`) is held, after the branch
// merges, wherever that condition is known to hold again (`if (locking) hits++;`),
// until the lock is released or the condition's variable is written.
#include <pthread.h>
#include <stdlib.h>

pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;

// --- 1. locked, touched and unlocked under one flag --------------------------------
long hits1;
void *count1(void *arg) {
  pthread_mutex_lock(&stats_lock);
  hits1++; // no-race
  pthread_mutex_unlock(&stats_lock);
  return NULL;
}
void run1(int locking) {
  pthread_t t;
  pthread_create(&t, NULL, count1, NULL);
  if (locking)
    pthread_mutex_lock(&stats_lock);
  if (locking)
    hits1 += 10; // no-race: stats_lock is held wherever `locking` is true
  if (locking)
    pthread_mutex_unlock(&stats_lock);
  pthread_join(t, NULL);
}

// The access under another flag: no lock known there.
long hits1b;
void *count1b(void *arg) {
  pthread_mutex_lock(&stats_lock);
  hits1b++; // race
  pthread_mutex_unlock(&stats_lock);
  return NULL;
}
void run1b(int locking, int verbose) {
  pthread_t t;
  pthread_create(&t, NULL, count1b, NULL);
  if (locking)
    pthread_mutex_lock(&stats_lock);
  if (verbose)
    hits1b += 10; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'hits1b': written here (no lock held) and written in parallel (holding 'stats_lock') [untangle-data-race]
  // CHECK-MESSAGES: :[[@LINE-12]]:3: note: conflicting write here, holding 'stats_lock'
  if (locking)
    pthread_mutex_unlock(&stats_lock);
  pthread_join(t, NULL);
}

// --- 2. the flag changed between the lock and the access ---------------------------
long hits2;
void *count2(void *arg) {
  pthread_mutex_lock(&stats_lock);
  hits2++; // race
  pthread_mutex_unlock(&stats_lock);
  return NULL;
}
void run2(int locking, int verbose) {
  pthread_t t;
  pthread_create(&t, NULL, count2, NULL);
  if (locking)
    pthread_mutex_lock(&stats_lock);
  int held = locking;
  locking = locking || verbose;
  if (locking)
    hits2 += 10; // race: `locking` may now be true without the lock
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'hits2': written here (no lock held) and written in parallel (holding 'stats_lock') [untangle-data-race]
  // CHECK-MESSAGES: :[[@LINE-14]]:3: note: conflicting write here, holding 'stats_lock'
  if (held)
    pthread_mutex_unlock(&stats_lock);
  pthread_join(t, NULL);
}

// --- 3. released under the flag before the access ----------------------------------
long hits3;
void *count3(void *arg) {
  pthread_mutex_lock(&stats_lock);
  hits3++; // race
  pthread_mutex_unlock(&stats_lock);
  return NULL;
}
void run3(int locking) {
  pthread_t t;
  pthread_create(&t, NULL, count3, NULL);
  if (locking)
    pthread_mutex_lock(&stats_lock);
  if (locking)
    pthread_mutex_unlock(&stats_lock);
  if (locking)
    hits3 += 10; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'hits3': written here (no lock held) and written in parallel (holding 'stats_lock') [untangle-data-race]
  // CHECK-MESSAGES: :[[@LINE-14]]:3: note: conflicting write here, holding 'stats_lock'
  pthread_join(t, NULL);
}

int main(int argc, char **argv) {
  run1(argc > 0);
  run1b(argc == 0, argc > 0);
  run2(argc == 0, argc > 0);
  run3(argc > 0);
  return 0;
}
