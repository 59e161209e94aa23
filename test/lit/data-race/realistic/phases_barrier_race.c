// A two-phase simulation step with pthread barriers: in phase one each thread
// computes its own cells of the next grid, in phase two it reads its neighbours'
// cells of that grid. The barrier between the phases is missing (it was "only needed
// for the old in-place version"), so a thread reads a neighbour's cell while the
// neighbour's thread may still be writing it.
#include <pthread.h>
#include <stdio.h>

#define CELLS 64
#define THREADS 4

static long grid[CELLS], next[CELLS], smoothed[CELLS];

static void *step(void *arg) {
  long id = (long)arg;
  int first = id * CELLS / THREADS, last = (id + 1) * CELLS / THREADS;
  for (int i = first; i < last; i++)
    next[i] = grid[i] * 2 + 1;                  // RACE
  for (int i = first; i < last; i++) {
    long left = next[(i + CELLS - 1) % CELLS];  // RACE
    long right = next[(i + 1) % CELLS];         // RACE
    smoothed[i] = (left + next[i] + right) / 3;
  }
  return NULL;
}

int main(void) {
  for (int i = 0; i < CELLS; i++)
    grid[i] = i % 5;
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; i++)
    pthread_create(&t[i], NULL, step, (void *)i);
  for (int i = 0; i < THREADS; i++)
    pthread_join(t[i], NULL);
  printf("%ld %ld\n", smoothed[0], smoothed[CELLS - 1]);
  return 0;
}
