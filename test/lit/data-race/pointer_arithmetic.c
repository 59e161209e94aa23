// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// Pointer arithmetic names what a subscript names: `p + 2` is where `p[2]` is, and
// `buf + id * 8` with a worker's own number is that worker's slot. A library call
// given a byte pointer to a numbered element (`memcpy(buf + 5, src, n)`) reaches as
// far as its size says, which the rule does not follow: the whole object. A view of
// other-sized elements (`(char *)&words[0] + 1`) may straddle two of them.
// And a thread_local is each thread's own until its thread hands its address out.
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// --- 1. two byte ranges of one buffer that overlap ----------------------------------
char *frame1;
char header1[8], body1[8];
void *stamp1(void *arg) {
  memcpy(frame1 + 5, header1, 2); // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on '*frame1': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}
void run1(void) {
  frame1 = malloc(16);
  pthread_t t;
  pthread_create(&t, NULL, stamp1, NULL);
  memcpy(frame1 + 3, body1, 4); // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here, no lock held
  pthread_join(t, NULL);
  free(frame1);
}

// --- 2. each worker fills its own stripe, found by its own number --------------------
char *stripes2;
void *fill2(void *arg) {
  long id = (long)arg;
  memset(stripes2 + id * 8, (int)id, 8); // no-race
  return NULL;
}
void run2(void) {
  stripes2 = malloc(32);
  pthread_t t[4];
  for (long id = 0; id < 4; id++)
    pthread_create(&t[id], NULL, fill2, (void *)id);
  for (int id = 0; id < 4; id++)
    pthread_join(t[id], NULL);
  free(stripes2);
}

// --- 3. `*(p + 2)` is `p[2]`; `*(p + 1)` is another element ---------------------------
int *counts3;
void *count3(void *arg) {
  *(counts3 + 2) += 1; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'counts3[2]': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  *(counts3 + 1) += 1; // no-race: nobody else touches counts3[1]
  return NULL;
}
void run3(void) {
  counts3 = calloc(4, sizeof *counts3);
  pthread_t t;
  pthread_create(&t, NULL, count3, NULL);
  counts3[2] = 5; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here, no lock held
  counts3[3] = 5; // no-race
  pthread_join(t, NULL);
  free(counts3);
}

// --- 4. an unaligned view that straddles two words ------------------------------------
uint64_t words4[2];
void *patch4(void *arg) {
  char *bytes = (char *)&words4[0];
  struct __attribute__((packed)) unaligned_word { uint32_t value; };
  struct unaligned_word *unaligned = (struct unaligned_word *)(bytes + 6);
  unaligned->value = 0xffffffffu; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: data race on 'words4.value': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}
void run4(void) {
  pthread_t t;
  pthread_create(&t, NULL, patch4, NULL);
  words4[1]++; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here, no lock held
  pthread_join(t, NULL);
}

// --- 5. a thread_local whose address the spawner hands to its thread --------------------
__thread int scratch5;
void *reset5(void *arg) {
  *(int *)arg = 0; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'scratch5': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  scratch5 = 1; // no-race: this thread's own instance
  return NULL;
}
void run5(void) {
  pthread_t t;
  pthread_create(&t, NULL, reset5, &scratch5);
  scratch5 = 2; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here, no lock held
  pthread_join(t, NULL);
  scratch5 = 3; // no-race: after the join
}

// The same handed out by a thread to the thread it starts.
__thread long progress5b;
void *report5b(void *arg) {
  *(long *)arg += 1; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'progress5b': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}
void *work5b(void *arg) {
  pthread_t reporter;
  pthread_create(&reporter, NULL, report5b, &progress5b);
  progress5b += 10; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here, no lock held
  pthread_join(reporter, NULL);
  return NULL;
}
void run5b(void) {
  pthread_t t;
  pthread_create(&t, NULL, work5b, NULL);
  pthread_join(t, NULL);
}

// --- 6. a thread_local each thread only uses by name --------------------------------------
__thread int depth6;
void *recurse6(void *arg) {
  depth6++; // no-race: each thread's own
  return NULL;
}
void run6(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, recurse6, NULL);
  pthread_create(&b, NULL, recurse6, NULL);
  depth6 = 1; // no-race: main's own
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

int main(void) {
  run1();
  run2();
  run3();
  run4();
  run5();
  run5b();
  run6();
  return 0;
}
