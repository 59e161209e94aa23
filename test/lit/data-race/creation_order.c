// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// RUN: %check_untangle -check-suffix=TWICE %s untangle-data-race %t -- -- -std=gnu11 -DTWO_MANAGERS
// A thread that starts others: what the manager does before it creates a worker
// happens before everything the worker does, and before what the worker's own
// children do. Neither thread is joined (main returns into exit), so without that
// ordering the manager's setup and the workers' reads would look parallel. The
// manager runs once here: created once from `main`, outside loops, and named
// nowhere else. Started twice (TWO_MANAGERS), the second manager's setup runs while
// the first one's workers read: a race; and each manager's workers start a writer,
// so two writers run at once (a thread whose spawner runs twice at once).
#include <pthread.h>

int batch_size;     // set up by the manager before it starts the workers
int worker_count;   // bumped by the manager after it started one
int shards[4];

void *shard_writer(void *arg) {
  shards[1] = batch_size;  // no-race: the manager set it before starting the writer's parent
  // CHECK-MESSAGES-TWICE: :[[@LINE-1]]:3: warning: data race on 'shards[1]': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}

void *worker(void *arg) {
  pthread_t writer;
  pthread_create(&writer, NULL, shard_writer, NULL);
  int n = batch_size;  // no-race
  n += worker_count;   // race: the manager bumps it after starting this worker
  return (void *)(long)n;
}

void *manager(void *arg) {
  batch_size = 64;  // no-race
  // CHECK-MESSAGES-TWICE: :[[@LINE-1]]:3: warning: data race on 'batch_size': written here (no lock held) and read in parallel (no lock held) [untangle-data-race]
  pthread_t w;
  pthread_create(&w, NULL, worker, NULL);
  worker_count++;  // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'worker_count': written here (no lock held) and read in parallel (no lock held) [untangle-data-race]
  // CHECK-MESSAGES-TWICE: :[[@LINE-2]]:3: warning: data race on 'worker_count': written here (no lock held) and read in parallel (no lock held) [untangle-data-race]
  return NULL;
}

int main(void) {
  pthread_t m;
  pthread_create(&m, NULL, manager, NULL);
#ifdef TWO_MANAGERS
  pthread_t m2;
  pthread_create(&m2, NULL, manager, NULL);
#endif
  return 0;
}
