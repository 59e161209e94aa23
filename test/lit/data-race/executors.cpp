// RUN: %check_untangle %s untangle-data-race %t -- -- -I %S/Inputs
// Thread pools run posted jobs in parallel; one event loop runs its callbacks one at a
// time (concurrency, not parallelism); two loops on two threads run in parallel.
#include "executors.h"
#include <thread>

// --- 1. jobs posted to a thread pool in a loop, or to an event loop -----------------
void pool_in_loop(untangle::ThreadPool &pool) {
  int done = 0;
  for (int i = 0; i < 8; ++i)
    pool.post([&done] { done++; });
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: data race on 'done'
}
void loop_in_loop(untangle::EventLoop &loop) {
  int done = 0;
  for (int i = 0; i < 8; ++i)
    loop.post([&done] { done++; }); // no-race
  loop.run();
}

// --- 2. two jobs on a pool, or two callbacks on one loop --------------------------------
int g2 = 0, h2 = 0;
void two_jobs(untangle::ThreadPool &pool) {
  pool.post([] { g2 = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: data race on 'g2'
  pool.post([] { g2 = 2; });
}
void two_callbacks_one_loop(untangle::EventLoop &loop) {
  loop.post([] { h2 = 1; }); // no-race
  loop.post([] { h2 = 2; }); // no-race
  loop.run();
}

// --- 3. two loops, each run by its own thread, or one loop --------------------------------
int g3 = 0, h3 = 0;
void two_loops() {
  untangle::EventLoop ui, io;
  ui.post([] { g3++; });
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: data race on 'g3'
  io.post([] { g3++; });
  std::thread a([&] { ui.run(); });
  std::thread b([&] { io.run(); });
  a.join();
  b.join();
}
void one_loop() {
  untangle::EventLoop ui;
  ui.post([] { h3++; }); // no-race
  ui.post([] { h3++; }); // no-race
  std::thread a([&] { ui.run(); });
  a.join();
}

// --- 4. Asio: post to a thread_pool, or to an io_context -----------------------------------
int g4 = 0, h4 = 0;
void asio_pool() {
  asio::thread_pool pool(4);
  asio::post(pool, [] { g4++; });
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: data race on 'g4'
  asio::post(pool, [] { g4++; });
  pool.join();
}
void asio_io_context() {
  asio::io_context io;
  asio::post(io, [] { h4++; }); // no-race
  asio::post(io, [] { h4++; }); // no-race
  io.run();
}

// --- 5. code after `co_await pool.schedule()` runs on the pool ----------------------------
int g5 = 0, h5 = 0;
untangle::Task hop_a(untangle::ThreadPool &pool) {
  co_await pool.schedule();
  g5++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: data race on 'g5'
}
untangle::Task hop_b(untangle::ThreadPool &pool) {
  co_await pool.schedule();
  g5++;
}
untangle::Task stay_a(untangle::EventLoop &loop) {
  co_await loop.schedule();
  h5++; // no-race
}
untangle::Task stay_b(untangle::EventLoop &loop) {
  co_await loop.schedule();
  h5++; // no-race
}

// --- 6. a WaitGroup wait, or the pool's destructor, ends the jobs -----------------------
int g6 = 0, h6 = 0;
untangle::Task wait_group(untangle::ThreadPool &pool) {
  untangle::WaitGroup wg;
  wg.add(1);
  pool.post([&] { g6 = 1; wg.done(); }); // no-race
  co_await wg.wait();
  g6 = 2; // no-race
}
untangle::Task before_wait(untangle::ThreadPool &pool) {
  untangle::WaitGroup wg;
  wg.add(1);
  pool.post([&] { h6 = 1; wg.done(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: data race on 'h6'
  h6 = 2;
  co_await wg.wait();
}
int g6b = 0;
void pool_destroyed() {
  {
    untangle::ThreadPool pool;
    pool.post([] { g6b = 1; }); // no-race
  }
  g6b = 2; // no-race
}

// --- 7. a pool job and a loop callback run in parallel; a thread joined before does not --
int g7 = 0, h7 = 0;
void job_and_callback(untangle::ThreadPool &pool, untangle::EventLoop &loop) {
  pool.post([] { g7 = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: data race on 'g7'
  loop.post([] { g7 = 2; });
}
void thread_then_callback(untangle::EventLoop &loop) {
  std::thread t([] { h7 = 1; }); // no-race
  t.join();
  loop.post([] { h7 = 2; }); // no-race
  loop.run();
}
