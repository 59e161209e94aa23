// Accounts with a lock each; transfer() locks both accounts in address order. An
// auditor thread sums all balances to check that money is conserved, but reads the
// balances without taking the account locks: its reads race the transfers' writes.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define ACCOUNTS 4

struct account {
  pthread_mutex_t lock;
  long balance;
};

static struct account *accounts;

static void transfer(struct account *from, struct account *to, long amount) {
  struct account *first = from < to ? from : to;
  struct account *second = from < to ? to : from;
  pthread_mutex_lock(&first->lock);
  pthread_mutex_lock(&second->lock);
  from->balance -= amount;                      // RACE
  to->balance += amount;                        // RACE
  pthread_mutex_unlock(&second->lock);
  pthread_mutex_unlock(&first->lock);
}

static void *teller(void *arg) {
  long seed = (long)arg;
  for (int i = 0; i < 100; i++) {
    int a = (seed + i) % ACCOUNTS, b = (seed + 3 * i + 1) % ACCOUNTS;
    if (a != b)
      transfer(&accounts[a], &accounts[b], 1 + i % 5);
  }
  return NULL;
}

static void *auditor(void *arg) {
  long mismatches = 0;
  for (int round = 0; round < 20; round++) {
    long sum = 0;
    for (int i = 0; i < ACCOUNTS; i++)
      sum += accounts[i].balance;               // RACE
    mismatches += sum != 1000 * ACCOUNTS;
  }
  return (void *)mismatches;
}

int main(void) {
  accounts = calloc(ACCOUNTS, sizeof *accounts);
  for (int i = 0; i < ACCOUNTS; i++) {
    pthread_mutex_init(&accounts[i].lock, NULL);
    accounts[i].balance = 1000;
  }
  pthread_t tellers[2], audit;
  for (long i = 0; i < 2; i++)
    pthread_create(&tellers[i], NULL, teller, (void *)i);
  pthread_create(&audit, NULL, auditor, NULL);
  void *mismatches;
  for (int i = 0; i < 2; i++)
    pthread_join(tellers[i], NULL);
  pthread_join(audit, &mismatches);
  printf("%ld %ld\n", accounts[0].balance, (long)mismatches); // NORACE
  free(accounts);
  return 0;
}
