// A C plugin host: request threads call the current handler through a global function
// pointer under a read-write lock taken for reading, and the main thread hot-swaps the
// handler under the same lock taken for writing. The handlers count into their own
// atomic counters. Race-free.
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

typedef long (*handler_fn)(long);

static atomic_long v1_calls, v2_calls;

static long handle_v1(long x) {
  atomic_fetch_add(&v1_calls, 1);
  return x + 1;
}
static long handle_v2(long x) {
  atomic_fetch_add(&v2_calls, 1);
  return x * 2;
}

static handler_fn current_handler = handle_v1;
static pthread_rwlock_t handler_lock = PTHREAD_RWLOCK_INITIALIZER;

static void *request_loop(void *arg) {
  long acc = 0;
  for (int i = 0; i < 100; i++) {
    pthread_rwlock_rdlock(&handler_lock);
    acc += current_handler(i);                  // NORACE
    pthread_rwlock_unlock(&handler_lock);
    if (i % 10 == 0)
      usleep(10);
  }
  return (void *)acc;
}

int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, request_loop, NULL);
  usleep(100);
  pthread_rwlock_wrlock(&handler_lock);
  current_handler = handle_v2;                  // NORACE
  pthread_rwlock_unlock(&handler_lock);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  printf("%ld\n", atomic_load(&v1_calls) + atomic_load(&v2_calls));
  return 0;
}
