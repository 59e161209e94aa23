// RUN: %check_untangle %s untangle-data-race %t -- -- -std=gnu11
// A pointer that may hold more functions than MaxFunctionTargets is not followed:
// RUN: %check_untangle -check-suffix=BOUNDED %s untangle-data-race %t -- \
// RUN:   --config="{CheckOptions: {untangle-data-race.MaxFunctionTargets: 1}}" -- -std=gnu11
// Calls through function pointers kept in globals, struct fields, arrays and
// parameters are followed into every function the pointer may hold; the pointer
// itself is a memory location, so swapping it races with calling through it.
#include <pthread.h>
#include <stddef.h>

typedef void (*action_fn)(void);

// --- 1. a global function pointer, assigned elsewhere (two functions) ---------------
long count1;
void bump1(void) { count1++; }
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: data race on 'count1'
void idle1(void) {}
action_fn action1 = idle1;
void install1(void) { action1 = bump1; }
void *run1(void *arg) {
  action1();
  return NULL;
}
void global_pointer(void) {
  pthread_t t;
  install1();
  pthread_create(&t, NULL, run1, NULL);
  count1 = 0;
  pthread_join(t, NULL);
}
long count1b;
void bump1b(void) { count1b++; } // no-race
action_fn action1b = bump1b;
void *run1b(void *arg) {
  action1b();
  return NULL;
}
void global_pointer_twin(void) {
  pthread_t t;
  pthread_create(&t, NULL, run1b, NULL);
  pthread_join(t, NULL);
  count1b = 0; // no-race
}

// --- 2. a struct field set by a designated initializer, called through a pointer ----
struct ops2 {
  const char *name;
  action_fn on_tick;
};
long ticks2;
void tick2(void) { ticks2++; }
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: data race on 'ticks2'
// CHECK-MESSAGES-BOUNDED: :[[@LINE-2]]:20: warning: data race on 'ticks2'
struct ops2 clock_ops2 = {.name = "clock", .on_tick = tick2};
void *run2(void *arg) {
  struct ops2 *ops = arg;
  ops->on_tick();
  return NULL;
}
void field_pointer(void) {
  pthread_t t;
  pthread_create(&t, NULL, run2, &clock_ops2);
  ticks2 = 0;
  pthread_join(t, NULL);
}
struct ops2b {
  const char *name;
  action_fn on_tick;
};
long ticks2b;
pthread_mutex_t ticks2b_lock = PTHREAD_MUTEX_INITIALIZER;
void tick2b(void) { ticks2b++; } // no-race
struct ops2b clock_ops2b = {.name = "clock", .on_tick = tick2b};
void *run2b(void *arg) {
  struct ops2b *ops = arg;
  pthread_mutex_lock(&ticks2b_lock);
  ops->on_tick();
  pthread_mutex_unlock(&ticks2b_lock);
  return NULL;
}
void field_pointer_twin(void) {
  pthread_t t;
  pthread_create(&t, NULL, run2b, &clock_ops2b);
  pthread_mutex_lock(&ticks2b_lock);
  ticks2b = 0; // no-race
  pthread_mutex_unlock(&ticks2b_lock);
  pthread_join(t, NULL);
}

// --- 3. a table of functions indexed by an opcode, and a parameter -------------------
long adds3, subs3;
void add3(void) { adds3++; }
void sub3(void) { subs3++; }
// CHECK-MESSAGES: :[[@LINE-1]]:19: warning: data race on 'subs3'
action_fn table3[] = {add3, sub3};
void apply3(action_fn fn) { fn(); }
void *run3(void *arg) {
  table3[(long)arg]();
  return NULL;
}
void table_and_parameter(void) {
  pthread_t t;
  pthread_create(&t, NULL, run3, (void *)1);
  apply3(sub3);
  pthread_join(t, NULL);
}
long adds3b, subs3b;
void add3b(void) { adds3b++; } // no-race
void sub3b(void) { subs3b++; } // no-race
action_fn table3b[] = {add3b, sub3b};
void apply3b(action_fn fn) { fn(); }
void *run3b(void *arg) {
  table3b[(long)arg]();
  return NULL;
}
void table_and_parameter_twin(void) {
  pthread_t t;
  pthread_create(&t, NULL, run3b, (void *)1);
  pthread_join(t, NULL);
  apply3b(sub3b);
}

// --- 4. the pointer itself: swapped while another thread calls through it -----------
void quiet4(void) {}
void loud4(void) {}
action_fn handler4 = quiet4;
void *run4(void *arg) {
  handler4();
  return NULL;
}
void swap_pointer(void) {
  pthread_t t;
  pthread_create(&t, NULL, run4, NULL);
  handler4 = loud4;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'handler4'
  // CHECK-MESSAGES-BOUNDED: :[[@LINE-2]]:3: warning: data race on 'handler4'
  pthread_join(t, NULL);
}
void quiet4b(void) {}
void loud4b(void) {}
action_fn handler4b = quiet4b;
void *run4b(void *arg) {
  handler4b(); // no-race
  return NULL;
}
void swap_pointer_twin(void) {
  pthread_t t;
  handler4b = loud4b; // no-race
  pthread_create(&t, NULL, run4b, NULL);
  pthread_join(t, NULL);
}
