// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// A function handed to another whose body is not in this translation unit (a plugin
// API, a library of the program's own compiled apart) may be called back during the
// call, on the caller's thread: `visit_all(count_entry)` runs count_entry there, so
// its accesses race with a thread's like the caller's own would. Called back under
// the lock the thread takes too, nothing races.
#include <pthread.h>

extern void visit_all(void (*visit)(int id));

pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
int entries_seen;
int last_id;

void count_entry(int id) {
  entries_seen++;  // race: the scanner bumps it under table_lock, this call holds nothing
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'entries_seen': written here (no lock held) and written in parallel (holding 'table_lock') [untangle-data-race]
}

void note_entry(int id) {
  pthread_mutex_lock(&table_lock);
  last_id = id;  // no-race: under table_lock in both threads
  pthread_mutex_unlock(&table_lock);
}

void *scanner(void *arg) {
  pthread_mutex_lock(&table_lock);
  entries_seen++;
  last_id = -1;
  pthread_mutex_unlock(&table_lock);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, scanner, NULL);
  visit_all(count_entry);
  visit_all(&note_entry);
  pthread_join(t, NULL);
  return 0;
}
