// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// Paths that end or jump: a call of a function of the program's own that never returns
// (every path through it ends in `exit`, `abort`, `longjmp`) ends the caller's path, as
// a noreturn call does; and `setjmp` returns a second time, non-zero, from a
// `longjmp` back to it, holding the locks held at that `longjmp`.
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;

void fatal(const char *why) {
  fprintf(stderr, "fatal: %s\n", why);
  exit(1);
}
void complain(const char *why) { fprintf(stderr, "warning: %s\n", why); }

// --- 1. the unlocked path ends in a fatal error -----------------------------------------
int config1;
void *reader1(void *arg) {
  pthread_mutex_lock(&config_lock);
  int seen = config1; // no-race
  pthread_mutex_unlock(&config_lock);
  return (void *)(long)seen;
}
void run1(int locking) {
  pthread_t t;
  pthread_create(&t, NULL, reader1, NULL);
  if (locking)
    pthread_mutex_lock(&config_lock);
  else
    fatal("configuration changed without its lock");
  config1 = 1; // no-race: the other path never gets here
  pthread_mutex_unlock(&config_lock);
  pthread_join(t, NULL);
}

// The same when the unlocked path only complains and goes on.
int config1b;
void *reader1b(void *arg) {
  pthread_mutex_lock(&config_lock);
  int seen = config1b; // race
  pthread_mutex_unlock(&config_lock);
  return (void *)(long)seen;
}
void run1b(int locking) {
  pthread_t t;
  pthread_create(&t, NULL, reader1b, NULL);
  if (locking)
    pthread_mutex_lock(&config_lock);
  else
    complain("configuration changed without its lock");
  config1b = 1; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'config1b': written here (no lock held) and read in parallel (holding 'config_lock') [untangle-data-race]
  // CHECK-MESSAGES: :[[@LINE-13]]:14: note: conflicting read here, holding 'config_lock'
  if (locking)
    pthread_mutex_unlock(&config_lock);
  pthread_join(t, NULL);
}

// --- 2. a helper that takes the lock and jumps back to the setjmp -------------------------
jmp_buf recover2;
int state2;
void *writer2(void *arg) {
  pthread_mutex_lock(&config_lock);
  state2 = 1; // no-race
  pthread_mutex_unlock(&config_lock);
  return NULL;
}
void bail_out_locked2(void) {
  pthread_mutex_lock(&config_lock);
  longjmp(recover2, 1);
}
void run2(void) {
  pthread_t t;
  pthread_create(&t, NULL, writer2, NULL);
  if (!setjmp(recover2))
    bail_out_locked2();
  state2 = 2; // no-race: reached only through the longjmp, which holds config_lock
  pthread_mutex_unlock(&config_lock);
  pthread_join(t, NULL);
}

// The helper releases the lock before it jumps back.
jmp_buf recover2b;
int state2b;
void *writer2b(void *arg) {
  pthread_mutex_lock(&config_lock);
  state2b = 1; // race
  pthread_mutex_unlock(&config_lock);
  return NULL;
}
void bail_out_unlocked2b(void) {
  pthread_mutex_lock(&config_lock);
  pthread_mutex_unlock(&config_lock);
  longjmp(recover2b, 1);
}
void run2b(void) {
  pthread_t t;
  pthread_create(&t, NULL, writer2b, NULL);
  if (!setjmp(recover2b))
    bail_out_unlocked2b();
  state2b = 2; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'state2b': written here (no lock held) and written in parallel (holding 'config_lock') [untangle-data-race]
  // CHECK-MESSAGES: :[[@LINE-16]]:3: note: conflicting write here, holding 'config_lock'
  pthread_join(t, NULL);
}

int main(int argc, char **argv) {
  run1(argc > 0);
  run1b(argc == 0);
  run2();
  run2b();
  return 0;
}
