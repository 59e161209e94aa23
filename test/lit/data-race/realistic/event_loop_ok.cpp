// A hand-written event loop thread: post() queues a task under the loop's mutex and
// wakes the loop, which runs the tasks outside the lock and counts them under it;
// idle() compares the counts under the lock. The tasks themselves only touch state
// owned by the loop thread. Race-free.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

class EventLoop {
public:
  EventLoop() : thread_([this] { run(); }) {}
  ~EventLoop() {
    post(nullptr);
    thread_.join();
  }
  void post(std::function<void()> task) {
    std::lock_guard<std::mutex> g(mu_);
    queue_.push_back(std::move(task));           // NORACE
    posted_++;                                   // NORACE
    cv_.notify_one();
  }
  bool idle() {
    std::lock_guard<std::mutex> g(mu_);
    return executed_ == posted_;                 // NORACE
  }

private:
  void run() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, [this] { return !queue_.empty(); });
        task = std::move(queue_.front());
        queue_.pop_front();                      // NORACE
      }
      if (!task)
        return;
      task();
      std::lock_guard<std::mutex> g(mu_);
      executed_++;                               // NORACE
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  long posted_ = 0;
  long executed_ = 0;
  std::thread thread_;
};

int main() {
  long loop_owned = 0;
  int idle_seen = 0;
  {
    EventLoop loop;
    for (int i = 0; i < 30; ++i) {
      loop.post([&loop_owned, i] { loop_owned += i; }); // NORACE
      std::this_thread::sleep_for(std::chrono::microseconds(20));
      idle_seen += loop.idle();
    }
  }
  std::printf("%ld %d\n", loop_owned, idle_seen);       // NORACE
}
