// Rows of a matrix product split among pthreads: each thread writes its own rows of
// the result (disjoint) and keeps the maximum of its band in its own argument
// struct; main combines the maxima after joining. Race-free.
#include <pthread.h>
#include <stdio.h>

#define N 32
#define THREADS 4

static long a[N][N], b[N][N], c[N][N];
static long max_value;

struct band {
  int first, last;
  long max;
};

static void *multiply_band(void *arg) {
  struct band *band = arg;
  for (int i = band->first; i < band->last; i++)
    for (int j = 0; j < N; j++) {
      long sum = 0;
      for (int k = 0; k < N; k++)
        sum += a[i][k] * b[k][j];               // NORACE
      c[i][j] = sum;                            // NORACE
      if (sum > band->max)                      // NORACE
        band->max = sum;                        // NORACE
    }
  return NULL;
}

int main(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      a[i][j] = i + j;
      b[i][j] = i == j ? 2 : (i * j) % 3;
    }
  pthread_t t[THREADS];
  struct band bands[THREADS];
  for (int i = 0; i < THREADS; i++) {
    bands[i].first = i * N / THREADS;
    bands[i].last = (i + 1) * N / THREADS;
    bands[i].max = 0;
    pthread_create(&t[i], NULL, multiply_band, &bands[i]);
  }
  for (int i = 0; i < THREADS; i++) {
    pthread_join(t[i], NULL);
    if (bands[i].max > max_value)               // NORACE
      max_value = bands[i].max;
  }
  printf("%ld %ld\n", max_value, c[N - 1][N - 1]); // NORACE
  return 0;
}
