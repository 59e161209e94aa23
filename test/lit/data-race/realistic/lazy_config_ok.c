// Lazily loaded configuration: the first caller of get_config() parses it through
// pthread_once, which orders the loading before every caller's use. Request threads
// then only read it. Race-free.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct config {
  int timeout_ms;
  int retries;
  char log_path[64];
};

static struct config *cached;
static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void load_config(void) {
  struct config *c = malloc(sizeof *c);
  c->timeout_ms = 250;                          // NORACE
  c->retries = 3;
  strcpy(c->log_path, "/var/log/app.log");
  cached = c;                                   // NORACE
}

static struct config *get_config(void) {
  pthread_once(&config_once, load_config);
  return cached;                                // NORACE
}

static void *request_thread(void *arg) {
  long budget = (long)arg;
  struct config *c = get_config();
  budget -= c->timeout_ms;                      // NORACE
  return (void *)budget;
}

int main(void) {
  pthread_t t[4];
  for (long i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, request_thread, (void *)(1000 + i));
  long total = 0;
  for (int i = 0; i < 4; i++) {
    void *r;
    pthread_join(t[i], &r);
    total += (long)r;
  }
  printf("%ld %d\n", total, get_config()->retries);
  return 0;
}
