// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// Written for this suite: worker threads that parse and format text with the C
// library, one with reentrant calls and one without. Ground truth by hand.
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static char report[128];
static char scratch[64];

static void *parse_fields(void *arg) {
  char line[64];
  strcpy(line, (const char *)arg);
  char *save = NULL;
  int n = 0;
  for (char *f = strtok_r(line, ",", &save); f; f = strtok_r(NULL, ",", &save))
    n++;
  snprintf(scratch, sizeof scratch, "%d fields", n);
  return NULL;
}

static void *parse_words(void *arg) {
  char line[64];
  strcpy(line, (const char *)arg);
  int n = 0;
  for (char *w = strtok(line, " "); w; w = strtok(NULL, " "))
    n++;
  // CHECK-MESSAGES: :[[@LINE-2]]:18: warning: data race on 'strtok's saved position': written here
  return (void *)(long)n;
}

int main(void) {
  pthread_t a, b, c;
  pthread_create(&a, NULL, parse_fields, "x,y,z");
  pthread_create(&b, NULL, parse_words, "one two");
  pthread_create(&c, NULL, parse_words, "three four");
  sprintf(report, "started %d", 3);  // no-race
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  pthread_join(c, NULL);
  printf("%s %s\n", report, scratch); // no-race
  return 0;
}
