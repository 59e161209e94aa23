// A C daemon: malloc'd server state shared by worker threads and a monitor thread.
// Workers add bytes under the state's lock but bump the request counter without it,
// and the monitor prints the counter without the lock: a race on requests. The
// configuration is filled in before the threads start and only read afterwards.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct config {
  int workers;
  int port;
  char name[32];
};

struct server {
  struct config *cfg;
  pthread_mutex_t lock;
  long requests;
  long bytes;
  int running;
};

static void *worker_main(void *arg) {
  struct server *srv = arg;
  for (int i = 0; i < 100; i++) {
    size_t n = strlen(srv->cfg->name) + i % 7;   // NORACE
    srv->requests++;                             // RACE
    pthread_mutex_lock(&srv->lock);
    srv->bytes += n;                             // NORACE
    pthread_mutex_unlock(&srv->lock);
  }
  return NULL;
}

static void *monitor_main(void *arg) {
  struct server *srv = arg;
  for (;;) {
    pthread_mutex_lock(&srv->lock);
    int running = srv->running;                  // NORACE
    long bytes = srv->bytes;                     // NORACE
    pthread_mutex_unlock(&srv->lock);
    long requests = srv->requests;               // RACE
    if (!running)
      break;
    if (bytes > 1000000)
      printf("%ld requests\n", requests);
    usleep(100);
  }
  return NULL;
}

int main(void) {
  struct server *srv = calloc(1, sizeof *srv);
  srv->cfg = malloc(sizeof *srv->cfg);
  srv->cfg->workers = 3;
  srv->cfg->port = 8080;
  strcpy(srv->cfg->name, "statsd");               // NORACE
  srv->running = 1;
  pthread_mutex_init(&srv->lock, NULL);

  pthread_t monitor, workers[3];
  pthread_create(&monitor, NULL, monitor_main, srv);
  for (int i = 0; i < srv->cfg->workers; i++)
    pthread_create(&workers[i], NULL, worker_main, srv);
  for (int i = 0; i < srv->cfg->workers; i++)
    pthread_join(workers[i], NULL);
  pthread_mutex_lock(&srv->lock);
  srv->running = 0;                              // NORACE
  pthread_mutex_unlock(&srv->lock);
  pthread_join(monitor, NULL);
  printf("%ld %ld\n", srv->requests, srv->bytes); // NORACE
  free(srv->cfg);
  free(srv);
  return 0;
}
