// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// A helper that locks the mutex it is given (`bump(m)`) holds, in each run, the lock
// its caller passed: two threads calling it with two different mutexes hold two
// locks, and the counter it bumps races; called with the same one, it does not.
#include <pthread.h>

pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t io_lock = PTHREAD_MUTEX_INITIALIZER;
long requests, bytes;

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

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, accept_loop, NULL);
  pthread_create(&b, NULL, io_loop, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}
