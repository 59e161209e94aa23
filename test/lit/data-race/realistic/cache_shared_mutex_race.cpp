// A read-mostly cache behind a std::shared_mutex. Lookups take the lock shared; on a
// miss the value is computed and inserted while still holding only the shared lock,
// and hits are counted under it too: both writes race with other readers.
// Invalidation takes the lock exclusively.
#include <cstdio>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

class ResolverCache {
public:
  // Room for every insert the clients can make: the racing inserts never rehash, and a
  // rehash racing a lookup could leave the buckets in a loop that hangs the run.
  ResolverCache() { entries_.reserve(256); }

  std::string lookup(const std::string &host) {
    std::shared_lock<std::shared_mutex> lk(mu_);
    auto it = entries_.find(host);           // RACE
    if (it != entries_.end()) {
      hits_++;                               // RACE
      return it->second;                     // RACE
    }
    std::string addr = "10.0.0." + std::to_string(host.size());
    entries_.emplace(host, addr);            // RACE
    return addr;
  }
  void invalidate() {
    std::unique_lock<std::shared_mutex> lk(mu_);
    entries_.clear();                        // NORACE
  }
  long hits() {
    std::shared_lock<std::shared_mutex> lk(mu_);
    return hits_;                            // RACE
  }

private:
  std::shared_mutex mu_;
  std::unordered_map<std::string, std::string> entries_;
  long hits_ = 0;
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
