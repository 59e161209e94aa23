// RUN: %check_untangle %s untangle-data-race %t
// Written for this suite: a memoizing cache whose lookups lock but whose statistics
// and size query do not. Ground truth by hand.
#include <map>
#include <mutex>
#include <thread>

class Memo {
public:
  int get(int key) {
    std::lock_guard<std::mutex> g(mu_);
    auto it = table_.find(key);          // no-race
    if (it != table_.end())              // no-race
      return it->second;
    int value = key * key;
    table_[key] = value;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'memo.table_': written here
    return value;
  }
  int peek(int key) {
    lookups_++;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: data race on 'memo.lookups_': written here
    auto it = table_.find(key);
    return it == table_.end() ? -1 : it->second;
  }
  unsigned long size() const { return table_.size(); }

private:
  std::mutex mu_;
  std::map<int, int> table_;
  long lookups_ = 0;
};

Memo memo;
int main() {
  std::thread a([] { for (int i = 0; i < 100; ++i) memo.get(i % 10); });
  std::thread b([] { for (int i = 0; i < 100; ++i) memo.peek(i % 10); });
  std::thread c([] { for (int i = 0; i < 100; ++i) memo.peek(i % 7); });
  a.join();
  b.join();
  c.join();
  return static_cast<int>(memo.size()); // no-race
}
