// A C plugin host: request threads call the current handler through a global function
// pointer, and the main thread hot-swaps the handler by assigning the pointer while
// they run: the pointer itself is the racy location. The handlers count into their
// own atomic counters.
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

static void *request_loop(void *arg) {
  long acc = 0;
  for (int i = 0; i < 100; i++) {
    acc += current_handler(i);                  // RACE
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
  current_handler = handle_v2;                  // RACE
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  printf("%ld\n", atomic_load(&v1_calls) + atomic_load(&v2_calls));
  return 0;
}
