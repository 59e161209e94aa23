// Double-checked locking done right: a checksum table is built on first use under a
// mutex, and the "ready" flag is a std::atomic<bool> stored with release after the
// table is filled and loaded with acquire before it is read. Race-free.
#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

class Checksum {
public:
  static long of(const std::string &s) {
    if (!ready_.load(std::memory_order_acquire)) {
      std::lock_guard<std::mutex> g(mu_);
      if (!ready_.load(std::memory_order_relaxed)) {
        for (int i = 0; i < 256; ++i)
          table_[i] = (long)i * 2654435761L % 1021; // NORACE
        ready_.store(true, std::memory_order_release);
      }
    }
    long sum = 0;
    for (unsigned char c : s)
      sum = sum * 31 + table_[c];              // NORACE
    return sum;
  }

private:
  static std::mutex mu_;
  static long table_[256];
  static std::atomic<bool> ready_;
};

std::mutex Checksum::mu_;
long Checksum::table_[256];
std::atomic<bool> Checksum::ready_{false};

int main() {
  std::vector<std::thread> users;
  std::vector<long> sums(4);
  for (int i = 0; i < 4; ++i)
    users.emplace_back([&sums, i] { sums[i] = Checksum::of("block-" + std::to_string(i)); }); // NORACE
  for (auto &u : users)
    u.join();
  std::printf("%ld %ld\n", sums[0], sums[3]);
}
