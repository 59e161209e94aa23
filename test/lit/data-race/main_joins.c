// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// A thread that joins main: main keeps its id in a global (`main_id =
// pthread_self()`) and ends with pthread_exit, leaving the process to its threads; a
// thread joining main_id goes on once main has ended, so everything main did comes
// before what that thread does after the join (race/MainThreadJoins.cpp). What it did
// before the join, and what other threads do, stays in parallel with main. (A thread
// may be joined once: one thread here joins main.) ThreadSanitizer stops on a join of
// the main thread, so it was run with the join as a semaphore main posts before its
// pthread_exit: in 20 runs it reported the four lines marked race, and nothing else.
#include <pthread.h>
#include <stdio.h>

pthread_t main_id;
long settled, early, shared_log;

void report(void) {
  settled += 100; // no-race: main's callee, before main ends
}

void *wait_for_main(void *arg) {
  early = 7; // race: before the join
  pthread_join(main_id, NULL);
  settled *= 2; // no-race: main has ended
  printf("settled %ld\n", settled);
  shared_log += 1; // race: the other logger does not wait for main
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-7]]:3: warning: data race on 'early': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]

void *log_now(void *arg) {
  shared_log += 2; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'shared_log': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  // CHECK-MESSAGES: :[[@LINE-8]]:3: note: conflicting write here, no lock held
  return NULL;
}

int main(void) {
  pthread_t waiter, logger;
  main_id = pthread_self();
  pthread_create(&waiter, NULL, wait_for_main, NULL);
  settled = 1; // no-race
  report();
  early = 3; // race
  pthread_create(&logger, NULL, log_now, NULL);
  pthread_exit(NULL);
}
