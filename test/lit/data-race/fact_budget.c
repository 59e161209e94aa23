// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// A path keeps at most MaxPathFacts conditions (8). Once a path has that many, a new
// fact replaces the oldest: the newest ones (a spawn's own `pthread_create(..) == 0`,
// the branch just taken) are what a nearby error path is correlated with. Here the
// argument checks fill the list before the workers are created; the branch where a
// creation fails must still know that this worker was not started, or the pool freed
// there (after joining the workers started before) would look parallel to it.
#include <pthread.h>
#include <stdlib.h>

struct pool {
  pthread_mutex_t lock;
  pthread_t *threads;
  int count;
  int started;
  int stop;
};

static void *worker(void *arg) {
  struct pool *p = arg;
  for (;;) {
    pthread_mutex_lock(&p->lock);
    if (p->stop) { // no-race
      pthread_mutex_unlock(&p->lock);
      return NULL;
    }
    p->count++; // no-race
    pthread_mutex_unlock(&p->lock);
  }
}

// Joins every worker started, then frees the pool.
static void pool_destroy(struct pool *p) {
  pthread_mutex_lock(&p->lock);
  p->stop = 1;
  pthread_mutex_unlock(&p->lock);
  for (int i = 0; i < p->started; i++)
    pthread_join(p->threads[i], NULL);
  free(p->threads);
  free(p); // no-race: every worker was joined
}

struct pool *pool_create(int threads, int queue, int flags, int prio) {
  if (threads <= 0 || threads > 64 || queue <= 0 || queue > 1024 || flags < 0 ||
      flags > 3 || prio < 0 || prio > 9)
    return NULL;
  struct pool *p = calloc(1, sizeof *p);
  if (p == NULL)
    return NULL;
  p->threads = calloc(threads, sizeof(pthread_t));
  if (p->threads == NULL) {
    free(p);
    return NULL;
  }
  pthread_mutex_init(&p->lock, NULL);
  for (int i = 0; i < threads; i++) {
    if (pthread_create(&p->threads[i], NULL, worker, p) != 0) {
      pool_destroy(p);
      return NULL;
    }
    p->started++;
  }
  return p;
}

// The same, but the error path frees the pool without stopping and joining the
// workers already started: they may still be running. Missed (a known limit): the
// failure branch of a creation in a loop contradicts that creation, and the workers of
// earlier rounds are the same spawn site, so they are taken as not started either.
struct leaky_pool {
  pthread_mutex_t lock;
  pthread_t *threads;
  int count;
  int started;
};

static void *leaky_worker(void *arg) {
  struct leaky_pool *p = arg;
  pthread_mutex_lock(&p->lock);
  p->count++;
  pthread_mutex_unlock(&p->lock);
  return NULL;
}

static void leaky_discard(struct leaky_pool *p) {
  free(p->threads);
  free(p); // known-miss
}

struct leaky_pool *leaky_create(int threads, int queue, int flags, int prio) {
  if (threads <= 0 || threads > 64 || queue <= 0 || queue > 1024 || flags < 0 ||
      flags > 3 || prio < 0 || prio > 9)
    return NULL;
  struct leaky_pool *p = calloc(1, sizeof *p);
  if (p == NULL)
    return NULL;
  p->threads = calloc(threads, sizeof(pthread_t));
  if (p->threads == NULL) {
    free(p);
    return NULL;
  }
  pthread_mutex_init(&p->lock, NULL);
  for (int i = 0; i < threads; i++) {
    if (pthread_create(&p->threads[i], NULL, leaky_worker, p) != 0) {
      leaky_discard(p);
      return NULL;
    }
    p->started++;
  }
  return p;
}

int main(void) {
  struct pool *p = pool_create(4, 16, 0, 0);
  if (p)
    pool_destroy(p);
  struct leaky_pool *q = leaky_create(4, 16, 0, 0);
  (void)q;
  return 0;
}
