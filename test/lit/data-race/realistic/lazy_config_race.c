// Lazily loaded configuration: the first caller of get_config() fills in a static
// config and sets a "loaded" flag. Several request threads call get_config() at once,
// so the flag's check and store race, and a thread that sees the flag reads a field
// another thread wrote without any synchronization.
#include <pthread.h>
#include <stdio.h>

struct config {
  long timeout_ms;
  long retries;
};

static struct config the_config;
static int loaded;

static struct config *get_config(void) {
  if (!loaded) {                                      // RACE
    the_config.timeout_ms = 250;                      // RACE
    the_config.retries = 3;                           // RACE
    loaded = 1;                                       // RACE
  }
  return &the_config;
}

static void *request_thread(void *arg) {
  long budget = (long)arg;
  struct config *c = get_config();
  budget -= c->timeout_ms * c->retries;               // RACE
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
  printf("%ld %ld\n", total, get_config()->retries); // NORACE
  return 0;
}
