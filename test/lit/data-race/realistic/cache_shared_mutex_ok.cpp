// A read-mostly cache behind a std::shared_mutex. Lookups take the lock shared and
// only read; a miss drops it and inserts under the exclusive lock (emplace keeps a
// value another thread inserted meanwhile). Hits are counted in an atomic. Race-free.
#include <atomic>
#include <cstdio>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

class ResolverCache {
public:
  std::string lookup(const std::string &host) {
    {
      std::shared_lock<std::shared_mutex> lk(mu_);
      auto it = entries_.find(host);         // NORACE
      if (it != entries_.end()) {
        hits_++;
        return it->second;
      }
    }
    std::string addr = "10.0.0." + std::to_string(host.size());
    std::unique_lock<std::shared_mutex> lk(mu_);
    return entries_.emplace(host, addr).first->second; // NORACE
  }
  void invalidate() {
    std::unique_lock<std::shared_mutex> lk(mu_);
    entries_.clear();                        // NORACE
  }
  long hits() const { return hits_.load(); }

private:
  std::shared_mutex mu_;
  std::unordered_map<std::string, std::string> entries_;
  std::atomic<long> hits_{0};
};

int main() {
  ResolverCache cache;
  std::vector<std::thread> clients;
  const char *hosts[] = {"a", "bb", "ccc", "dddd", "eeeee"};
  for (int t = 0; t < 3; ++t)
    clients.emplace_back([&cache, &hosts, t] {
      for (int i = 0; i < 50; ++i)
        cache.lookup(hosts[(i + t) % 5]);
    });
  long h = cache.hits();
  for (auto &c : clients)
    c.join();
  cache.invalidate();
  std::printf("%ld %ld\n", h, cache.hits());
}
