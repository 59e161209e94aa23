// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// RUN: %check_untangle -check-suffix=OFF %s untangle-data-race %t -- -config="{CheckOptions: {untangle-data-race.GuessWrappers: 'false'}}" -- -std=gnu11
// RUN: %check_untangle -check-suffix=OFF %s untangle-data-race %t -- -config="{CheckOptions: {untangle-data-race.GuessWrappers: 'off'}}" -- -std=gnu11
// Thread and lock wrappers defined in another file, as a portability layer has them:
// seen from here they are declarations, taken for what their names and types say
// (race/UnseenWrappers.cpp). With GuessWrappers off nothing starts a thread here.
// For ThreadSanitizer they were defined over pthreads in a second file; in 20 runs it
// reported the lines marked race, and nothing else.
#include <stddef.h>

typedef struct os_thread *os_thread;
typedef struct os_mutex *os_mutex;
typedef void (*os_routine)(void *);
int os_thread_create(os_routine routine, void *arg, os_thread *thread);
int os_thread_join(os_thread thread);
int os_mutex_create(os_mutex *mutex);
void os_mutex_lock(os_mutex mutex);
void os_mutex_unlock(os_mutex mutex);
void os_mutex_destroy(os_mutex mutex);
// A callback kept for later, and a thread-local key's destructor: no thread starts.
int register_thread_callback(os_routine callback, void *arg);
int create_thread_key(os_routine destructor, int *key);

// --- 1. two threads without the lock, and with it --------------------------------------
long hits;
void count(void *arg) {
  hits++; // race
}
// CHECK-MESSAGES: :[[@LINE-2]]:3: warning: data race on 'hits': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]

os_mutex guard;
long guarded_hits;
void count_locked(void *arg) {
  os_mutex_lock(guard);
  guarded_hits++; // no-race
  os_mutex_unlock(guard);
}

void run(void) {
  os_thread a, b;
  if (!os_thread_create(count, NULL, &a))
    return;
  if (!os_thread_create(count, NULL, &b))
    return;
  os_thread_join(a);
  os_thread_join(b);
  if (!os_mutex_create(&guard))
    return;
  if (!os_thread_create(count_locked, NULL, &a))
    return;
  if (!os_thread_create(count_locked, NULL, &b))
    return;
  os_thread_join(a);
  os_thread_join(b);
  hits = 0;         // no-race: both joined
  guarded_hits = 0; // no-race
  os_mutex_destroy(guard);
}

// --- 2. routines handed to what starts no thread -------------------------------------
long calls;
void note_call(void *arg) {
  calls++; // no-race: a callback kept for later, a key's destructor
}
void setup(void) {
  int key;
  register_thread_callback(note_call, NULL);
  create_thread_key(note_call, &key);
  calls = 0; // no-race
}

int main(void) {
  setup();
  run();
  return 0;
}
