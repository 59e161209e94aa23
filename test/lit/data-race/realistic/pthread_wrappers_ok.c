// Thread and lock calls hidden behind the program's own wrappers, as portable C code
// does (os_thread_start / os_mutex_*). Each job records its result in its own slot
// under no lock, and the shared error count and the "last job" marker under the
// wrapper lock. Race-free.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  pthread_t handle;
} os_thread;
typedef pthread_mutex_t os_mutex;

static int os_thread_start(os_thread *t, void *(*fn)(void *), void *arg) {
  return pthread_create(&t->handle, NULL, fn, arg);
}
static void os_thread_wait(os_thread *t) { pthread_join(t->handle, NULL); }
static void os_mutex_lock(os_mutex *m) { pthread_mutex_lock(m); }
static void os_mutex_unlock(os_mutex *m) { pthread_mutex_unlock(m); }

struct job {
  int id;
  int input;
  int result;
};

static os_mutex errors_lock = PTHREAD_MUTEX_INITIALIZER;
static int errors;
static int last_job;

static void *run_job(void *arg) {
  struct job *j = arg;
  j->result = j->input * 3;                     // NORACE
  if (j->result % 2) {
    os_mutex_lock(&errors_lock);
    errors++;                                   // NORACE
    os_mutex_unlock(&errors_lock);
  }
  os_mutex_lock(&errors_lock);
  last_job = j->id;                             // NORACE
  os_mutex_unlock(&errors_lock);
  return NULL;
}

int main(void) {
  enum { N = 4 };
  struct job *jobs = calloc(N, sizeof *jobs);
  os_thread threads[N];
  for (int i = 0; i < N; i++) {
    jobs[i].id = i;
    jobs[i].input = i + 1;
    os_thread_start(&threads[i], run_job, &jobs[i]);
  }
  for (int i = 0; i < N; i++)
    os_thread_wait(&threads[i]);
  int sum = 0;
  for (int i = 0; i < N; i++)
    sum += jobs[i].result;                      // NORACE
  printf("%d %d %d\n", sum, errors, last_job);  // NORACE
  free(jobs);
  return 0;
}
