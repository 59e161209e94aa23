// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11 -D_GNU_SOURCE
// Fortified, glibc's headers define the calls inline or as `__builtin___*_chk`: the same.
// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11 -D_GNU_SOURCE -O2 -D_FORTIFY_SOURCE=2
// C library calls read and write memory through their pointer arguments, and some
// keep hidden state of their own (the table in rules/race/LibraryCalls.h).
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

// --- 1. memcpy / memset write their destination ----------------------------------------
char line1[64];
void *fill1(void *arg) {
  memset(line1, 0, sizeof line1);
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'line1': written here
void copy_while_filling(void) {
  pthread_t t;
  pthread_create(&t, NULL, fill1, NULL);
  memcpy(line1, "hello", 6);
  pthread_join(t, NULL);
}
char line1b[64];
void *fill1b(void *arg) {
  memset(line1b, 0, sizeof line1b); // no-race
  return NULL;
}
void copy_after_join(void) {
  pthread_t t;
  pthread_create(&t, NULL, fill1b, NULL);
  pthread_join(t, NULL);
  memcpy(line1b, "hello", 6);       // no-race
}

// --- 2. a read of the buffer (strlen, fputs) races with a write (snprintf) -------------
char msg2[32];
void *format2(void *arg) {
  snprintf(msg2, sizeof msg2, "%d", 42);
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'msg2': written here
size_t print_while_formatting(void) {
  pthread_t t;
  pthread_create(&t, NULL, format2, NULL);
  size_t n = strlen(msg2);
  fputs(msg2, stdout);
  pthread_join(t, NULL);
  return n;
}
char msg2b[32] = "fixed";
void *print2b(void *arg) {
  fputs(msg2b, stdout); // no-race
  return NULL;
}
size_t print_in_parallel(void) {
  pthread_t t;
  pthread_create(&t, NULL, print2b, NULL);
  size_t n = strlen(msg2b); // no-race
  printf("%s\n", msg2b);    // no-race
  pthread_join(t, NULL);
  return n;
}

// --- 3. read() and fgets() write the buffer they fill ---------------------------------
char buf3[128];
void *reader3(void *arg) {
  read(0, buf3, sizeof buf3);
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-3]]:3: warning: data race on 'buf3': written here
void two_readers(void) {
  pthread_t t;
  pthread_create(&t, NULL, reader3, NULL);
  fgets(buf3, sizeof buf3, stdin);
  pthread_join(t, NULL);
}
char buf3b[128];
void *writer3b(void *arg) {
  write(1, buf3b, sizeof buf3b); // no-race
  return NULL;
}
void two_writers_out(void) {
  pthread_t t;
  pthread_create(&t, NULL, writer3b, NULL);
  fwrite(buf3b, 1, sizeof buf3b, stdout); // no-race
  pthread_join(t, NULL);
}

// --- 4. free writes the whole object: it races with any access -------------------------
struct job4 {
  int id;
};
void *use4(void *arg) {
  struct job4 *j = arg;
  return (void *)(long)j->id;
}
void free_while_used(void) {
  pthread_t t;
  struct job4 *j = malloc(sizeof *j);
  j->id = 4;
  pthread_create(&t, NULL, use4, j);
  free(j);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'job4::id': written here
  pthread_join(t, NULL);
}
struct job4b {
  int id;
};
void *use4b(void *arg) {
  struct job4b *j = arg;
  return (void *)(long)j->id; // no-race
}
void free_after_join(void) {
  pthread_t t;
  struct job4b *j = malloc(sizeof *j);
  j->id = 4;                  // no-race
  pthread_create(&t, NULL, use4b, j);
  pthread_join(t, NULL);
  free(j);                    // no-race
}

// --- 5. non-reentrant functions race on their hidden state ----------------------------
void *tokenize5(void *arg) {
  char text[] = "a b c";
  return strtok(text, " ");
}
// CHECK-MESSAGES: :[[@LINE-2]]:10: warning: data race on 'strtok's saved position': written here
void two_tokenizers(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, tokenize5, NULL);
  pthread_create(&b, NULL, tokenize5, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}
void *tokenize5b(void *arg) {
  char text[] = "a b c";
  char *save = NULL;
  return strtok_r(text, " ", &save); // no-race
}
void two_reentrant_tokenizers(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, tokenize5b, NULL);
  pthread_create(&b, NULL, tokenize5b, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

void *roll6(void *arg) {
  return (void *)(long)rand();
}
// CHECK-MESSAGES: :[[@LINE-2]]:24: warning: data race on 'rand's seed': written here
void dice(void) {
  pthread_t t;
  pthread_create(&t, NULL, roll6, NULL);
  srand(7);
  pthread_join(t, NULL);
}
void *roll6b(void *arg) {
  unsigned seed = 1;
  return (void *)(long)rand_r(&seed); // no-race
}
void dice_reentrant(void) {
  pthread_t t;
  pthread_create(&t, NULL, roll6b, NULL);
  srand(7); // no-race
  pthread_join(t, NULL);
}

void *clock7(void *arg) {
  time_t now = 0;
  return localtime(&now);
}
// CHECK-MESSAGES: :[[@LINE-2]]:10: warning: data race on 'localtime/gmtime's static struct tm': written here
void two_clocks(void) {
  pthread_t t;
  time_t now = 0;
  pthread_create(&t, NULL, clock7, NULL);
  struct tm *utc = gmtime(&now);
  (void)utc;
  pthread_join(t, NULL);
}
void *clock7b(void *arg) {
  time_t now = 0;
  static __thread struct tm mine;
  return localtime_r(&now, &mine); // no-race
}
void two_reentrant_clocks(void) {
  pthread_t t;
  time_t now = 0;
  struct tm out;
  pthread_create(&t, NULL, clock7b, NULL);
  gmtime_r(&now, &out); // no-race
  pthread_join(t, NULL);
}

void *env8(void *arg) {
  return getenv("HOME");
}
void set_while_reading(void) {
  pthread_t t;
  pthread_create(&t, NULL, env8, NULL);
  setenv("HOME", "/tmp", 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'the environment': written here
  pthread_join(t, NULL);
}
void *env8b(void *arg) {
  return getenv("PATH"); // no-race
}
void read_in_parallel(void) {
  pthread_t t;
  pthread_create(&t, NULL, env8b, NULL);
  (void)getenv("HOME"); // no-race
  pthread_join(t, NULL);
}
