// Each worker gets a malloc'd argument struct with pointers to the shared output
// (a sum and the lock guarding it) and its own slice bounds. The workers add their
// partial sums to *args->sum and their largest element to *args->largest, both
// under the lock. Race-free.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct worker_args {
  const long *values;
  int begin, end;
  long *sum;
  long *largest;
  pthread_mutex_t *lock;
};

static void *sum_slice(void *p) {
  struct worker_args *args = p;
  long partial = 0, top = 0;
  for (int i = args->begin; i < args->end; i++) {
    partial += args->values[i];                 // NORACE
    if (args->values[i] > top)
      top = args->values[i];
  }
  pthread_mutex_lock(args->lock);
  *args->sum += partial;                        // NORACE
  if (top > *args->largest)                     // NORACE
    *args->largest = top;                       // NORACE
  pthread_mutex_unlock(args->lock);
  free(args);
  return NULL;
}

int main(void) {
  enum { N = 400, WORKERS = 4 };
  long *values = malloc(N * sizeof *values);
  for (int i = 0; i < N; i++)
    values[i] = (i * 37) % 101;
  long sum = 0, largest = 0;
  pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  pthread_t t[WORKERS];
  for (int w = 0; w < WORKERS; w++) {
    struct worker_args *args = malloc(sizeof *args);
    args->values = values;
    args->begin = w * N / WORKERS;
    args->end = (w + 1) * N / WORKERS;
    args->sum = &sum;
    args->largest = &largest;
    args->lock = &lock;
    pthread_create(&t[w], NULL, sum_slice, args);
  }
  for (int w = 0; w < WORKERS; w++)
    pthread_join(t[w], NULL);
  printf("%ld %ld\n", sum, largest);            // NORACE
  free(values);
  return 0;
}
