// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// A pointer field of a thread's argument struct that only ever holds one variable's
// address (`args->total = &total`) reaches that variable: writes through it race
// unless a lock reached the same way is held.
#include <pthread.h>
#include <stdlib.h>

struct args1 {
  long *total;
};
void *add1(void *p) {
  struct args1 *a = p;
  *a->total += 1;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'total'
long unlocked_total(void) {
  long total = 0;
  pthread_t t[2];
  struct args1 a;
  a.total = &total;
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, add1, &a);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  return total;
}
struct args1b {
  long *total;
  pthread_mutex_t *lock;
};
void *add1b(void *p) {
  struct args1b *a = p;
  pthread_mutex_lock(a->lock);
  *a->total += 1; // no-race
  pthread_mutex_unlock(a->lock);
  return NULL;
}
long locked_total(void) {
  long total = 0;
  pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  pthread_t t[2];
  struct args1b a = {.total = &total, .lock = &lock};
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, add1b, &a);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  return total; // no-race
}
