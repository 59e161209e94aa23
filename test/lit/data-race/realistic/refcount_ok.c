// A reference-counted buffer shared by reader threads: each reader retains it at the
// start and releases it at the end, and the last release frees it. The count is
// changed with atomic read-modify-writes (acq_rel on release, so the freeing thread
// sees every reader's accesses). Race-free.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buffer {
  long refs;
  size_t len;
  char *data;
};

static struct buffer *buffer_new(const char *text) {
  struct buffer *b = malloc(sizeof *b);
  b->refs = 1;
  b->len = strlen(text);
  b->data = strdup(text);
  return b;
}

static void buffer_retain(struct buffer *b) {
  __atomic_fetch_add(&b->refs, 1, __ATOMIC_RELAXED);
}

static void buffer_release(struct buffer *b) {
  if (__atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0) {
    free(b->data);                              // NORACE
    free(b);                                    // NORACE
  }
}

static void *reader(void *arg) {
  struct buffer *b = arg;
  buffer_retain(b);
  long sum = 0;
  for (size_t i = 0; i < b->len; i++)           // NORACE
    sum += b->data[i];                          // NORACE
  buffer_release(b);
  return (void *)sum;
}

int main(void) {
  struct buffer *b = buffer_new("the quick brown fox");
  pthread_t t[3];
  for (int i = 0; i < 3; i++)
    pthread_create(&t[i], NULL, reader, b);
  long total = 0;
  for (int i = 0; i < 3; i++) {
    void *r;
    pthread_join(t[i], &r);
    total += (long)r;
  }
  buffer_release(b);
  printf("%ld\n", total);
  return 0;
}
