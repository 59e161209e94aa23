// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// A helper that locks the mutex it is given (`bump(m)`) holds, in each run, the lock
// its caller passed: two threads calling it with two different mutexes hold two
// locks, and the counter it bumps races; called with the same one, it does not. A
// thread that locks through a local copy of its `void *` argument (`pthread_mutex_t *m
// = arg;`) holds the lock its spawner passed, the same way. Confirmed with TSan: in
// 20 runs it reported the two lines marked race, and nothing else.
#include <pthread.h>

pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t io_lock = PTHREAD_MUTEX_INITIALIZER;
long requests, bytes, hits, misses;

void bump(pthread_mutex_t *m, long *counter) {
  pthread_mutex_lock(m);
  *counter += 1;  // race on requests (stats_lock in one thread, io_lock in the other)
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'requests': written here (holding 'stats_lock') and written in parallel (holding 'io_lock') [untangle-data-race]
  pthread_mutex_unlock(m);
}

void *accept_loop(void *arg) {
  bump(&stats_lock, &requests);
  bump(&stats_lock, &bytes);  // no-race: bytes is bumped under stats_lock everywhere
  return NULL;
}

void *io_loop(void *arg) {
  bump(&io_lock, &requests);  // the wrong lock for requests
  bump(&stats_lock, &bytes);
  return NULL;
}

void *count_hit(void *arg) {
  pthread_mutex_t *m = (pthread_mutex_t *)arg;
  pthread_mutex_lock(m);
  hits++;  // no-race: both threads are given stats_lock
  pthread_mutex_unlock(m);
  return NULL;
}

void *count_miss(void *arg) {
  pthread_mutex_t *m = arg;
  pthread_mutex_lock(m);
  misses++;  // race: one thread is given stats_lock, the other io_lock
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'misses': written here (holding 'stats_lock') and written in parallel (holding 'io_lock') [untangle-data-race]
  pthread_mutex_unlock(m);
  return NULL;
}

int main(void) {
  pthread_t a, b, h1, h2, m1, m2;
  pthread_create(&a, NULL, accept_loop, NULL);
  pthread_create(&b, NULL, io_loop, NULL);
  pthread_create(&h1, NULL, count_hit, &stats_lock);
  pthread_create(&h2, NULL, count_hit, &stats_lock);
  pthread_create(&m1, NULL, count_miss, &stats_lock);
  pthread_create(&m2, NULL, count_miss, &io_lock);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  pthread_join(h1, NULL);
  pthread_join(h2, NULL);
  pthread_join(m1, NULL);
  pthread_join(m2, NULL);
  return 0;
}
