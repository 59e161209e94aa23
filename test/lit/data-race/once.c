// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// `pthread_once(&flag, init)` runs init once, in the first caller to get there; every
// other caller on the same flag waits for it. So init's accesses are ordered with
// init's in other callers and with what any caller does after its pthread_once on
// that flag; two callers' accesses after it are not ordered by it, and two different
// flags order nothing.
#include <pthread.h>

pthread_once_t table_once = PTHREAD_ONCE_INIT;
int table[4];
int lookups;
void build_table(void) {
  for (int i = 0; i < 4; i++)
    table[i] = i * i; // no-race: once, before every reader's pthread_once returns
}
void *reader(void *arg) {
  pthread_once(&table_once, build_table);
  int square = table[2]; // no-race
  lookups++;             // race: after the once-call, in both threads
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'lookups': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return (void *)(long)square;
}

// Two flags by mistake: the counter is bumped twice, maybe at once.
pthread_once_t once_a = PTHREAD_ONCE_INIT, once_b = PTHREAD_ONCE_INIT;
int starts;
void count_start(void) {
  starts++; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'starts': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
}
void *starter(void *arg) {
  pthread_once(&once_a, count_start);
  return NULL;
}

int main(void) {
  pthread_t a, b, c;
  pthread_create(&a, NULL, reader, NULL);
  pthread_create(&b, NULL, reader, NULL);
  pthread_create(&c, NULL, starter, NULL);
  pthread_once(&once_b, count_start);
  pthread_once(&table_once, build_table);
  int last = table[3]; // no-race
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  pthread_join(c, NULL);
  return last;
}
