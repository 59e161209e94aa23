// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// Pipes and sockets pass messages: what a thread does before it writes to a descriptor
// happens before what the reading thread does after its read returns.
#include <pthread.h>
#include <stddef.h>
#include <sys/socket.h>
#include <unistd.h>

// --- 1. a pipe: written at one end, read at the other ------------------------------------
int pipe1[2];
long result1;
void *producer1(void *arg) {
  result1 = 42; // no-race
  write(pipe1[1], "x", 1);
  return NULL;
}
void *consumer1(void *arg) {
  char c;
  while (read(pipe1[0], &c, 1) != 1) {
  }
  result1++; // no-race
  return NULL;
}
void run_pipe(void) {
  pthread_t a, b;
  pipe(pipe1);
  pthread_create(&a, NULL, producer1, NULL);
  pthread_create(&b, NULL, consumer1, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

// --- 2. what comes after the write, or before the read, is not ordered ------------------
int pipe2[2];
long after2, before2;
void *producer2(void *arg) {
  write(pipe2[1], "x", 1);
  after2 = 1;
  before2 = 1;
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: data race on 'after2'
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: data race on 'before2'
void *consumer2(void *arg) {
  char c;
  long seen = before2;
  read(pipe2[0], &c, 1);
  return (void *)(seen + after2);
}
void run_pipe_unordered(void) {
  pthread_t a, b;
  pipe(pipe2);
  pthread_create(&a, NULL, producer2, NULL);
  pthread_create(&b, NULL, consumer2, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

// --- 3. a socket each side opened: connect is the release, accept the acquire ----------
long config3;
const struct sockaddr *address3;
socklen_t length3;
void *client3(void *arg) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  config3 = 7; // no-race
  connect(fd, address3, length3);
  close(fd);
  return NULL;
}
void serve_one(int listener) {
  pthread_t t;
  pthread_create(&t, NULL, client3, NULL);
  int fd = accept(listener, NULL, NULL);
  config3++; // no-race
  close(fd);
  pthread_join(t, NULL);
}

// --- 4. writing to stdout passes no message to a thread -----------------------------------
long status4;
void *reporter4(void *arg) {
  status4 = 1;
  write(1, "done\n", 5);
  return NULL;
}
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: data race on 'status4'
void watch4(int fd) {
  pthread_t t;
  char c;
  pthread_create(&t, NULL, reporter4, NULL);
  read(0, &c, 1);
  status4 = 2;
  pthread_join(t, NULL);
}
