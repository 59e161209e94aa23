// A growable array of samples (pointer, length, capacity in a malloc'd struct) that a
// collector thread appends to under a mutex, growing it with realloc. A reporter
// thread reads the length and the last sample without the mutex: its reads race the
// appends. (The capacity is big enough that realloc never moves the block here.)
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct samples {
  long *data;
  long len;
  long cap;
  pthread_mutex_t lock;
};

static void samples_push(struct samples *s, long v) {
  pthread_mutex_lock(&s->lock);
  if (s->len == s->cap) {
    s->cap *= 2;
    s->data = realloc(s->data, s->cap * sizeof *s->data);
  }
  s->data[s->len] = v;                          // NORACE
  s->len++;                                     // RACE
  pthread_mutex_unlock(&s->lock);
}

static void *collector(void *arg) {
  struct samples *s = arg;
  for (long i = 0; i < 200; i++)
    samples_push(s, i * i);
  return NULL;
}

static void *reporter(void *arg) {
  struct samples *s = arg;
  long seen = 0;
  for (int i = 0; i < 50; i++) {
    seen += s->len;                             // RACE
    usleep(5);
  }
  return (void *)seen;
}

int main(void) {
  struct samples *s = malloc(sizeof *s);
  s->cap = 512;
  s->len = 0;
  s->data = malloc(s->cap * sizeof *s->data);
  pthread_mutex_init(&s->lock, NULL);
  pthread_t c, r;
  pthread_create(&c, NULL, collector, s);
  pthread_create(&r, NULL, reporter, s);
  void *seen;
  pthread_join(c, NULL);
  pthread_join(r, &seen);
  printf("%ld %ld\n", s->len, s->data[s->len - 1]); // NORACE
  free(s->data);
  free(s);
  return 0;
}
