// Double-checked locking on a plain bool: a checksum table is built on first use
// under a mutex, but the first check of the "ready" flag is made without it. A thread
// that sees the flag set reads table entries another thread wrote with no
// synchronization, and the flag's unlocked read races its locked store.
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

class Checksum {
public:
  static long of(const std::string &s) {
    if (!ready_) {                             // RACE
      std::lock_guard<std::mutex> g(mu_);
      if (!ready_) {
        for (int i = 0; i < 256; ++i)
          table_[i] = (long)i * 2654435761L % 1021; // RACE
        ready_ = true;                         // RACE
      }
    }
    long sum = 0;
    for (unsigned char c : s)
      sum = sum * 31 + table_[c];              // RACE
    return sum;
  }

private:
  static std::mutex mu_;
  static long table_[256];
  static bool ready_;
};

std::mutex Checksum::mu_;
long Checksum::table_[256];
bool Checksum::ready_ = false;

int main() {
  std::vector<std::thread> users;
  std::vector<long> sums(4);
  for (int i = 0; i < 4; ++i)
    users.emplace_back([&sums, i] { sums[i] = Checksum::of("block-" + std::to_string(i)); }); // NORACE
  for (auto &u : users)
    u.join();
  std::printf("%ld %ld\n", sums[0], sums[3]);
}
