// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// A helper that starts a thread and leaves it running tells its caller so by what it
// returns: `return 0;` after starting it while the path that did not start it returns
// -1, or `return pthread_create(..);`. Where the caller's test of that result says the
// thread was not started, it is not running.
#include <pthread.h>
#include <stdlib.h>

// --- 1. started only when the helper returns 0; stopped only then ------------------
pthread_t poller1;
int status1;
void *poll1(void *arg) {
  status1 = 1; // no-race
  return NULL;
}
int attach1(int broken) {
  if (broken)
    goto fail;
  pthread_create(&poller1, NULL, poll1, NULL);
  return 0;
fail:
  return -1;
}
void detach1(void) { pthread_join(poller1, NULL); }
void run1(int broken) {
  int rc = attach1(broken);
  if (rc == 0)
    detach1();
  status1 = -1; // no-race: joined where it was started
}

// The caller stops it on the wrong result: running on the path it is not stopped.
pthread_t poller1b;
int status1b;
void *poll1b(void *arg) {
  status1b = 1; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'status1b': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}
int attach1b(int broken) {
  if (broken)
    return -1;
  pthread_create(&poller1b, NULL, poll1b, NULL);
  return 0;
}
void run1b(int broken) {
  if (attach1b(broken) != 0)
    pthread_join(poller1b, NULL);
  status1b = -1; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here, no lock held
  if (!broken)
    pthread_join(poller1b, NULL);
}

// --- 2. a wrapper returning pthread_create's own result ---------------------------
pthread_t worker2;
long jobs2;
void *work2(void *arg) {
  jobs2++; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'jobs2': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}
int spawn2(void) { return pthread_create(&worker2, NULL, work2, NULL); }
int run2(void) {
  if (spawn2() != 0) {
    jobs2 = 0; // no-race: no worker was started
    return 1;
  }
  jobs2 = 100; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here, no lock held
  pthread_join(worker2, NULL);
  return 0;
}

// --- 3. a helper that returns 1 once it started the thread --------------------------
pthread_t ticker3;
int ticks3;
void *tick3(void *arg) {
  ticks3++; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'ticks3': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}
int start3(void) {
  pthread_create(&ticker3, NULL, tick3, NULL);
  return 1;
}
int run3(void) {
  if (!start3())
    return 1;
  ticks3 = 10; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here, no lock held
  pthread_join(ticker3, NULL);
  return 0;
}

int main(int argc, char **argv) {
  run1(argc > 1);
  run1b(argc > 1);
  run2();
  run3();
  return 0;
}
