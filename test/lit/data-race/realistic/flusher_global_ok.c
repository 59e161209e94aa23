// A C module with a background flusher: flusher_start() creates a thread into a
// global handle and returns, flusher_stop() joins it later. Between the two, the
// application appends to the module's dirty-page count under the module's mutex,
// which the flusher holds when it resets the count. The flush count is only touched
// by the flusher and read after flusher_stop(). Race-free.
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static pthread_t flusher;
static atomic_int flusher_running;
static long dirty_pages;
static long flushes;
static pthread_mutex_t dirty_lock = PTHREAD_MUTEX_INITIALIZER;

static void *flusher_main(void *arg) {
  while (atomic_load(&flusher_running)) {
    pthread_mutex_lock(&dirty_lock);
    if (dirty_pages > 0) {                      // NORACE
      dirty_pages = 0;                          // NORACE
      flushes++;                                // NORACE
    }
    pthread_mutex_unlock(&dirty_lock);
    usleep(20);
  }
  return NULL;
}

static void flusher_start(void) {
  atomic_store(&flusher_running, 1);
  pthread_create(&flusher, NULL, flusher_main, NULL);
}

static void flusher_stop(void) {
  atomic_store(&flusher_running, 0);
  pthread_join(flusher, NULL);
}

static void write_page(int n) {
  pthread_mutex_lock(&dirty_lock);
  dirty_pages += n;                             // NORACE
  pthread_mutex_unlock(&dirty_lock);
}

int main(void) {
  flusher_start();
  for (int i = 0; i < 50; i++) {
    write_page(1 + i % 3);
    usleep(10);
  }
  flusher_stop();
  printf("%ld %ld\n", flushes, dirty_pages);    // NORACE
  return 0;
}
