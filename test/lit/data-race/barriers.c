// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// RUN: %check_untangle -check-suffix=EXTRA %s untangle-data-race %t -- -- -std=gnu11 -DEXTRA_WAITER
// `pthread_barrier_wait` returns once `count` threads have called it: what a waiter
// does before its wait happens before what another waiter does after its own. Here
// the barrier counts three (main and two loaders), each waits once: the tables the
// loaders fill before the wait are read by everyone after it without a race; what
// two waiters both do before the wait (or both after) still races. With a third
// loader waiting on the same barrier of three (EXTRA_WAITER), main may pass in a
// round with two loaders while the third is still filling its table: nothing is
// ordered by the barrier any more.
#include <pthread.h>

pthread_barrier_t loaded;
int names[8], sizes[8];
int loads;    // bumped by every loader before the wait
int lookups;  // bumped by everyone after it
int spare[8];

void *load_names(void *arg) {
  for (int i = 0; i < 8; i++)
    names[i] = i;  // no-race: before the wait; every reader is after its own
  // CHECK-MESSAGES-EXTRA: :[[@LINE-1]]:5: warning: data race on 'names[...]': written here (no lock held) and read in parallel (no lock held) [untangle-data-race]
  loads++;         // race: both loaders, before the wait
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'loads': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  // CHECK-MESSAGES-EXTRA: :[[@LINE-2]]:3: warning: data race on 'loads'
  pthread_barrier_wait(&loaded);
  lookups += sizes[3];  // race: after the wait, in every waiter
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'lookups': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  // CHECK-MESSAGES-EXTRA: :[[@LINE-2]]:3: warning: data race on 'lookups'
  return NULL;
}

void *load_sizes(void *arg) {
  for (int i = 0; i < 8; i++)
    sizes[i] = 4 * i;  // no-race
  // CHECK-MESSAGES-EXTRA: :[[@LINE-1]]:5: warning: data race on 'sizes[...]'
  loads++;
  pthread_barrier_wait(&loaded);
  lookups += names[2];
  return NULL;
}

#ifdef EXTRA_WAITER
void *load_spare(void *arg) {
  for (int i = 0; i < 8; i++)
    spare[i] = i;
  pthread_barrier_wait(&loaded);
  return NULL;
}
#endif

int main(void) {
  pthread_barrier_init(&loaded, NULL, 3);
  pthread_t a, b;
  pthread_create(&a, NULL, load_names, NULL);
  pthread_create(&b, NULL, load_sizes, NULL);
#ifdef EXTRA_WAITER
  pthread_t c;
  pthread_create(&c, NULL, load_spare, NULL);
#endif
  pthread_barrier_wait(&loaded);
  int total = names[7] + sizes[7];  // no-race: after the wait; the writes are before
  lookups++;
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return total;
}
