// RUN: %check_untangle %s untangle-data-race %t
// Written for this suite in the style of public C++ race benchmarks: a vector of
// std::thread workers, per-worker result slots, a shared maximum and a log.
// Ground truth by hand.
#include <algorithm>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct Summary {
  int best = 0;
  int runs = 0;
};

class Scanner {
public:
  void run(int workers) {
    std::vector<std::thread> pool;
    results_.assign(workers, 0);
    for (int i = 0; i < workers; ++i)
      pool.emplace_back([this, i] { work(i); });
    for (auto &t : pool)
      t.join();
    summary_.runs++;                   // no-race
  }
  const std::vector<int> &results() const { return results_; }

private:
  void work(int i) {
    int local = i * 7 % 5;
    results_[i] = local;               // no-race
    if (local > summary_.best)
      summary_.best = local;
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: data race on 'Summary::best': written here
    std::lock_guard<std::mutex> g(log_mutex_);
    log_.push_back("worker " + std::to_string(i)); // no-race
  }
  std::vector<int> results_;
  Summary summary_;
  std::mutex log_mutex_;
  std::vector<std::string> log_;
};

int main() {
  Scanner s;
  s.run(4);
  return s.results().empty();
}
