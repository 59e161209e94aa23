// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// Written for this suite: a bounded queue guarded by a mutex and condition variables,
// with statistics kept outside the lock. Ground truth by hand.
#include <pthread.h>
#include <stdio.h>

#define SLOTS 8
static int queue[SLOTS];
static int head, tail, count;
static int produced, consumed;
static int finished;
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;

static void *producer(void *arg) {
  for (int i = 0; i < 64; i++) {
    pthread_mutex_lock(&qlock);
    while (count == SLOTS)
      pthread_cond_wait(&not_full, &qlock);
    queue[tail] = i;
    tail = (tail + 1) % SLOTS; // no-race
    count++;                   // no-race
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&qlock);
    produced++;
  }
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-4]]:5: warning: data race on 'produced': written here

static void *consumer(void *arg) {
  for (;;) {
    pthread_mutex_lock(&qlock);
    while (count == 0 && !finished)
      pthread_cond_wait(&not_empty, &qlock);
    if (count == 0 && finished) {
      pthread_mutex_unlock(&qlock);
      break;
    }
    int item = queue[head];
    head = (head + 1) % SLOTS; // no-race
    count--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&qlock);
    consumed += item > 0;      // no-race
    if (consumed % 16 == 0)
      printf("%d of %d\n", consumed, produced);
  }
  return NULL;
}

int main(void) {
  pthread_t p, c;
  pthread_create(&c, NULL, consumer, NULL);
  pthread_create(&p, NULL, producer, NULL);
  pthread_join(p, NULL);
  printf("%d\n", produced);    // no-race
  finished = 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'finished': written here
  pthread_cond_broadcast(&not_empty);
  pthread_join(c, NULL);
  printf("%d\n", consumed);    // no-race
  return 0;
}
