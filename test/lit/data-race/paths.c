// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// Spawns and joins that depend on the path: a thread is running only where the
// conditions it was started under still hold, and is gone where its handle is empty.
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

// --- 1. a flag set when creation succeeds, the join under the flag ------------------
int hits1;
void *count1(void *arg) {
  hits1++;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'hits1'
void started_flag(void) {
  pthread_t t;
  int started = 0;
  if (pthread_create(&t, NULL, count1, NULL) == 0)
    started = 1;
  hits1 = 5;
  if (started)
    pthread_join(t, NULL);
}
int hits1b;
void *count1b(void *arg) {
  hits1b++; // no-race
  return NULL;
}
void started_flag_twin(void) {
  pthread_t t;
  int started = 0;
  if (pthread_create(&t, NULL, count1b, NULL) == 0)
    started = 1;
  if (started)
    pthread_join(t, NULL);
  hits1b = 5; // no-race
}

// --- 2. the handle cleared when creation fails, joined under `if (t && ...)` --------
int hits2;
void *count2(void *arg) {
  hits2++;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'hits2'
void cleared_handle(void) {
  pthread_t *t = malloc(sizeof *t);
  if (pthread_create(t, NULL, count2, NULL) != 0) {
    free(t);
    t = NULL;
  }
  hits2 = 1;
  if (t && pthread_join(*t, NULL) == 0)
    free(t);
}
int hits2b;
void *count2b(void *arg) {
  hits2b++; // no-race
  return NULL;
}
void cleared_handle_twin(void) {
  pthread_t *t = malloc(sizeof *t);
  if (pthread_create(t, NULL, count2b, NULL) != 0) {
    free(t);
    t = NULL;
  }
  if (t && pthread_join(*t, NULL) == 0)
    free(t);
  hits2b = 1; // no-race
}

// --- 3. created and joined under the same condition --------------------------------
int hits3;
void *count3(void *arg) {
  hits3++;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'hits3'
void same_condition(int parallel) {
  pthread_t t;
  if (parallel)
    pthread_create(&t, NULL, count3, NULL);
  hits3 = 2;
  if (parallel)
    pthread_join(t, NULL);
}
int hits3b;
void *count3b(void *arg) {
  hits3b++; // no-race
  return NULL;
}
void same_condition_twin(int n) {
  pthread_t t;
  if (n > 1)
    pthread_create(&t, NULL, count3b, NULL);
  if (n > 1)
    pthread_join(t, NULL);
  hits3b = 2; // no-race
}
// The condition changed in between: the thread may run on after the second test.
int hits3c;
void *count3c(void *arg) {
  hits3c++;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'hits3c'
void condition_changed(int n) {
  pthread_t t;
  if (n > 1)
    pthread_create(&t, NULL, count3c, NULL);
  n = n - 1;
  if (n > 1)
    pthread_join(t, NULL);
  hits3c = 2;
}

// --- 4. the status of pthread_create kept in a variable ------------------------------
int hits4;
void *count4(void *arg) {
  hits4++; // no-race
  return NULL;
}
int status_variable(void) {
  pthread_t t;
  int rc = pthread_create(&t, NULL, count4, NULL);
  if (rc != 0)
    return hits4; // no-race
  pthread_join(t, NULL);
  return hits4; // no-race
}

// --- 5. created into an array in one loop, joined in a second loop -------------------
int total5;
pthread_mutex_t mu5 = PTHREAD_MUTEX_INITIALIZER;
void *add5(void *arg) {
  pthread_mutex_lock(&mu5);
  total5 += 1;
  pthread_mutex_unlock(&mu5);
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: data race on 'total5'
int join_loop_reads(void) {
  pthread_t tids[4];
  int seen = 0;
  for (int i = 0; i < 4; i++)
    pthread_create(&tids[i], NULL, add5, NULL);
  for (int i = 0; i < 4; i++) {
    pthread_join(tids[i], NULL);
    seen = total5; // the other threads still run
  }
  return seen;
}
int total5b;
pthread_mutex_t mu5b = PTHREAD_MUTEX_INITIALIZER;
void *add5b(void *arg) {
  pthread_mutex_lock(&mu5b);
  total5b += 1; // no-race
  pthread_mutex_unlock(&mu5b);
  return NULL;
}
int join_loop_twin(void) {
  pthread_t tids[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&tids[i], NULL, add5b, NULL);
  for (int i = 0; i < 4; i++)
    pthread_join(tids[i], NULL);
  return total5b; // no-race
}
int total5c;
void *add5c(void *arg) {
  total5c += 1; // no-race
  return NULL;
}
void create_and_join_each(void) {
  pthread_t tids[4];
  for (int i = 0; i < 4; i++) {
    pthread_create(&tids[i], NULL, add5c, NULL);
    pthread_join(tids[i], NULL);
  }
}

// --- 6. a global handle, created in one function and joined in another --------------
pthread_t poller6;
int polls6;
void *poll6(void *arg) {
  polls6++;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'polls6'
void start_poller6(void) { pthread_create(&poller6, NULL, poll6, NULL); }
void stop_poller6(void) { pthread_join(poller6, NULL); }
void global_handle(void) {
  start_poller6();
  polls6 = 0;
  stop_poller6();
}
pthread_t poller6b;
int polls6b;
void *poll6b(void *arg) {
  polls6b++; // no-race
  return NULL;
}
void start_poller6b(void) { pthread_create(&poller6b, NULL, poll6b, NULL); }
void stop_poller6b(void) { pthread_join(poller6b, NULL); }
void global_handle_twin(void) {
  polls6b = 0; // no-race
  start_poller6b();
  stop_poller6b();
  polls6b = 1; // no-race
}

// --- 7. threads started and joined through the program's own wrappers, in loops ------
typedef struct {
  pthread_t handle;
} os_thread7;
int os_start7(os_thread7 *t, void *(*fn)(void *), void *arg) {
  return pthread_create(&t->handle, NULL, fn, arg);
}
void os_wait7(os_thread7 *t) { pthread_join(t->handle, NULL); }
int limit7;
void *read7(void *arg) {
  return (void *)(long)limit7;
}
void wrapped_loops(void) {
  os_thread7 threads[4];
  for (int i = 0; i < 4; i++)
    os_start7(&threads[i], read7, NULL);
  limit7 = 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'limit7'
  for (int i = 0; i < 4; i++)
    os_wait7(&threads[i]);
}
int limit7b;
void *read7b(void *arg) {
  return (void *)(long)limit7b; // no-race
}
void wrapped_loops_twin(void) {
  os_thread7 threads[4];
  for (int i = 0; i < 4; i++)
    os_start7(&threads[i], read7b, NULL);
  for (int i = 0; i < 4; i++)
    os_wait7(&threads[i]);
  limit7b = 1; // no-race
}

// --- 8. the handle handed back through an out-parameter of the spawn helper ---------
// The helper keeps the pthread_t in a record it allocates and stores the record
// through its last parameter; the join helper joins the record's handle.
typedef struct worker8 {
  pthread_t tid;
  void (*run)(void *);
  void *arg;
} *worker8;
static void *worker8_main(void *p) {
  worker8 w = p;
  w->run(w->arg);
  return NULL;
}
int worker8_start(void (*run)(void *), void *arg, worker8 *out) {
  pthread_t tid;
  worker8 w;
  *out = NULL;
  w = malloc(sizeof *w);
  if (!w)
    return 0;
  w->run = run;
  w->arg = arg;
  if (pthread_create(&tid, NULL, worker8_main, w) != 0) {
    free(w); // no-race: no thread was started
    return 0;
  }
  w->tid = tid;
  *out = w;
  return 1;
}
int worker8_wait(worker8 w) { return pthread_join(w->tid, NULL) == 0; }
long sum8;
static void add8(void *arg) {
  sum8 += 1;
}
// CHECK-MESSAGES: :[[@LINE-2]]:3: warning: data race on 'sum8'
long out_param_record(void) {
  worker8 a = NULL;
  if (!worker8_start(add8, NULL, &a))
    a = NULL;
  sum8 = 0; // before the join
  if (a && worker8_wait(a))
    a = NULL;
  return sum8;
}
long sum8b;
static void add8b(void *arg) {
  sum8b += 1; // no-race
}
long out_param_record_twin(void) {
  worker8 a = NULL;
  sum8b = 0; // no-race
  if (!worker8_start(add8b, NULL, &a))
    a = NULL;
  if (a && worker8_wait(a))
    a = NULL;
  sum8b = 1; // no-race
  if (!worker8_start(add8b, NULL, &a))
    a = NULL;
  if (a && worker8_wait(a))
    a = NULL;
  return sum8b; // no-race
}
// The pthread_t itself stored through the out-parameter; joining `a` does not end `b`.
int start8(void *(*fn)(void *), void *arg, pthread_t *out) {
  pthread_t tid;
  int rc = pthread_create(&tid, NULL, fn, arg);
  if (rc == 0)
    *out = tid;
  return rc == 0;
}
void wait8(pthread_t *t) { pthread_join(*t, NULL); }
long count8c;
void *bump8c(void *arg) {
  count8c++;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'count8c'
long one_of_two_joined(void) {
  pthread_t a, b;
  if (!start8(bump8c, NULL, &a))
    return 0;
  if (!start8(bump8c, NULL, &b)) {
    wait8(&a);
    return 0;
  }
  wait8(&a);
  return count8c; // b still runs
}
long count8d;
void *bump8d(void *arg) {
  count8d++; // no-race
  return NULL;
}
long both_joined(void) {
  pthread_t a, b;
  if (!start8(bump8d, NULL, &a))
    return 0;
  wait8(&a);
  if (!start8(bump8d, NULL, &b))
    return 0;
  wait8(&b);
  return count8d; // no-race
}
