// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// `pthread_mutex_lock` may fail (EDEADLK on an error-checking mutex, EINVAL): a
// program that tests its result holds the lock on the success branch only. What the
// failure branch does runs without the lock and races; the success branch is
// protected as usual.
#include <pthread.h>

pthread_mutex_t table_lock;
int entries, errors;

void *writer(void *arg) {
  pthread_mutex_lock(&table_lock);
  entries++;
  errors = 0;
  pthread_mutex_unlock(&table_lock);
  return NULL;
}

int main(void) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(&table_lock, &attr);
  pthread_t t;
  pthread_create(&t, NULL, writer, NULL);
  if (pthread_mutex_lock(&table_lock) != 0) {
    errors++;  // race: the lock was not taken
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'errors': written here (no lock held) and written in parallel (holding 'table_lock') [untangle-data-race]
  } else {
    entries++;  // no-race: held on the success branch
    pthread_mutex_unlock(&table_lock);
  }
  pthread_join(t, NULL);
  return entries;
}
