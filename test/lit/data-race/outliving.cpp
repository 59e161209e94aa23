// RUN: %check_untangle %s untangle-data-race %t
// Threads that outlive the function starting them: a member that starts a worker on
// `this` and returns, a later member (or the destructor) joining it; a function that
// returns its thread or stores it in a global. What callers do in between runs in
// parallel with the worker.
#include <atomic>
#include <mutex>
#include <thread>

// --- 1. start() / stop() -----------------------------------------------------------
class Counter {
public:
  void start() { worker_ = std::thread(&Counter::run, this); }
  void stop() {
    if (worker_.joinable())
      worker_.join();
  }
  int ticks() const { return ticks_; }
  void reset() { ticks_ = 0; }
  int locked() {
    std::lock_guard<std::mutex> g(mu_);
    return guarded_; // no-race
  }

private:
  void run() {
    for (int i = 0; i < 100; ++i) {
      ticks_++;
      std::lock_guard<std::mutex> g(mu_);
      guarded_++; // no-race
    }
  }
  // CHECK-MESSAGES: :[[@LINE-5]]:7: warning: data race on 'c.ticks_'
  std::thread worker_;
  std::mutex mu_;
  int ticks_ = 0;
  int guarded_ = 0;
};
int between_start_and_stop() {
  Counter c;
  c.start();
  int seen = c.ticks() + c.locked();
  c.stop();
  c.reset();
  return seen;
}
class Counter2 {
public:
  void start() { worker_ = std::thread([this] { run(); }); }
  void stop() { worker_.join(); }
  int ticks() const { return ticks_; } // no-race
  void reset() { ticks_ = 0; }         // no-race

private:
  void run() { ticks_++; } // no-race
  std::thread worker_;
  int ticks_ = 0;
};
int after_stop() {
  Counter2 c;
  c.reset();
  c.start();
  c.stop();
  c.reset();
  return c.ticks();
}
// Two objects: each worker touches its own object only.
int two_objects() {
  Counter2 a, b;
  a.start();
  b.start();
  a.stop();
  a.reset(); // no-race
  b.stop();
  return a.ticks();
}

// --- 2. started in the constructor, joined in the destructor -------------------------
class Sampler {
public:
  Sampler() : thread_(&Sampler::loop, this) {}
  ~Sampler() {
    stop_ = true;
    thread_.join();
  }
  void set_rate(int r) { rate_ = r; }
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: data race on 's.rate_'
  int rate() const { return rate_; }

private:
  void loop() {
    while (!stop_)
      samples_ += rate_;
  }
  std::atomic<bool> stop_{false};
  int rate_ = 1;
  long samples_ = 0;
  std::thread thread_;
};
void raii_worker() {
  Sampler s;
  s.set_rate(5);
}
int raii_after() {
  int r = 0;
  {
    Sampler s;
    r = 1;
  }
  return r; // no-race
}

// --- 3. a function returning its thread -----------------------------------------------
int progress = 0;
std::thread start_worker() {
  return std::thread([] { progress = 1; });
}
// CHECK-MESSAGES: :[[@LINE-2]]:27: warning: data race on 'progress'
void caller() {
  std::thread t = start_worker();
  progress = 2;
  t.join();
}
int progress_b = 0;
std::thread start_worker_b() {
  return std::thread([] { progress_b = 1; }); // no-race
}
void caller_b() {
  std::thread t = start_worker_b();
  t.join();
  progress_b = 2; // no-race
}

// --- 4. a thread stored in a global, joined by another function -----------------------
std::thread background;
int jobs_done = 0;
void launch() {
  background = std::thread([] { jobs_done++; });
}
// CHECK-MESSAGES: :[[@LINE-2]]:33: warning: data race on 'jobs_done'
void shutdown() { background.join(); }
void run_background() {
  launch();
  jobs_done = 0;
  shutdown();
}
std::thread background_b;
int jobs_done_b = 0;
void launch_b() {
  background_b = std::thread([] { jobs_done_b++; }); // no-race
}
void shutdown_b() { background_b.join(); }
void run_background_b() {
  jobs_done_b = 0; // no-race
  launch_b();
  shutdown_b();
  jobs_done_b = 1; // no-race
}

// --- 5. a helper that starts the function it is given --------------------------------
int helper_count = 0;
void run_async(void (*fn)()) { std::thread(fn).detach(); }
void bump_helper_count() { helper_count++; }
// CHECK-MESSAGES: :[[@LINE-1]]:28: warning: data race on 'helper_count'
void through_helper() {
  run_async(bump_helper_count);
  helper_count = 5;
}
int helper_count_b = 0;
void run_and_wait(void (*fn)()) { std::thread(fn).join(); }
void bump_helper_count_b() { helper_count_b++; } // no-race
void through_waiting_helper() {
  run_and_wait(bump_helper_count_b);
  helper_count_b = 5; // no-race
}
