// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// RUN: %check_untangle -check-suffix=SHALLOW %s untangle-data-race %t -- \
// RUN:   --config="{CheckOptions: {untangle-data-race.MaxCallDepth: 2}}" -- -std=gnu11
// Whether a helper keeps the pointer it is given is followed at most MaxCallDepth
// calls deep. `prepare` hands the new node three calls down, where `stamp` only
// writes a field: at the default depth (4) the node is the spawner's own until it is
// linked under the lock, and its fields are written before that without a race; cut
// at depth 2, `prepare` may have kept it, so the write after it races with the reader.
#include <pthread.h>
#include <stdlib.h>

struct node {
  int value;
  struct node *next;
};

static struct node *head;
static pthread_mutex_t head_lock = PTHREAD_MUTEX_INITIALIZER;

static void stamp(struct node *n) { n->next = NULL; }
static void check(struct node *n) { stamp(n); }
static void prepare(struct node *n) { check(n); }

static void *reader(void *arg) {
  (void)arg;
  int sum = 0;
  pthread_mutex_lock(&head_lock);
  for (struct node *n = head; n; n = n->next)
    sum += n->value;
  pthread_mutex_unlock(&head_lock);
  return (void *)(long)sum;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL);
  for (int i = 0; i < 3; i++) {
    struct node *n = malloc(sizeof *n);
    prepare(n);
    n->value = i;
    // CHECK-MESSAGES-SHALLOW: :[[@LINE-1]]:8: warning: data race on 'node::value': written here (no lock held) and read in parallel (holding 'head_lock') [untangle-data-race]
    pthread_mutex_lock(&head_lock);
    n->next = head;
    head = n;
    pthread_mutex_unlock(&head_lock);
  }
  pthread_join(t, NULL);
  return 0;
}
