// A routing table behind a pthread rwlock: lookups take it for reading, the updater
// rewrites a route's next hop under the write lock, as does adding a route.
// Race-free.
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define ROUTES 16

struct route {
  long prefix;
  long next_hop;
};

static struct route table[ROUTES];
static int nroutes;
static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;

static long lookup(long addr) {
  long hop = -1;
  pthread_rwlock_rdlock(&table_lock);
  for (int i = 0; i < nroutes; i++)             // NORACE
    if (table[i].prefix == addr % 4)
      hop = table[i].next_hop;                  // NORACE
  pthread_rwlock_unlock(&table_lock);
  return hop;
}

static void add_route(long prefix, long hop) {
  pthread_rwlock_wrlock(&table_lock);
  table[nroutes].prefix = prefix;
  table[nroutes].next_hop = hop;
  nroutes++;                                    // NORACE
  pthread_rwlock_unlock(&table_lock);
}

static void *updater(void *arg) {
  for (int round = 0; round < 20; round++) {
    pthread_rwlock_wrlock(&table_lock);
    table[round % 4].next_hop = 100 + round;    // NORACE
    pthread_rwlock_unlock(&table_lock);
    usleep(10);
  }
  return NULL;
}

static void *forwarder(void *arg) {
  long sum = 0;
  for (long addr = 0; addr < 200; addr++)
    sum += lookup(addr);
  return (void *)sum;
}

int main(void) {
  for (long p = 0; p < 4; p++)
    add_route(p, p + 1);
  pthread_t u, f[2];
  pthread_create(&u, NULL, updater, NULL);
  for (int i = 0; i < 2; i++)
    pthread_create(&f[i], NULL, forwarder, NULL);
  pthread_join(u, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(f[i], NULL);
  printf("%ld\n", lookup(3));
  return 0;
}
