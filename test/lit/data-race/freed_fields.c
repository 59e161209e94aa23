// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// With a bound below the class's field count, a free of an unnamed object is skipped:
// RUN: %check_untangle -check-suffix=BOUNDED %s untangle-data-race %t -- \
// RUN:   --config="{CheckOptions: {untangle-data-race.MaxFreedFields: 1}}" -- -std=gnu11
// A free of an object the analysis cannot name (malloc'd) writes each field of its
// class, for classes of at most MaxFreedFields fields.
#include <pthread.h>
#include <stdlib.h>

struct pair {
  int first;
  int second;
};
void *use_pair(void *arg) {
  struct pair *p = arg;
  return (void *)(long)p->second;
}
void free_while_used(void) {
  pthread_t t;
  struct pair *p = malloc(sizeof *p);
  pthread_create(&t, NULL, use_pair, p);
  free(p);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'pair::second': written here
  pthread_join(t, NULL);
}
