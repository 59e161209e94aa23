// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// C: pthread_create start routines, pthread_join, pthread locks, C11 atomics.
#define _GNU_SOURCE // pthread_tryjoin_np, pthread_timedjoin_np (section 12)
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

// --- 1. a global written by the start routine, and by main before / after the join ---
int counter1;
// CHECK-FIXES: int counter1;
void *inc1(void *arg) {
  counter1++;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'counter1'
void before_join(void) {
  pthread_t t;
  pthread_create(&t, NULL, inc1, NULL);
  counter1 = 0;
  pthread_join(t, NULL);
}
int counter1b;
void *inc1b(void *arg) {
  counter1b++; // no-race
  return NULL;
}
void after_join(void) {
  pthread_t t;
  counter1b = 0; // no-race
  pthread_create(&t, NULL, inc1b, NULL);
  pthread_join(t, NULL);
  counter1b = 0; // no-race
}

// --- 2. the argument pointer reaches the spawner's object ------------------------------
struct stats {
  pthread_mutex_t lock;
  long hits;
  long misses;
};
void *record2(void *arg) {
  struct stats *s = arg;
  s->hits++;
  pthread_mutex_lock(&s->lock);
  s->misses++; // no-race
  pthread_mutex_unlock(&s->lock);
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-6]]:6: warning: data race on 'st.hits'
long through_arg(void) {
  struct stats st = {PTHREAD_MUTEX_INITIALIZER, 0, 0};
  pthread_t t;
  pthread_create(&t, NULL, record2, &st);
  long h = st.hits;
  pthread_mutex_lock(&st.lock);
  long m = st.misses; // no-race
  pthread_mutex_unlock(&st.lock);
  pthread_join(t, NULL);
  return h + m;
}

// --- 3. pthread_mutex_lock on both sides, or on one ------------------------------------
pthread_mutex_t mu3 = PTHREAD_MUTEX_INITIALIZER;
int a3, b3;
void *locked3(void *arg) {
  pthread_mutex_lock(&mu3);
  a3++; // no-race
  b3++;
  pthread_mutex_unlock(&mu3);
  return NULL;
}
void mutex_both_sides(void) {
  pthread_t t;
  pthread_create(&t, NULL, locked3, NULL);
  pthread_mutex_lock(&mu3);
  a3--; // no-race
  pthread_mutex_unlock(&mu3);
  b3--;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'b3'
  pthread_join(t, NULL);
}

// --- 4. rwlock: readers share, a writer under a read lock races -------------------------
pthread_rwlock_t rw4 = PTHREAD_RWLOCK_INITIALIZER;
int a4, b4;
void *reader4(void *arg) {
  pthread_rwlock_rdlock(&rw4);
  int v = a4; // no-race
  v += b4;
  pthread_rwlock_unlock(&rw4);
  return (void *)(long)v;
}
void rwlock_writer(void) {
  pthread_t t;
  pthread_create(&t, NULL, reader4, NULL);
  pthread_rwlock_wrlock(&rw4);
  a4 = 1; // no-race
  pthread_rwlock_unlock(&rw4);
  pthread_rwlock_rdlock(&rw4);
  b4 = 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'b4'
  pthread_rwlock_unlock(&rw4);
  pthread_join(t, NULL);
}

// --- 5. spin locks ---------------------------------------------------------------------
pthread_spinlock_t spin5;
int a5, b5;
void *spinner5(void *arg) {
  pthread_spin_lock(&spin5);
  a5++; // no-race
  pthread_spin_unlock(&spin5);
  b5++;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'b5'
void spin(void) {
  pthread_t t;
  pthread_create(&t, NULL, spinner5, NULL);
  pthread_spin_lock(&spin5);
  a5++; // no-race
  b5++;
  pthread_spin_unlock(&spin5);
  pthread_join(t, NULL);
}

// --- 6. C11 _Atomic and the __sync / __atomic builtins ----------------------------------
_Atomic int a6;
int b6, c6, d6;
void *atomics6(void *arg) {
  a6++;                                    // no-race
  __sync_fetch_and_add(&b6, 1);            // no-race
  __atomic_fetch_add(&c6, 1, __ATOMIC_RELAXED); // no-race
  d6++;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'd6'
void atomics(void) {
  pthread_t t;
  pthread_create(&t, NULL, atomics6, NULL);
  a6++;                                    // no-race
  __sync_fetch_and_add(&b6, 1);            // no-race
  __atomic_fetch_add(&c6, 1, __ATOMIC_RELAXED); // no-race
  atomic_fetch_add_explicit(&a6, 1, memory_order_relaxed); // no-race
  d6++;
  pthread_join(t, NULL);
}

// --- 7. threads created in a loop, joined in a loop ------------------------------------
int total7, done7;
void *work7(void *arg) {
  total7 += 1;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'total7'
void loop_of_threads(void) {
  pthread_t tids[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&tids[i], NULL, work7, NULL);
  for (int i = 0; i < 4; i++)
    pthread_join(tids[i], NULL);
  done7 = total7; // no-race
}

// --- 8. _Thread_local: each thread has its own -----------------------------------------
_Thread_local int mine8;
int shared8;
void *tls8(void *arg) {
  mine8++;   // no-race
  shared8++;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'shared8'
void thread_locals(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, tls8, NULL);
  pthread_create(&b, NULL, tls8, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

// --- 9. per-thread arguments: each thread gets a pointer to its own slot ---------------
void *fill9(void *arg) {
  int *slot = arg;
  *slot = 1; // no-race
  return NULL;
}
void own_slots(void) {
  pthread_t a, b;
  int slot_a = 0, slot_b = 0;
  pthread_create(&a, NULL, fill9, &slot_a);
  pthread_create(&b, NULL, fill9, &slot_b);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}
void *fill9b(void *arg) {
  int *slot = arg;
  *slot = 1;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'shared9'
int shared9;
void same_slot(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, fill9b, &shared9);
  pthread_create(&b, NULL, fill9b, &shared9);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

// --- 10. created under a lock: the creator's critical section comes first -----------
// The thread can take `mu10` only once the creator has released it, so what the
// creator does while still holding it happens before what the thread does after
// taking it, even once the thread has let it go again.
pthread_mutex_t mu10 = PTHREAD_MUTEX_INITIALIZER;
long seen10;
void *after_handoff(void *arg) {
  pthread_mutex_lock(&mu10);
  pthread_mutex_unlock(&mu10);
  seen10++; // no-race
  return NULL;
}
void create_under_lock(void) {
  pthread_t t;
  pthread_mutex_lock(&mu10);
  pthread_create(&t, NULL, after_handoff, NULL);
  seen10 = 1; // no-race
  pthread_mutex_unlock(&mu10);
}
// Released and taken again after the start: the thread may run in between.
pthread_mutex_t mu10b = PTHREAD_MUTEX_INITIALIZER;
long seen10b;
void *after_handoff_b(void *arg) {
  pthread_mutex_lock(&mu10b);
  pthread_mutex_unlock(&mu10b);
  seen10b++;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'seen10b'
void create_under_lock_retaken(void) {
  pthread_t t;
  pthread_mutex_lock(&mu10b);
  pthread_create(&t, NULL, after_handoff_b, NULL);
  pthread_mutex_unlock(&mu10b);
  pthread_mutex_lock(&mu10b);
  seen10b = 1;
  pthread_mutex_unlock(&mu10b);
}
// The thread's access before it takes the lock is not ordered.
pthread_mutex_t mu10c = PTHREAD_MUTEX_INITIALIZER;
long seen10c;
void *before_handoff(void *arg) {
  seen10c++;
  pthread_mutex_lock(&mu10c);
  pthread_mutex_unlock(&mu10c);
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-5]]:3: warning: data race on 'seen10c'
void create_under_lock_early(void) {
  pthread_t t;
  pthread_mutex_lock(&mu10c);
  pthread_create(&t, NULL, before_handoff, NULL);
  seen10c = 1;
  pthread_mutex_unlock(&mu10c);
}

// --- 11. distinct constant indices are distinct elements ---------------------------------
void *slots11[2];
long hits11[2];
void *fill_second(void *arg) {
  slots11[1] = arg; // no-race
  hits11[0]++;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'hits11[0]'
void fill_first(void) {
  pthread_t t;
  pthread_create(&t, NULL, fill_second, NULL);
  slots11[0] = &t; // no-race
  hits11[0] = 0;
  pthread_join(t, NULL);
}
// The whole array (here copied) overlaps every element.
void *copy11[2];
void *fill_one(void *arg) {
  copy11[1] = arg;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'copy11[1]'
void copy_all(void) {
  pthread_t t;
  void *snapshot[2];
  pthread_create(&t, NULL, fill_one, NULL);
  __builtin_memcpy(snapshot, copy11, sizeof copy11);
  pthread_join(t, NULL);
}

// --- 12. a try-join or a timed join has joined where it returned 0 ---------------------
int done12, done12b, done12c;
void *finish12(void *arg) {
  done12 = 1; // no-race
  return NULL;
}
void *finish12b(void *arg) {
  done12b = 1; // no-race
  return NULL;
}
void *finish12c(void *arg) {
  done12c = 1;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'done12c'
void poll_until_joined(void) {
  pthread_t t;
  pthread_create(&t, NULL, finish12, NULL);
  for (;;) {
    int rc = pthread_tryjoin_np(t, NULL);
    if (!rc)
      break;
  }
  done12 = 2; // no-race
}
void wait_with_deadline(const struct timespec *deadline) {
  pthread_t t;
  pthread_create(&t, NULL, finish12b, NULL);
  if (pthread_timedjoin_np(t, NULL, deadline) != 0)
    return;
  done12b = 2; // no-race
}
// Busy is not joined: the thread may still run.
void try_once(void) {
  pthread_t t;
  pthread_create(&t, NULL, finish12c, NULL);
  if (pthread_tryjoin_np(t, NULL) != 0)
    done12c = 2;
}
// A timed join whose result is not tested is written expecting the thread to end.
int done12d;
void *finish12d(void *arg) {
  done12d = 1; // no-race
  return NULL;
}
void wait_expecting_success(const struct timespec *deadline) {
  pthread_t t;
  pthread_create(&t, NULL, finish12d, NULL);
  (void)pthread_timedjoin_np(t, NULL, deadline);
  done12d = 2; // no-race
}
