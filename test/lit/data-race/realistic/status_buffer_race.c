// A worker publishes a human-readable status line into a shared char buffer with
// snprintf while the main thread copies it out for a status page with memcpy,
// neither holding the status lock the worker's counters use: races through the C
// library calls on status. The counters themselves are locked.
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char status[64];
static long done_items;
static pthread_mutex_t status_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  for (int i = 0; i < 20; i++) {
    pthread_mutex_lock(&status_lock);
    done_items++;                                           // NORACE
    pthread_mutex_unlock(&status_lock);
    snprintf(status, sizeof status, "processed %d items", i); // RACE
    usleep(20);
  }
  return NULL;
}

int main(void) {
  pthread_t t;
  strcpy(status, "starting");                               // NORACE
  pthread_create(&t, NULL, worker, NULL);
  char page[sizeof status];
  for (int i = 0; i < 20; i++) {
    memcpy(page, status, sizeof status);                    // RACE
    usleep(20);
  }
  pthread_join(t, NULL);
  pthread_mutex_lock(&status_lock);
  printf("%s / %ld\n", page, done_items);                   // NORACE
  pthread_mutex_unlock(&status_lock);
  return 0;
}
