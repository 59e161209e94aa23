// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// Objects one thread owns: a record the spawner fills in before handing it to the
// thread, a job each worker pops for itself, a worker's local struct. Workers are
// started once per loop iteration by a helper, so they run in parallel with each other.
#include <pthread.h>
#include <stdlib.h>

// --- 1. a record filled in before the thread that gets it starts --------------------
struct worker {
  pthread_t thread;
  int id;
  int state;
};
// Known limit: the worker's own record is reached through its argument, which names
// no object, so the workers started in the loop are taken to share `state`.
void *work1(void *arg) {
  struct worker *w = arg;
  w->state = w->id; // known-false-positive
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:6: warning: data race on 'worker::state'

int start1(struct worker **slot, int id) {
  *slot = malloc(sizeof **slot);
  (*slot)->id = id; // no-race
  pthread_create(&(*slot)->thread, NULL, work1, *slot);
  pthread_detach((*slot)->thread);
  return 0;
}
void start_all1(struct worker **slots, int n) {
  for (int i = 0; i < n; i++)
    start1(&slots[i], i);
}
// Touched after the thread was handed it: a race.
struct worker_b {
  pthread_t thread;
  int state;
};
void *work1b(void *arg) {
  struct worker_b *w = arg;
  return (void *)(long)w->state;
}
int start1b(struct worker_b **slot, int id) {
  *slot = malloc(sizeof **slot);
  pthread_create(&(*slot)->thread, NULL, work1b, *slot);
  (*slot)->state = id;
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: data race on 'worker_b::state'
  pthread_detach((*slot)->thread);
  return 0;
}
void start_all1b(struct worker_b **slots, int n) {
  for (int i = 0; i < n; i++)
    start1b(&slots[i], i);
}

// --- 2. each worker pops its own job and frees it --------------------------------------
struct job {
  struct job *next;
  int arg;
};
struct job *queue2;
pthread_mutex_t mu2 = PTHREAD_MUTEX_INITIALIZER;
struct job *pop2(void) {
  pthread_mutex_lock(&mu2);
  struct job *j = queue2;
  if (j)
    queue2 = j->next; // no-race
  pthread_mutex_unlock(&mu2);
  return j;
}
struct task {
  int arg;
  int done;
};
void *work2(void *unused) {
  struct task local;
  struct job *j = pop2();
  if (j) {
    local.arg = j->arg; // no-race
    local.done = 1;     // no-race
    free(j);            // no-race
  }
  return NULL;
}
void start2(void) {
  pthread_t t;
  pthread_create(&t, NULL, work2, NULL);
  pthread_detach(t);
}
void start_all2(int n) {
  for (int i = 0; i < n; i++)
    start2();
}
// A job all workers reach through a global is shared.
struct job *current3;
void *work3(void *unused) {
  current3->arg++;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:13: warning: data race on 'job::arg'
void start3(void) {
  pthread_t t;
  pthread_create(&t, NULL, work3, NULL);
  pthread_detach(t);
}
void start_all3(int n) {
  for (int i = 0; i < n; i++)
    start3();
}

// --- 4. each thread started in a loop handed its own element ------------------------
struct cell {
  long value;
};
void *fill4(void *arg) {
  struct cell *c = arg;
  c->value = 4;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:6: warning: data race on 'cell::value'
void fill_pairs(struct cell *cells) {
  pthread_t t[4];
  for (int i = 0; i < 4; i++) // two threads per element
    pthread_create(&t[i], NULL, fill4, &cells[i / 2]);
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
}
struct cell_b {
  long value;
};
void *fill4b(void *arg) {
  struct cell_b *c = arg;
  c->value = 4; // no-race
  return NULL;
}
void fill_each(void) {
  pthread_t t[4];
  struct cell_b cells[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, fill4b, &cells[i]);
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
}
struct cell_c {
  long value;
};
void *fill4c(void *arg) {
  struct cell_c *c = arg;
  c->value = 4; // no-race
  return NULL;
}
void fill_each_allocated(void) {
  pthread_t t[4];
  struct cell_c *cells = calloc(4, sizeof *cells);
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, fill4c, cells + i);
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  free(cells);
}

// --- 5. each thread started in a loop handed a fresh allocation ---------------------
struct slice {
  long begin;
  long sum;
};
void *sum5(void *arg) {
  struct slice *s = arg;
  s->sum += s->begin;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:6: warning: data race on 'slice::sum'
void one_allocation(void) {
  pthread_t t[4];
  struct slice *shared = calloc(1, sizeof *shared); // allocated once, handed to all
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, sum5, shared);
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  free(shared);
}
struct slice_b {
  long begin;
  long sum;
};
void *sum5b(void *arg) {
  struct slice_b *s = arg;
  s->sum += s->begin; // no-race
  free(s);            // no-race
  return NULL;
}
void allocation_per_thread(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; i++) {
    struct slice_b *own = malloc(sizeof *own);
    own->begin = i;
    own->sum = 0;
    pthread_create(&t[i], NULL, sum5b, own);
  }
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
}
