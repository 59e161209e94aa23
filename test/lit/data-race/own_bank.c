// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// Written for this suite in the style of public pthread race benchmarks: workers get a
// malloc'd argument struct; a helper wraps the lock calls. Ground truth by hand.
#include <pthread.h>
#include <stdlib.h>

struct account {
  long balance;
  long ops;
};
struct worker_args {
  int id;
  struct account *acct;
  pthread_mutex_t *lock;
};

static struct account shared_acct;
static pthread_mutex_t acct_lock = PTHREAD_MUTEX_INITIALIZER;
static int audits;

static void locked_add(struct worker_args *w, long amount) {
  pthread_mutex_lock(w->lock);
  w->acct->balance += amount; // no-race
  pthread_mutex_unlock(w->lock);
}

static void *teller(void *arg) {
  struct worker_args *w = arg;
  for (int i = 0; i < 100; i++)
    locked_add(w, w->id);
  w->acct->ops++;
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: data race on 'shared_acct.ops': written here
  return NULL;
}

static void *auditor(void *arg) {
  audits++;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'audits': written here

int main(void) {
  pthread_t tids[4], audit;
  struct worker_args *args = malloc(4 * sizeof *args);
  for (int i = 0; i < 4; i++) {
    args[i].id = i;                  // no-race
    args[i].acct = &shared_acct;     // no-race
    args[i].lock = &acct_lock;       // no-race
    pthread_create(&tids[i], NULL, teller, &args[i]);
  }
  pthread_create(&audit, NULL, auditor, NULL);
  audits = 0;
  for (int i = 0; i < 4; i++)
    pthread_join(tids[i], NULL);
  pthread_join(audit, NULL);
  long final = shared_acct.balance;  // no-race
  free(args);
  return (int)final;
}
