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
  long buckets[64];
  long p90_bucket;
};

static struct stats stats = {PTHREAD_MUTEX_INITIALIZER};

// Recomputes the 90th-percentile bucket; called with the lock held.
static void update_percentile(void) {
  long seen = 0;
  for (int b = 0; b < 64; b++) {
    seen += stats.buckets[b];                   // NORACE
    if (seen * 10 >= stats.samples * 9) {
      stats.p90_bucket = b;                     // NORACE
      return;
    }
  }
}

static void *worker(void *arg) {
  long id = (long)arg;
  long backlog = 0, pending_us = 0;
  for (int i = 0; i < 400; i++) {
    long latency = (id * 13 + i * 7) % 50;
    if (pthread_mutex_trylock(&stats.lock) == 0) {
      stats.samples += 1 + backlog;             // NORACE
      stats.total_us += latency + pending_us;   // NORACE
      stats.buckets[latency]++;
      update_percentile();
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
  pthread_t t[4];
  for (long i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, worker, (void *)i);
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  printf("%ld %ld %ld\n", stats.samples, stats.total_us, stats.p90_bucket); // NORACE
  return 0;
}
