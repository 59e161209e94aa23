// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// A thread started by a thread into a global handle, which the grandparent joins while
// it still holds the lock it took before starting the parent: the grandchild runs after
// the parent started and has ended at the join, so inside that critical section
// (race/CreationLocks.cpp, locksUntilJoined). A thread taking the lock itself is
// ordered with all of it; the grandparent's own accesses in the section are not. The
// section ends at the first unlock: a join after it, or a path without a join, leaves
// the grandchild free to run outside.
#include <pthread.h>
#include <unistd.h>

// --- 1. the grandchild joined inside the section ------------------------------------
pthread_mutex_t ledger_lock1 = PTHREAD_MUTEX_INITIALIZER;
pthread_t depositor1;
long balance1;
void *audit1(void *arg) {
  pthread_mutex_lock(&ledger_lock1);
  balance1 -= 1; // no-race
  pthread_mutex_unlock(&ledger_lock1);
  return NULL;
}
void *deposit1(void *arg) {
  balance1 += 10; // no-race: settle1 holds ledger_lock1 from before its parent to its join
  return NULL;
}
void *teller1(void *arg) {
  pthread_create(&depositor1, NULL, deposit1, NULL);
  return NULL;
}
void settle1(void) {
  pthread_t auditor, teller;
  pthread_create(&auditor, NULL, audit1, NULL);
  pthread_mutex_lock(&ledger_lock1);
  pthread_create(&teller, NULL, teller1, NULL);
  pthread_join(teller, NULL);
  pthread_join(depositor1, NULL);
  pthread_mutex_unlock(&ledger_lock1);
  pthread_join(auditor, NULL);
}

// Joined after the unlock: the grandchild may run once the auditor has the lock.
pthread_mutex_t ledger_lock1b = PTHREAD_MUTEX_INITIALIZER;
pthread_t depositor1b;
long balance1b;
void *audit1b(void *arg) {
  usleep(1000); // most runs: after the teller is done
  pthread_mutex_lock(&ledger_lock1b);
  balance1b -= 1; // race
  pthread_mutex_unlock(&ledger_lock1b);
  return NULL;
}
void *deposit1b(void *arg) {
  balance1b += 10; // race
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'balance1b': written here (no lock held) and written in parallel (holding 'ledger_lock1b') [untangle-data-race]
void *teller1b(void *arg) {
  pthread_create(&depositor1b, NULL, deposit1b, NULL);
  return NULL;
}
void settle1b(void) {
  pthread_t auditor, teller;
  pthread_create(&auditor, NULL, audit1b, NULL);
  pthread_mutex_lock(&ledger_lock1b);
  pthread_create(&teller, NULL, teller1b, NULL);
  pthread_join(teller, NULL);
  pthread_mutex_unlock(&ledger_lock1b);
  pthread_join(depositor1b, NULL);
  pthread_join(auditor, NULL);
}

// --- 2. joined on one path only -------------------------------------------------------
pthread_mutex_t ledger_lock2 = PTHREAD_MUTEX_INITIALIZER;
pthread_t depositor2;
long balance2;
void *audit2(void *arg) {
  usleep(1000); // most runs: after the teller is done
  pthread_mutex_lock(&ledger_lock2);
  balance2 -= 1; // race
  pthread_mutex_unlock(&ledger_lock2);
  return NULL;
}
void *deposit2(void *arg) {
  balance2 += 10; // race
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'balance2': written here (no lock held) and written in parallel (holding 'ledger_lock2') [untangle-data-race]
void *teller2(void *arg) {
  pthread_create(&depositor2, NULL, deposit2, NULL);
  return NULL;
}
void settle2(int wait) {
  pthread_t auditor, teller;
  pthread_create(&auditor, NULL, audit2, NULL);
  pthread_mutex_lock(&ledger_lock2);
  pthread_create(&teller, NULL, teller2, NULL);
  pthread_join(teller, NULL);
  if (wait)
    pthread_join(depositor2, NULL);
  pthread_mutex_unlock(&ledger_lock2);
  pthread_join(auditor, NULL);
}

// --- 3. the lock taken before the section, the access made after it ------------------
// A thread started after the lock was taken and waiting for it orders everything the
// grandchild did before what it does after its own lock, released or not.
pthread_mutex_t ledger_lock3 = PTHREAD_MUTEX_INITIALIZER;
pthread_t depositor3;
long balance3;
void *audit3(void *arg) {
  pthread_mutex_lock(&ledger_lock3);
  pthread_mutex_unlock(&ledger_lock3);
  balance3 -= 1; // no-race: only after settle3 unlocked, which is after the join
  return NULL;
}
void *deposit3(void *arg) {
  balance3 += 10; // no-race
  return NULL;
}
void *teller3(void *arg) {
  pthread_create(&depositor3, NULL, deposit3, NULL);
  return NULL;
}
void settle3(void) {
  pthread_t auditor, teller;
  pthread_mutex_lock(&ledger_lock3);
  pthread_create(&auditor, NULL, audit3, NULL);
  pthread_create(&teller, NULL, teller3, NULL);
  pthread_join(teller, NULL);
  pthread_join(depositor3, NULL);
  pthread_mutex_unlock(&ledger_lock3);
  pthread_join(auditor, NULL);
}

pthread_mutex_t ledger_lock3b = PTHREAD_MUTEX_INITIALIZER;
pthread_t depositor3b;
long balance3b;
void *audit3b(void *arg) {
  pthread_mutex_lock(&ledger_lock3b);
  pthread_mutex_unlock(&ledger_lock3b);
  balance3b -= 1; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'balance3b': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}
void *deposit3b(void *arg) {
  balance3b += 10; // race
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: note: conflicting write here, no lock held
void *teller3b(void *arg) {
  pthread_create(&depositor3b, NULL, deposit3b, NULL);
  return NULL;
}
void settle3b(void) {
  pthread_t auditor, teller;
  pthread_mutex_lock(&ledger_lock3b);
  pthread_create(&auditor, NULL, audit3b, NULL);
  pthread_create(&teller, NULL, teller3b, NULL);
  pthread_join(teller, NULL);
  pthread_mutex_unlock(&ledger_lock3b);
  pthread_join(depositor3b, NULL);
  pthread_join(auditor, NULL);
}

// --- 4. the grandparent's own access inside the section ------------------------------
// It holds the same acquisition of the lock as the grandchild runs inside: not ordered.
pthread_mutex_t ledger_lock4 = PTHREAD_MUTEX_INITIALIZER;
pthread_t depositor4;
long balance4;
void *deposit4(void *arg) {
  balance4 += 10; // race
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'balance4': written here (no lock held) and written in parallel (holding 'ledger_lock4') [untangle-data-race]
void *teller4(void *arg) {
  pthread_create(&depositor4, NULL, deposit4, NULL);
  return NULL;
}
void settle4(void) {
  pthread_t teller;
  pthread_mutex_lock(&ledger_lock4);
  pthread_create(&teller, NULL, teller4, NULL);
  pthread_join(teller, NULL);
  balance4 *= 2; // race: the depositor may still run
  pthread_join(depositor4, NULL);
  pthread_mutex_unlock(&ledger_lock4);
}

int main(int argc, char **argv) {
  settle1();
  settle1b();
  settle2(argc > 1);
  settle3();
  settle3b();
  settle4();
  return 0;
}
