// A database connection pool: acquire() waits on a condition variable until a
// connection is idle and takes it from the idle list; release() puts it back. Both
// hold the pool mutex, but the in-use gauge exported for metrics is updated after the
// lock is dropped: a race on in_use_.
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

struct Connection {
  int id;
  long queries = 0;
};

class Pool {
public:
  explicit Pool(int n) : conns_(n) {
    for (int i = 0; i < n; ++i) {
      conns_[i].id = i;
      idle_.push_back(&conns_[i]);
    }
  }
  Connection *acquire() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return !idle_.empty(); });
    Connection *c = idle_.back();
    idle_.pop_back();                            // NORACE
    lk.unlock();
    in_use_++;                                   // RACE
    return c;
  }
  void release(Connection *c) {
    {
      std::lock_guard<std::mutex> g(mu_);
      idle_.push_back(c);                        // NORACE
    }
    in_use_--;                                   // RACE
    cv_.notify_one();
  }
  long total_queries() const {
    long n = 0;
    for (const auto &c : conns_)
      n += c.queries;
    return n;
  }

private:
  std::vector<Connection> conns_;
  std::vector<Connection *> idle_;
  std::mutex mu_;
  std::condition_variable cv_;
  long in_use_ = 0;
};

int main() {
  Pool pool(2);
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t)
    clients.emplace_back([&pool] {
      for (int i = 0; i < 20; ++i) {
        Connection *c = pool.acquire();
        c->queries++;                            // NORACE
        pool.release(c);
      }
    });
  for (auto &c : clients)
    c.join();
  std::printf("%ld\n", pool.total_queries());
}
