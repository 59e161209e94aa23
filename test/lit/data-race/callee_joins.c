// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// The start/stop shape of C services: `start()` creates workers into global handles,
// `stop()` joins them and then tears down what they used. The workers run in
// `main` from the call of `start()` on, so `stop()`'s accesses carry them -- until
// `stop()` has joined them on every path: its cleanup after the joins is ordered
// after everything the workers did. A join on one path only, or cleanup before the
// join, still races.
#include <pthread.h>
#include <stdlib.h>

#define WORKERS 4

pthread_t pool[WORKERS];
pthread_t flusher;
pthread_mutex_t queue_lock;
int *queue;
int queue_len;
int flushed;
int verbose;

void *drain(void *arg) {
  pthread_mutex_lock(&queue_lock);
  if (queue_len > 0)
    queue[--queue_len] = 0;  // no-race: under the lock; freed after the joins
  pthread_mutex_unlock(&queue_lock);
  return NULL;
}

void *flush(void *arg) {
  flushed++;  // race: with the reset in stop(), whose join of flusher is conditional
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'flushed': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}

void start(void) {
  pthread_mutex_init(&queue_lock, NULL);
  queue = calloc(16, sizeof *queue);
  queue_len = 16;
  for (int i = 0; i < WORKERS; i++)
    pthread_create(&pool[i], NULL, drain, NULL);
  pthread_create(&flusher, NULL, flush, NULL);
}

void stop(void) {
  for (int i = 0; i < WORKERS; i++)
    pthread_join(pool[i], NULL);
  free(queue);                        // no-race: every worker joined
  queue_len = 0;                      // no-race
  pthread_mutex_destroy(&queue_lock); // no-race
  if (verbose)
    pthread_join(flusher, NULL);
  flushed = 0;  // race: the flusher is joined on one path only
}

int main(int argc, char **argv) {
  verbose = argc > 1;
  start();
  stop();
  return 0;
}
