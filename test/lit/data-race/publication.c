// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// Objects a run owns until it publishes them (race/Publication.h): what a thread does
// through a pointer to an object it allocated, before it stores that pointer anywhere
// or hands it to a thread, cannot race. After the publication it can.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// --- 1. a node filled in (through a helper) before it is linked under the lock -------
struct item1 {
  int value;
  struct item1 *next;
};
struct item1 *items1;
pthread_mutex_t items1_lock = PTHREAD_MUTEX_INITIALIZER;
void fill1(struct item1 *it, int value) {
  it->value = value; // no-race
  it->next = NULL;   // no-race
}
void *producer1(void *arg) {
  struct item1 *it = malloc(sizeof *it);
  if (!it)
    return NULL;
  fill1(it, 7);
  it->value += 1; // no-race
  pthread_mutex_lock(&items1_lock);
  it->next = items1;
  items1 = it;
  pthread_mutex_unlock(&items1_lock);
  return NULL;
}
int consume1(void) {
  pthread_t t;
  pthread_create(&t, NULL, producer1, NULL);
  int sum = 0;
  pthread_mutex_lock(&items1_lock);
  for (struct item1 *it = items1; it; it = it->next) // no-race
    sum += it->value; // no-race
  pthread_mutex_unlock(&items1_lock);
  pthread_join(t, NULL);
  return sum;
}

// The same node written after it is linked, without the lock: the reader may see it.
struct item1b {
  int value;
  struct item1b *next;
};
struct item1b *items1b;
pthread_mutex_t items1b_lock = PTHREAD_MUTEX_INITIALIZER;
void *producer1b(void *arg) {
  struct item1b *it = malloc(sizeof *it);
  it->value = 0; // no-race
  pthread_mutex_lock(&items1b_lock);
  it->next = items1b;
  items1b = it;
  pthread_mutex_unlock(&items1b_lock);
  it->value = 7;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:7: warning: data race on 'item1b::value'
int consume1b(void) {
  pthread_t t;
  pthread_create(&t, NULL, producer1b, NULL);
  int sum = 0;
  pthread_mutex_lock(&items1b_lock);
  for (struct item1b *it = items1b; it; it = it->next)
    sum += it->value;
  pthread_mutex_unlock(&items1b_lock);
  pthread_join(t, NULL);
  return sum;
}

// --- 2. the spawner allocates a bucket per round while its threads run --------------
struct bucket2 {
  pthread_mutex_t lock;
  int count;
  struct bucket2 *next;
};
struct bucket2 *buckets2;
pthread_mutex_t buckets2_lock = PTHREAD_MUTEX_INITIALIZER;
void init_bucket2(struct bucket2 *b) {
  pthread_mutex_init(&b->lock, NULL);
  b->count = 0;   // no-race
  b->next = NULL; // no-race
}
void *counter2(void *arg) {
  int n = 0;
  pthread_mutex_lock(&buckets2_lock);
  for (struct bucket2 *b = buckets2; b; b = b->next) // no-race
    n += b->count; // no-race
  pthread_mutex_unlock(&buckets2_lock);
  return (void *)(long)n;
}
void grow2(int rounds) {
  pthread_t t;
  pthread_create(&t, NULL, counter2, NULL);
  for (int i = 0; i < rounds; i++) {
    struct bucket2 *b = malloc(sizeof(struct bucket2));
    init_bucket2(b);
    b->count = i; // no-race
    pthread_mutex_lock(&buckets2_lock);
    b->next = buckets2;
    buckets2 = b;
    pthread_mutex_unlock(&buckets2_lock);
  }
  pthread_join(t, NULL);
}

// Allocated once before the loop: from the second round on, the object written is the
// one published in the round before.
struct bucket2b {
  int count;
  struct bucket2b *next;
};
struct bucket2b *buckets2b;
pthread_mutex_t buckets2b_lock = PTHREAD_MUTEX_INITIALIZER;
void *counter2b(void *arg) {
  int n = 0;
  pthread_mutex_lock(&buckets2b_lock);
  if (buckets2b)
    n = buckets2b->count;
  pthread_mutex_unlock(&buckets2b_lock);
  return (void *)(long)n;
}
void grow2b(int rounds) {
  pthread_t t;
  pthread_create(&t, NULL, counter2b, NULL);
  struct bucket2b *b = malloc(sizeof(struct bucket2b));
  for (int i = 0; i < rounds; i++) {
    b->count = i;
    // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: data race on 'bucket2b::count'
    pthread_mutex_lock(&buckets2b_lock);
    buckets2b = b;
    pthread_mutex_unlock(&buckets2b_lock);
  }
  pthread_join(t, NULL);
}

// --- 3. published by a helper that keeps the pointer -------------------------------------
struct conn3 {
  int fd;
};
struct conn3 *current3;
pthread_mutex_t current3_lock = PTHREAD_MUTEX_INITIALIZER;
void install3(struct conn3 *c) {
  pthread_mutex_lock(&current3_lock);
  current3 = c;
  pthread_mutex_unlock(&current3_lock);
}
void *reader3(void *arg) {
  int fd = -1;
  pthread_mutex_lock(&current3_lock);
  if (current3)
    fd = current3->fd;
  pthread_mutex_unlock(&current3_lock);
  return (void *)(long)fd;
}
void open3(void) {
  pthread_t t;
  pthread_create(&t, NULL, reader3, NULL);
  struct conn3 *c = malloc(sizeof *c);
  c->fd = 3; // no-race
  printf("%d\n", c->fd); // no-race
  install3(c);
  c->fd = 4;
  // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: data race on 'conn3::fd'
  pthread_join(t, NULL);
}

// --- 4. handed to a thread: the spawner's writes after the spawn race ---------------
struct task4 {
  int input;
  int output;
};
void *run4(void *arg) {
  struct task4 *t = arg;
  t->output = t->input * 2;
  return NULL;
}
int spawn4(void) {
  pthread_t t;
  struct task4 *task = malloc(sizeof *task);
  task->input = 21; // no-race
  pthread_create(&t, NULL, run4, task);
  task->input = 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: data race on 'task4::input'
  pthread_join(t, NULL);
  int out = task->output; // no-race
  free(task);
  return out;
}

// --- 5. a thread wrapper's record, filled in before the thread gets it ----------------
// The wrapper allocates a record per thread, stores the start routine and its argument
// in it and hands it to a trampoline: each thread runs the routine and the argument of
// its own record (not every routine ever stored in that field).
typedef void (*routine5)(void *);
struct task5 {
  pthread_t handle;
  routine5 start;
  void *args;
};
static void *trampoline5(void *p) {
  struct task5 *t = (struct task5 *)p;
  t->start(t->args);
  return NULL;
}
int task5_start(routine5 start, void *args, struct task5 **out) {
  pthread_t handle;
  struct task5 *t = malloc(sizeof *t);
  *out = NULL;
  if (!t)
    return 0;
  t->start = start;
  t->args = args;
  if (pthread_create(&handle, NULL, trampoline5, t) != 0) {
    free(t);
    return 0;
  }
  t->handle = handle;
  *out = t;
  return 1;
}
int task5_join(struct task5 *t) { return pthread_join(t->handle, NULL) == 0; }

pthread_mutex_t count5_lock = PTHREAD_MUTEX_INITIALIZER;
static void bump5(void *args) {
  int *n = (int *)args;
  *n = *n + 1;
}
// CHECK-MESSAGES: :[[@LINE-2]]:3: warning: data race on 'unlocked'
static void bump5_locked(void *args) {
  int *n = (int *)args;
  pthread_mutex_lock(&count5_lock);
  *n = *n + 1; // no-race
  pthread_mutex_unlock(&count5_lock);
}
int count5_unlocked(void) {
  struct task5 *a = NULL, *b = NULL;
  int unlocked = 0;
  if (!task5_start(bump5, &unlocked, &a))
    a = NULL;
  if (!task5_start(bump5, &unlocked, &b))
    b = NULL;
  // Both records are freed once both threads are joined (freeing a's between the
  // joins is a known limit: heap objects are not named by the call allocating them).
  int joined = (!a || task5_join(a)) + (!b || task5_join(b));
  free(a);
  free(b);
  return joined == 2 ? unlocked : -1;
}
int count5_locked(void) {
  struct task5 *a = NULL, *b = NULL;
  int locked = 0;
  if (!task5_start(bump5_locked, &locked, &a))
    a = NULL;
  if (!task5_start(bump5_locked, &locked, &b))
    b = NULL;
  int joined = (!a || task5_join(a)) + (!b || task5_join(b));
  free(a); // no-race
  free(b); // no-race
  return joined == 2 ? locked : -1; // no-race
}

// --- 6. one record handed to every thread a loop starts: they share it --------------
struct shared6 {
  const char *name;
  long hits;
};
void *work6(void *p) {
  struct shared6 *s = p;
  s->hits += 1;
  return (void *)s->name;
}
// CHECK-MESSAGES: :[[@LINE-3]]:6: warning: data race on 'shared6::hits'
long spawn6(const char *name) {
  pthread_t t[2];
  struct shared6 *s = malloc(sizeof *s);
  s->name = name;
  s->hits = 0; // no-race
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, work6, s);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  long hits = s->hits; // no-race
  free(s);
  return hits;
}
