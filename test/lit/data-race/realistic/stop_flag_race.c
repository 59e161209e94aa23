// Worker threads poll a `volatile int` stop flag that the main thread sets to shut
// them down: volatile is no synchronization, so the flag's store races the polls.
// Each worker counts its iterations in its own slot of a malloc'd array, read after
// the joins.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile int stop;

struct worker {
  pthread_t thread;
  long iterations;
};

static void *spin(void *arg) {
  struct worker *w = arg;
  while (!stop) {                               // RACE
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
  stop = 1;                                     // RACE
  long total = 0;
  for (int i = 0; i < n; i++) {
    pthread_join(workers[i].thread, NULL);
    total += workers[i].iterations;             // NORACE
  }
  printf("%d\n", total > 0);
  free(workers);
  return 0;
}
