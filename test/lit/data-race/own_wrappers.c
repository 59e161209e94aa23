// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// Written for this suite in the style of public pthread benchmarks that hide the
// thread and lock calls in helpers of their own. Ground truth by hand.
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef void *(*task_fn)(void *);

static pthread_t start_task(task_fn fn, void *arg) {
  pthread_t t;
  pthread_create(&t, NULL, fn, arg);
  return t;
}
static void finish_task(pthread_t t) { pthread_join(t, NULL); }

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static void enter(void) { pthread_mutex_lock(&stats_lock); }
static void leave(void) { pthread_mutex_unlock(&stats_lock); }

static long processed;
static char last_name[32];

static void *handle(void *arg) {
  const char *name = arg;
  enter();
  processed++;                       // no-race
  leave();
  strncpy(last_name, name, sizeof last_name - 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'last_name'
  return NULL;
}

int main(void) {
  pthread_t a = start_task(handle, "alpha");
  pthread_t b = start_task(handle, "beta");
  finish_task(a);
  finish_task(b);
  return (int)processed + last_name[0]; // no-race
}
