// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// A local pointer declared without a value and assigned once, C89 style (`int *z;
// ... z = hits;`), points where that one assignment made it point: `*z` is the
// shared counter behind the global `hits`, and races with the worker's update. One
// assigned the address of a local of its own names that local, which no other
// thread sees.
#include <pthread.h>
#include <stdlib.h>

int *hits;
pthread_mutex_t hits_lock = PTHREAD_MUTEX_INITIALIZER;

void *worker(void *arg) {
  pthread_mutex_lock(&hits_lock);
  *hits += 1;  // race: main reads it without the lock
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on '*hits': written here (holding 'hits_lock') and read in parallel (no lock held) [untangle-data-race]
  pthread_mutex_unlock(&hits_lock);
  return NULL;
}

int main(void) {
  pthread_t t;
  int *z, *scratch;
  int local = 0;
  hits = calloc(1, sizeof *hits);
  z = hits;
  scratch = &local;
  pthread_create(&t, NULL, worker, NULL);
  int seen = *z;  // race
  *scratch = seen;  // no-race: main's own local
  pthread_join(t, NULL);
  return local;
}
