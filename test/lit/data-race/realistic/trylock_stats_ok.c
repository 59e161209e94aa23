// Workers record latencies into shared statistics guarded by a mutex they only
// try-lock, so as not to stall the hot path. When the try-lock succeeds the sample
// and the worker's backlog go in under the lock; when it fails the worker keeps them
// in locals and folds them in at its next successful try, or under a blocking lock at
// the end. Race-free.
#include <pthread.h>
#include <stdio.h>

struct stats {
  pthread_mutex_t lock;
  long samples;
  long total_us;
};

static struct stats stats = {PTHREAD_MUTEX_INITIALIZER, 0, 0};

static void *worker(void *arg) {
  long id = (long)arg;
  long backlog = 0, pending_us = 0;
  for (int i = 0; i < 200; i++) {
    long latency = (id * 13 + i * 7) % 50;
    if (pthread_mutex_trylock(&stats.lock) == 0) {
      stats.samples += 1 + backlog;             // NORACE
      stats.total_us += latency + pending_us;   // NORACE
      backlog = pending_us = 0;
      pthread_mutex_unlock(&stats.lock);
    } else {
      backlog++;
      pending_us += latency;
    }
  }
  pthread_mutex_lock(&stats.lock);
  stats.samples += backlog;                     // NORACE
  stats.total_us += pending_us;                 // NORACE
  pthread_mutex_unlock(&stats.lock);
  return NULL;
}

int main(void) {
  pthread_t t[3];
  for (long i = 0; i < 3; i++)
    pthread_create(&t[i], NULL, worker, (void *)i);
  for (int i = 0; i < 3; i++)
    pthread_join(t[i], NULL);
  printf("%ld %ld\n", stats.samples, stats.total_us); // NORACE
  return 0;
}
