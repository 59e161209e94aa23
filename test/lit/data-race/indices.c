// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// Non-constant indices: `a[i]` is some element of `a`. It races with a numbered
// element (`a[4]`) and with the whole array (`memset(a, ..)`), and with another `a[j]`
// only when both read one shared index variable (`buf[count]`): threads that each
// index by their own number (`results[id]`) own distinct slots.
#include <pthread.h>
#include <string.h>

pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

// --- 1. a picked element against a numbered one --------------------------------------
int data1[10];
void *bump1(void *arg) {
  data1[4]++; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'data1[4]': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}
void run1(int i) {
  pthread_t t;
  pthread_create(&t, NULL, bump1, NULL);
  data1[i]++; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here, no lock held
  pthread_join(t, NULL);
}

// --- 2. each worker its own slot, indexed by its own number ---------------------------
long results2[4];
void *work2(void *arg) {
  long id = (long)arg;
  for (int k = 0; k < 100; k++)
    results2[id] += k; // no-race
  return NULL;
}
long run2(void) {
  pthread_t t[4];
  for (long id = 0; id < 4; id++)
    pthread_create(&t[id], NULL, work2, (void *)id);
  for (int id = 0; id < 4; id++)
    pthread_join(t[id], NULL);
  return results2[0] + results2[3]; // no-race: after the joins
}

// --- 3. a ring buffer indexed by a shared counter ---------------------------------------
int ring3[16];
int head3;
void *produce3(void *arg) {
  ring3[head3] = 1; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'ring3[head3]': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: conflicting write here, no lock held
  head3 = (head3 + 1) % 16; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'head3': written here (no lock held) and read in parallel (no lock held) [untangle-data-race]
  // CHECK-MESSAGES: :[[@LINE-5]]:9: note: conflicting read here, no lock held
  return NULL;
}
void run3(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, produce3, NULL);
  pthread_create(&b, NULL, produce3, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

// The same under the lock.
int ring3b[16];
int head3b;
void *produce3b(void *arg) {
  pthread_mutex_lock(&lock);
  ring3b[head3b] = 1;         // no-race
  head3b = (head3b + 1) % 16; // no-race
  pthread_mutex_unlock(&lock);
  return NULL;
}
void run3b(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, produce3b, NULL);
  pthread_create(&b, NULL, produce3b, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

// --- 4. the whole array cleared while a thread writes one element ---------------------
int table4[8];
void *set4(void *arg) {
  long slot = (long)arg;
  table4[slot] = 7; // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'table4[...]': written here (no lock held) and written in parallel (no lock held) [untangle-data-race]
  return NULL;
}
void run4(void) {
  pthread_t t;
  pthread_create(&t, NULL, set4, (void *)3L);
  memset(table4, 0, sizeof table4); // race
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here, no lock held
  pthread_join(t, NULL);
}

// --- 5. one lock per slot, picked by the same number ------------------------------------
pthread_mutex_t slot_locks5[4];
int slots5[4];
void *touch5(void *arg) {
  long k = (long)arg;
  pthread_mutex_lock(&slot_locks5[k]);
  slots5[k]++; // no-race
  pthread_mutex_unlock(&slot_locks5[k]);
  return NULL;
}
void run5(void) {
  pthread_t t[4];
  for (long k = 0; k < 4; k++)
    pthread_create(&t[k], NULL, touch5, (void *)k);
  for (int k = 0; k < 4; k++)
    pthread_join(t[k], NULL);
}

int main(void) {
  run1(4);
  run2();
  run3();
  run3b();
  run4();
  run5();
  return 0;
}
