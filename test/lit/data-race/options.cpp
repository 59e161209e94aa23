// RUN: %check_untangle %s untangle-data-race %t -- \
// RUN:   --config="{CheckOptions: {untangle-data-race.ParallelSpawnFunctions: '^my::(spawn|start)$', untangle-data-race.JoinFunctions: '^my::wait$', untangle-data-race.AcquireFunctions: '^my::acquire$', untangle-data-race.ReleaseFunctions: '^my::release$'}}"
// Without the options the wrappers mean nothing: no finding at all.
// RUN: %check_untangle -check-suffix=DEFAULT %s untangle-data-race %t
// The project's own thread and lock wrappers, named by the options.

namespace my {
struct Handle {
  int id;
};
template <class F> Handle spawn(F f) { return Handle{0}; }
// Hands the handle back through its last parameter (the Juliet suite's shape).
bool start(void (*f)(void *), void *arg, Handle *out) { return true; }
void wait(Handle &h) {}
struct Lock {
  int state;
};
void acquire(Lock *l) {}
void release(Lock *l) {}
} // namespace my

int g1 = 0, h1 = 0;
void custom_spawn_and_join() {
  my::Handle h = my::spawn([] { g1++; });
  g1 = 1;
  // CHECK-MESSAGES: :[[@LINE-2]]:33: warning: data race on 'g1'
  my::wait(h);
}
void custom_join_first() {
  my::Handle h = my::spawn([] { h1++; }); // no-race
  my::wait(h);
  h1 = 1; // no-race
}

my::Lock lock2;
int g2 = 0, h2 = 0;
void custom_lock() {
  my::Handle h = my::spawn([] { my::acquire(&lock2); g2++; my::release(&lock2); }); // no-race
  my::acquire(&lock2);
  g2 = 1; // no-race
  my::release(&lock2);
  my::wait(h);
}
void custom_lock_released_early() {
  my::Handle h = my::spawn([] { my::acquire(&lock2); h2++; my::release(&lock2); });
  my::acquire(&lock2);
  my::release(&lock2);
  h2 = 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'h2'
  my::wait(h);
}

// The handle comes back through `&h`, an argument the start routine does not take.
int g3 = 0, h3 = 0;
void count3(void *) { g3++; }
// CHECK-MESSAGES: :[[@LINE-1]]:23: warning: data race on 'g3'
void count3b(void *) { h3++; } // no-race
void out_parameter_handle() {
  my::Handle h;
  if (!my::start(count3, nullptr, &h))
    return;
  g3 = 1;
  my::wait(h);
}
void out_parameter_handle_joined() {
  my::Handle h;
  if (!my::start(count3b, nullptr, &h))
    return;
  my::wait(h);
  h3 = 1; // no-race
}
