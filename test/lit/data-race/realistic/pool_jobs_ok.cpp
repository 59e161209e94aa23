// A fixed pool of std::thread workers over a job queue guarded by a mutex and a
// condition variable. Finished jobs are counted under the queue lock, which submit()
// holds when it reads the count to throttle the producer. Race-free.
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

class WorkerPool {
public:
  explicit WorkerPool(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([this] { run(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> g(mu_);
      closing_ = true;                          // NORACE
    }
    cv_.notify_all();
    for (auto &w : workers_)
      w.join();
  }
  void submit(std::function<void()> job) {
    std::unique_lock<std::mutex> lk(mu_);
    room_.wait(lk, [this] { return submitted_ - finished_ <= 8; }); // NORACE
    submitted_++;
    jobs_.push(std::move(job));                 // NORACE
    lk.unlock();
    cv_.notify_one();
  }

private:
  void run() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, [this] { return closing_ || !jobs_.empty(); });
        if (jobs_.empty())
          return;
        job = std::move(jobs_.front());
        jobs_.pop();                            // NORACE
      }
      job();
      std::lock_guard<std::mutex> g(mu_);
      finished_++;                              // NORACE
      room_.notify_one();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable room_;
  std::queue<std::function<void()>> jobs_;
  bool closing_ = false;
  long submitted_ = 0;
  long finished_ = 0;
};

int main() {
  std::vector<long> results(64);
  {
    WorkerPool pool(3);
    for (int i = 0; i < 64; ++i)
      pool.submit([&results, i] { results[i] = (long)i * i; }); // NORACE
  }
  long sum = 0;
  for (long r : results)
    sum += r;
  std::printf("%ld\n", sum);
}
