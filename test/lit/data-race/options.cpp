// RUN: %check_untangle %s untangle-data-race %t -- \
// RUN:   --config="{CheckOptions: {untangle-data-race.ParallelSpawnFunctions: '^my::(spawn|start|Pool::(run|submit))$', untangle-data-race.JoinFunctions: '^my::(wait|Pool::wait_all|Ticket::wait)$', untangle-data-race.AcquireFunctions: '^my::acquire$', untangle-data-race.ReleaseFunctions: '^my::release$'}}"
// Without the options the wrappers mean nothing: no finding at all.
// RUN: %check_untangle -check-suffix=DEFAULT %s untangle-data-race %t
// The project's own thread and lock wrappers, named by the options.
#include <tuple>

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
// A pool whose submit member hands back nothing: what waits for the pool waits for its jobs.
struct Ticket {
  void wait() {}
};
struct Pool {
  template <class F> void run(F f) {}
  template <class F> Ticket submit(F f) { return {}; }
  void wait_all() {}
};
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

// A job submitted with a member that returns no handle is waited for by a JoinFunctions
// call on the same pool object.
int g4 = 0, h4 = 0, k4 = 0, m4 = 0, n4 = 0, p4 = 0, q4 = 0;
void pool_jobs_then_wait() {
  my::Pool pool;
  for (int i = 0; i < 4; ++i)
    pool.run([i] { h4 += i; });
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: data race on 'h4'
  pool.wait_all();
  h4 = 0; // no-race
}
void pool_ticket_ignored() {
  my::Pool pool;
  std::ignore = pool.submit([] { q4 = 1; }); // no-race
  pool.wait_all();
  q4 = 2; // no-race
}
void pool_job_waited() {
  my::Pool pool;
  pool.run([] { m4 = 1; }); // no-race
  pool.wait_all();
  m4 = 2; // no-race
}
void pool_job_before_wait() {
  my::Pool pool;
  pool.run([] { g4 = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: data race on 'g4'
  g4 = 2;
  pool.wait_all();
}
void other_pool_waited() {
  my::Pool pool, other;
  pool.run([] { k4 = 3; });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: data race on 'k4'
  other.wait_all();
  k4 = 4;
  pool.wait_all();
}

// A handle waited for in the statement that starts the job: the job is over after it.
void ticket_waited_at_once() {
  my::Pool pool;
  pool.submit([] { n4 = 1; }).wait(); // no-race
  n4 = 2; // no-race
}
void ticket_kept() {
  my::Pool pool;
  my::Ticket t = pool.submit([] { p4 = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: data race on 'p4'
  p4 = 2;
  t.wait();
}
