// A periodic scheduler: a background thread wakes up on a condition variable with a
// timeout and runs every registered task. add() registers a task under the
// scheduler's mutex, which the thread holds while it iterates over the task list. The
// run counter is only touched by the scheduler thread. Race-free.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

class Scheduler {
public:
  Scheduler() { tasks_.reserve(64); }
  void start() { thread_ = std::thread([this] { loop(); }); }
  void stop() {
    {
      std::lock_guard<std::mutex> g(mu_);
      stopping_ = true;                          // NORACE
    }
    cv_.notify_all();
    thread_.join();
  }
  void add(std::function<void()> task) {
    std::lock_guard<std::mutex> g(mu_);
    tasks_.push_back(std::move(task));           // NORACE
  }
  long rounds() const { return rounds_; }

private:
  void loop() {
    std::unique_lock<std::mutex> lk(mu_);
    while (!stopping_) {
      for (auto &task : tasks_)                  // NORACE
        task();
      rounds_++;                                 // NORACE
      cv_.wait_for(lk, std::chrono::microseconds(100));
    }
  }

  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::function<void()>> tasks_;
  bool stopping_ = false;
  long rounds_ = 0;
};

int main() {
  Scheduler s;
  long flushes = 0;
  s.add([&flushes] { flushes++; });
  s.start();
  for (int i = 0; i < 20; ++i) {
    s.add([] {});
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  s.stop();
  std::printf("%ld %ld\n", s.rounds(), flushes); // NORACE
}
