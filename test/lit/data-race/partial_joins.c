// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// Threads kept in an array and joined element by element: a join ends only the
// threads stored in the elements it names. Ten created and nine joined leave the
// tenth running; joining `t[0]` does not end `t[1]`. Ranges are told apart only when
// known exactly (a constant index, or a `for` loop with constant bounds); a join
// loop with an unknown bound still joins the whole array. Confirmed with TSan: the two
// racy writes in 20 runs, nothing else.
#include <pthread.h>

#define TEN 10

pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
int loads, pairs, spans, reads, counted;

void *load(void *arg) {
  pthread_mutex_lock(&lock);
  loads++; // race: the tenth loader is never joined
  pthread_mutex_unlock(&lock);
  return NULL;
}

void *pair(void *arg) {
  pthread_mutex_lock(&lock);
  pairs++; // race: only the first of the two is joined
  pthread_mutex_unlock(&lock);
  return NULL;
}

void *span(void *arg) {
  pthread_mutex_lock(&lock);
  spans++; // no-race: `i <= 3` joins all four
  pthread_mutex_unlock(&lock);
  return NULL;
}

void *reader(void *arg) {
  pthread_mutex_lock(&lock);
  reads++; // no-race: every reader is joined
  pthread_mutex_unlock(&lock);
  return NULL;
}

void *count(void *arg) {
  pthread_mutex_lock(&lock);
  counted++; // no-race: a join loop with an unknown bound is taken to join them all
  pthread_mutex_unlock(&lock);
  return NULL;
}

void nine_of_ten(void) {
  pthread_t loaders[TEN];
  int i;
  for (i = 0; i < TEN; i++)
    pthread_create(&loaders[i], NULL, load, NULL);
  for (i = 0; i < TEN - 1; i++)
    pthread_join(loaders[i], NULL);
  loads = 0; // race: with the tenth loader
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'loads': written here (no lock held) and written in parallel (holding 'lock') [untangle-data-race]
}

void first_of_two(void) {
  pthread_t two[2];
  pthread_create(&two[0], NULL, pair, NULL);
  pthread_create(&two[1], NULL, pair, NULL);
  pthread_join(two[0], NULL);
  pairs = 0; // race: two[1] still runs
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'pairs': written here (no lock held) and written in parallel (holding 'lock') [untangle-data-race]
}

void inclusive_bound(void) {
  pthread_t four[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&four[i], NULL, span, NULL);
  for (int i = 0; i <= 3; i++)
    pthread_join(four[i], NULL);
  spans = 0; // no-race
}

void each_by_constant(void) {
  pthread_t readers[3];
  for (int i = 0; i < 3; i++)
    pthread_create(&readers[i], NULL, reader, NULL);
  pthread_join(readers[2], NULL);
  pthread_join(readers[0], NULL);
  for (int i = 1; i < 2; i++)
    pthread_join(readers[i], NULL);
  reads = 0; // no-race
}

void unknown_bound(int limit) {
  pthread_t counters[TEN];
  for (int i = 0; i < TEN; i++)
    pthread_create(&counters[i], NULL, count, NULL);
  for (int i = 0; i < limit; i++)
    pthread_join(counters[i], NULL);
  counted = 0; // no-race
}

int main(void) {
  nine_of_ten();
  first_of_two();
  inclusive_bound();
  each_by_constant();
  unknown_bound(TEN);
  return 0;
}
