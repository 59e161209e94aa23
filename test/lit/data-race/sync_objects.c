// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// A mutex, barrier or semaphore is memory too: its operations are atomic with each
// other, but `pthread_*_init` and `pthread_*_destroy` write it like any store, so
// they race with a lock, unlock or wait in parallel (ThreadSanitizer reports them).
// Initialized before the threads start and destroyed after they are joined, nothing
// races; nor does a destroy by a thread that took the mutex first (the last owner of
// a reference-counted object), or a condition variable or semaphore destroyed once
// its waiters are woken (POSIX allows it once no thread is blocked on it).
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>

// 1. Lazy initialization: the first worker initializes the lock the other takes.
pthread_mutex_t stats_lock;
int stats_ready;
long hits;

void *count_hits(void *arg) {
  if (!stats_ready) {  // race: read here, written by the other worker
    pthread_mutex_init(&stats_lock, NULL);  // race: init while the other worker locks it
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'stats_lock': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
    stats_ready = 1;  // race
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'stats_ready': written here (no lock held) and read in parallel (no lock held) [untangle-data-race]
  }
  pthread_mutex_lock(&stats_lock);  // race: with the init
  hits++;  // no-race: both under stats_lock
  pthread_mutex_unlock(&stats_lock);
  return NULL;
}

// 2. Torn down too early: main destroys the log's lock before joining the logger.
pthread_mutex_t log_lock;
int lines_logged;
void *log_line(void *arg) {
  pthread_mutex_lock(&log_lock);  // race: with the destroy in main
  lines_logged++;
  pthread_mutex_unlock(&log_lock);  // race
  return NULL;
}

// 2b. Race-free: a semaphore may be destroyed as soon as its wait returns (POSIX;
// the poster may still be inside sem_post).
sem_t ready;
void *announce(void *arg) {
  sem_post(&ready);  // no-race
  return NULL;
}

// 3. Race-free: set up before the threads, torn down after the joins.
pthread_mutex_t queue_lock;
pthread_cond_t queue_nonempty;
int queued, closed;

void *consume(void *arg) {
  pthread_mutex_lock(&queue_lock);
  while (!queued && !closed)
    pthread_cond_wait(&queue_nonempty, &queue_lock);
  if (queued)
    queued--;  // no-race
  pthread_mutex_unlock(&queue_lock);
  return NULL;
}

// 4. Race-free: the last of two owners destroys the object's mutex after taking it.
struct shared_buf {
  pthread_mutex_t lock;
  int refs;
  char data[64];
};
struct shared_buf *buf;

void release_buf(struct shared_buf *b) {
  pthread_mutex_lock(&b->lock);
  int last = --b->refs == 0;
  pthread_mutex_unlock(&b->lock);
  if (last)
    pthread_mutex_destroy(&b->lock);  // no-race: after this owner took the lock
}

void *use_buf(void *arg) {
  release_buf(buf);
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, count_hits, NULL);
  pthread_create(&b, NULL, count_hits, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);

  pthread_t logger;
  pthread_mutex_init(&log_lock, NULL);
  pthread_create(&logger, NULL, log_line, NULL);
  pthread_mutex_destroy(&log_lock);  // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'log_lock': written here (no lock held) and read in parallel (no lock held) [untangle-data-race]
  pthread_join(logger, NULL);

  pthread_t poster;
  sem_init(&ready, 0, 0);
  pthread_create(&poster, NULL, announce, NULL);
  sem_wait(&ready);
  sem_destroy(&ready);  // no-race
  pthread_join(poster, NULL);

  pthread_mutex_init(&queue_lock, NULL);     // no-race: before the thread starts
  pthread_cond_init(&queue_nonempty, NULL);  // no-race
  pthread_t consumer;
  pthread_create(&consumer, NULL, consume, NULL);
  pthread_mutex_lock(&queue_lock);
  queued++;
  pthread_cond_broadcast(&queue_nonempty);
  pthread_mutex_unlock(&queue_lock);
  pthread_join(consumer, NULL);
  pthread_cond_destroy(&queue_nonempty);  // no-race: after the join
  pthread_mutex_destroy(&queue_lock);     // no-race

  static struct shared_buf owned = {.refs = 2};
  pthread_mutex_init(&owned.lock, NULL);
  buf = &owned;
  pthread_t user;
  pthread_create(&user, NULL, use_buf, NULL);
  release_buf(buf);
  pthread_join(user, NULL);
  return 0;
}
