// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// A whole struct written at once (`t.inner = fresh`, `config = defaults`) holds every
// field nested in it: it races with a thread's access to one of them, directly
// (`t.inner.count`) or through a pointer the analysis cannot follow (`p->count`).
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

struct inner {
  int count;
  int limit;
};
struct outer {
  struct inner inner;
  int generation;
};

// --- 1. a nested struct replaced while a thread bumps one of its fields ---------------
struct outer state1;
void *bump1(void *arg) {
  state1.inner.count++; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: data race on 'state1.count': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}
void run1(void) {
  pthread_t t;
  struct inner fresh = {0, 10};
  pthread_create(&t, NULL, bump1, NULL);
  state1.inner = fresh; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:10: note: conflicting write here, no lock held
  state1.generation++; // no-race: the thread never touches it
  pthread_join(t, NULL);
}

// The same under one lock on both sides.
struct outer state1b;
void *bump1b(void *arg) {
  pthread_mutex_lock(&lock);
  state1b.inner.count++; // no-race
  pthread_mutex_unlock(&lock);
  return NULL;
}
void run1b(void) {
  pthread_t t;
  struct inner fresh = {0, 10};
  pthread_create(&t, NULL, bump1b, NULL);
  pthread_mutex_lock(&lock);
  state1b.inner = fresh; // no-race
  pthread_mutex_unlock(&lock);
  pthread_join(t, NULL);
}

// --- 2. a global struct copied over while a thread reads it through a pointer --------
struct inner config2;
struct inner *current_config(void);
void *reader2(void *arg) {
  return (void *)(long)current_config()->limit; // race
}
void run2(void) {
  pthread_t t;
  struct inner defaults = {1, 100};
  pthread_create(&t, NULL, reader2, NULL);
  config2 = defaults; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'config2': written here (no lock held) and read in parallel (no lock held) [untangle-data-race]
  // CHECK-MESSAGES: :[[@LINE-8]]:42: note: conflicting read here, no lock held
  pthread_join(t, NULL);
}
struct inner *current_config(void) { return &config2; }

// --- 3. scanf fills what it is given ----------------------------------------------------
int level3;
void *bump3(void *arg) {
  level3++; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'level3': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}
void run3(void) {
  pthread_t t;
  pthread_create(&t, NULL, bump3, NULL);
  if (scanf("%d", &level3) != 1) // race
    level3 = 0; // race
  // CHECK-MESSAGES: :[[@LINE-2]]:7: note: conflicting write here, no lock held
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: conflicting write here too, no lock held
  pthread_join(t, NULL);
}

// Read after the join: no race.
int level3b;
void *bump3b(void *arg) {
  level3b++; // no-race
  return NULL;
}
void run3b(void) {
  pthread_t t;
  pthread_create(&t, NULL, bump3b, NULL);
  pthread_join(t, NULL);
  if (scanf("%d", &level3b) != 1) // no-race
    level3b = 0;                  // no-race
}

int main(void) {
  run1();
  run1b();
  run2();
  run3();
  run3b();
  return 0;
}
