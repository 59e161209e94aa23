// A bounded ring buffer between producer and consumer threads, guarded by a mutex and
// two condition variables; every access to the ring's indices and count holds the lock.
// Race-free.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct ring {
  int *slots;
  int capacity;
  int head, tail, count;
  int closed;
  pthread_mutex_t lock;
  pthread_cond_t not_empty, not_full;
};

static struct ring *ring_new(int capacity) {
  struct ring *r = calloc(1, sizeof *r);
  r->slots = calloc(capacity, sizeof *r->slots);
  r->capacity = capacity;
  pthread_mutex_init(&r->lock, NULL);
  pthread_cond_init(&r->not_empty, NULL);
  pthread_cond_init(&r->not_full, NULL);
  return r;
}

static void ring_put(struct ring *r, int v) {
  pthread_mutex_lock(&r->lock);
  while (r->count == r->capacity)
    pthread_cond_wait(&r->not_full, &r->lock);
  r->slots[r->tail] = v;                       // NORACE
  r->tail = (r->tail + 1) % r->capacity;
  r->count++;                                  // NORACE
  pthread_cond_signal(&r->not_empty);
  pthread_mutex_unlock(&r->lock);
}

static int ring_get(struct ring *r, int *out) {
  pthread_mutex_lock(&r->lock);
  while (r->count == 0 && !r->closed)
    pthread_cond_wait(&r->not_empty, &r->lock);
  if (r->count == 0) {
    pthread_mutex_unlock(&r->lock);
    return 0;
  }
  *out = r->slots[r->head];                    // NORACE
  r->head = (r->head + 1) % r->capacity;
  r->count--;                                  // NORACE
  pthread_cond_signal(&r->not_full);
  pthread_mutex_unlock(&r->lock);
  return 1;
}

static void ring_close(struct ring *r) {
  pthread_mutex_lock(&r->lock);
  r->closed = 1;                               // NORACE
  pthread_cond_broadcast(&r->not_empty);
  pthread_mutex_unlock(&r->lock);
}

static long total;

static void *consumer(void *arg) {
  struct ring *r = arg;
  int v;
  while (ring_get(r, &v))
    total += v;                                // NORACE
  return NULL;
}

int main(void) {
  struct ring *r = ring_new(4);
  pthread_t c;
  pthread_create(&c, NULL, consumer, r);
  for (int i = 1; i <= 200; i++)
    ring_put(r, i);
  ring_close(r);
  pthread_join(c, NULL);
  printf("%ld\n", total);                      // NORACE
  free(r->slots);
  free(r);
  return 0;
}
