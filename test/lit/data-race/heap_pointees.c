// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// Scalars on the heap, named by the pointer that holds them (MemoryLocation::Pointee):
// the object a global pointer points to, and one a local pointer was initialized
// with by its allocation. Two threads writing `*x` touch one location; each run's own
// allocation is its own; constant indices of one allocation are apart when read as
// the type it was declared with.
#include <pthread.h>
#include <stdlib.h>

pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

// --- 1. the pointee of a global pointer, written by the thread and by main --------
int *hits1;
void *count1(void *arg) {
  pthread_mutex_lock(&lock);
  *hits1 += 1;
  pthread_mutex_unlock(&lock);
  return NULL;
}
void run1(void) {
  pthread_t t;
  hits1 = malloc(sizeof *hits1);
  *hits1 = 0; // no-race: before the thread starts
  pthread_create(&t, NULL, count1, NULL);
  *hits1 = 5; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on '*hits1': written here (no lock held) and written in parallel (holding 'lock') [untangle-data-race]
  pthread_join(t, NULL);
}

// The same, main holding the lock too.
int *hits1b;
void *count1b(void *arg) {
  pthread_mutex_lock(&lock);
  *hits1b += 1; // no-race
  pthread_mutex_unlock(&lock);
  return NULL;
}
void run1b(void) {
  pthread_t t;
  hits1b = calloc(1, sizeof *hits1b);
  pthread_create(&t, NULL, count1b, NULL);
  pthread_mutex_lock(&lock);
  *hits1b = 5; // no-race
  pthread_mutex_unlock(&lock);
  pthread_join(t, NULL);
  free(hits1b); // no-race: after the join
}

// --- 2. an allocation handed to a thread and freed while it runs ---------------------
void *bump2(void *arg) {
  int *n = arg;
  (*n)++; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:4: warning: data race on '*n': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}
void run2(void) {
  pthread_t t;
  int *n = malloc(sizeof *n);
  *n = 0;
  pthread_create(&t, NULL, bump2, n);
  free(n); // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here, no lock held
  pthread_join(t, NULL);
}

// Freed after the join, read before the spawn: no race.
void *bump2b(void *arg) {
  int *n = arg;
  (*n)++; // no-race
  return NULL;
}
int run2b(void) {
  pthread_t t;
  int *n = malloc(sizeof *n);
  *n = 1; // no-race
  pthread_create(&t, NULL, bump2b, n);
  pthread_join(t, NULL);
  int result = *n; // no-race
  free(n);         // no-race
  return result;
}

// --- 3. elements of one allocation: d[2] always under the lock, d[3] not -------------
int *cells3;
void *fill3(void *arg) {
  pthread_mutex_lock(&lock);
  cells3[2] = 3; // no-race
  cells3[3] = 8; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'cells3[3]': written here (holding 'lock') and read in parallel (no lock held) [untangle-data-race]
  pthread_mutex_unlock(&lock);
  return NULL;
}
int run3(void) {
  pthread_t t;
  cells3 = calloc(10, sizeof(int));
  pthread_create(&t, NULL, fill3, NULL);
  pthread_mutex_lock(&lock);
  int two = cells3[2]; // no-race
  pthread_mutex_unlock(&lock);
  int three = cells3[3]; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:15: note: conflicting read here, no lock held
  pthread_join(t, NULL);
  return two + three;
}

// A `char` view of an `int` block: its bytes are not the `int` elements' numbers.
void *word4(void *arg) {
  int *w = arg;
  w[0] = 1; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'block[0]': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}
void *byte4(void *arg) {
  char *b = arg;
  b[2] = 1; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here, no lock held
  return NULL;
}
void run4(void) {
  pthread_t a, b;
  int *block = malloc(sizeof(int));
  pthread_create(&a, NULL, word4, block);
  pthread_create(&b, NULL, byte4, block);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  free(block);
}

// --- 5. each worker's own allocation -------------------------------------------------
void *work5(void *arg) {
  int *mine = malloc(sizeof *mine);
  *mine = 0; // no-race
  for (int i = 0; i < 10; i++)
    *mine += i; // no-race
  int result = *mine; // no-race
  free(mine);         // no-race
  return (void *)(long)result;
}
void run5(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, work5, NULL);
  pthread_create(&b, NULL, work5, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

// --- 6. a global pointer that only ever holds one variable's address ----------------
int total6;
int *sum6, *alias6;
void *add6(void *arg) {
  (*sum6)++; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:4: warning: data race on 'total6': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}
void run6(void) {
  pthread_t t;
  sum6 = alias6 = &total6;
  pthread_create(&t, NULL, add6, NULL);
  total6 += 2; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here, no lock held
  (*alias6)++; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:4: note: conflicting write here too, no lock held
  pthread_join(t, NULL);
}

// A local lock pointer set to one of two locks: neither is known to be held.
pthread_mutex_t first7 = PTHREAD_MUTEX_INITIALIZER, second7 = PTHREAD_MUTEX_INITIALIZER;
int shared7;
void *locked7(void *arg) {
  pthread_mutex_lock(&first7);
  shared7++; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'shared7': written here (holding 'first7') and written in parallel (holding 'm') [untangle-data-race]
  pthread_mutex_unlock(&first7);
  return NULL;
}
void run7(int other) {
  pthread_t t;
  pthread_mutex_t *m = &first7;
  if (other)
    m = &second7;
  pthread_create(&t, NULL, locked7, NULL);
  pthread_mutex_lock(m);
  shared7++; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here, holding 'm'
  pthread_mutex_unlock(m);
  pthread_join(t, NULL);
}

// Unlocking through such a pointer may release either lock: neither is held after it.
pthread_mutex_t first8 = PTHREAD_MUTEX_INITIALIZER, second8 = PTHREAD_MUTEX_INITIALIZER;
int shared8;
void *locked8(void *arg) {
  pthread_mutex_lock(&first8);
  shared8++; // race
  pthread_mutex_unlock(&first8);
  return NULL;
}
void run8(int other) {
  pthread_t t;
  pthread_mutex_t *m = &first8;
  if (other)
    m = &second8;
  pthread_create(&t, NULL, locked8, NULL);
  pthread_mutex_lock(&first8);
  pthread_mutex_unlock(m);
  shared8++; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'shared8': written here (no lock held) and written in parallel (holding 'first8') [untangle-data-race]
  // CHECK-MESSAGES: :[[@LINE-14]]:3: note: conflicting write here, holding 'first8'
  pthread_join(t, NULL);
}

int main(void) {
  run1();
  run1b();
  run2();
  run2b();
  run3();
  run4();
  run5();
  run6();
  run7(0);
  run8(0);
  return 0;
}
