// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// `sizeof` does not evaluate its operand, except the size of a variable-length array
// type, computed when it runs: `sizeof(int[rows][cols])` reads cols, so it races with
// a thread resizing it; a constant-size type reads nothing.
#include <pthread.h>
#include <stddef.h>

int cols = 8;
int rows_done;

void *resize(void *arg) {
  cols = 16;  // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'cols': written here (no lock held) and read in parallel (no lock held) [untangle-data-race]
  rows_done = 1;
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, resize, NULL);
  size_t row_bytes = sizeof(int[2][cols]);  // race
  size_t fixed = sizeof(int[2][8]) + sizeof rows_done;  // no-race: nothing is read
  pthread_join(t, NULL);
  return (int)(row_bytes + fixed);
}
