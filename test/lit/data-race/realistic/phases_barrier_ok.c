// A two-phase simulation step with pthread barriers: in phase one each thread
// computes its own cells of the next grid, in phase two it reads its neighbours'
// cells of that grid. The barrier between the phases orders every write before every
// read. Race-free.
#include <pthread.h>
#include <stdio.h>

#define CELLS 64
#define THREADS 4

static long grid[CELLS], next[CELLS], smoothed[CELLS];
static pthread_barrier_t phase;

static void *step(void *arg) {
  long id = (long)arg;
  int first = id * CELLS / THREADS, last = (id + 1) * CELLS / THREADS;
  for (int i = first; i < last; i++)
    next[i] = grid[i] * 2 + 1;                  // NORACE
  pthread_barrier_wait(&phase);
  for (int i = first; i < last; i++) {
    long left = next[(i + CELLS - 1) % CELLS];  // NORACE
    long right = next[(i + 1) % CELLS];         // NORACE
    smoothed[i] = (left + next[i] + right) / 3;
  }
  return NULL;
}

int main(void) {
  for (int i = 0; i < CELLS; i++)
    grid[i] = i % 5;
  pthread_barrier_init(&phase, NULL, THREADS);
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; i++)
    pthread_create(&t[i], NULL, step, (void *)i);
  for (int i = 0; i < THREADS; i++)
    pthread_join(t[i], NULL);
  pthread_barrier_destroy(&phase);
  printf("%ld %ld\n", smoothed[0], smoothed[CELLS - 1]);
  return 0;
}
