// A logger with a background flusher thread. Producers append records under the
// buffer mutex; the flusher swaps the buffer out under it. The verbosity level is a
// plain int that main changes while producers check it, and the dropped-record count
// is bumped outside the lock: races on level_ and dropped_.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

class Logger {
public:
  Logger() : flusher_([this] { flush_loop(); }) {}
  ~Logger() {
    {
      std::lock_guard<std::mutex> g(mu_);
      done_ = true;                            // NORACE
    }
    cv_.notify_one();
    flusher_.join();
  }
  void set_level(long level) { level_ = level; } // RACE
  void log(long level, const std::string &msg) {
    if (level < level_) {                      // RACE
      dropped_++;                              // RACE
      return;
    }
    std::lock_guard<std::mutex> g(mu_);
    pending_.push_back(msg);                   // NORACE
    cv_.notify_one();
  }
  long written() const { return written_; }
  long dropped() const { return dropped_; }

private:
  void flush_loop() {
    std::unique_lock<std::mutex> lk(mu_);
    for (;;) {
      cv_.wait(lk, [this] { return done_ || !pending_.empty(); });
      std::vector<std::string> batch;
      batch.swap(pending_);                    // NORACE
      lk.unlock();
      written_ += batch.size();
      lk.lock();
      if (done_ && pending_.empty())
        return;
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> pending_;
  bool done_ = false;
  long written_ = 0;
  long level_ = 1;
  long dropped_ = 0;
  std::thread flusher_;
};

int main() {
  Logger log;
  std::vector<std::thread> producers;
  for (int t = 0; t < 2; ++t)
    producers.emplace_back([&log, t] {
      for (int i = 0; i < 50; ++i)
        log.log(i % 3, "event " + std::to_string(t * 100 + i));
    });
  std::this_thread::sleep_for(std::chrono::microseconds(100));
  log.set_level(2);
  for (auto &p : producers)
    p.join();
  std::printf("%ld\n", log.dropped());         // NORACE
}
