// Worker threads poll a C11 `atomic_int` stop flag that the main thread sets to shut
// them down.
// Each worker counts its iterations in its own slot of a malloc'd array, read after
// the joins. Race-free.
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static atomic_int stop;

struct worker {
  pthread_t thread;
  long iterations;
};

static void *spin(void *arg) {
  struct worker *w = arg;
  while (!atomic_load(&stop)) {
    w->iterations++;                            // NORACE
    usleep(10);
  }
  return NULL;
}

int main(void) {
  int n = 3;
  struct worker *workers = calloc(n, sizeof *workers);
  for (int i = 0; i < n; i++)
    pthread_create(&workers[i].thread, NULL, spin, &workers[i]);
  usleep(1000);
  atomic_store(&stop, 1);
  long total = 0;
  for (int i = 0; i < n; i++) {
    pthread_join(workers[i].thread, NULL);
    total += workers[i].iterations;             // NORACE
  }
  printf("%d\n", total > 0);
  free(workers);
  return 0;
}
