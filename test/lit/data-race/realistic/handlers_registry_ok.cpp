// An event bus: subscribe() appends a handler under the bus mutex, and a dispatcher
// thread publishes events by copying the list under the mutex and calling the copies
// outside it. The delivered count is only touched by the dispatcher. Race-free.
#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

class EventBus {
public:
  EventBus() { handlers_.reserve(32); }
  void subscribe(std::function<void(int)> h) {
    std::lock_guard<std::mutex> g(mu_);
    handlers_.push_back(std::move(h));           // NORACE
  }
  void publish(int event) {
    std::vector<std::function<void(int)>> copy;
    {
      std::lock_guard<std::mutex> g(mu_);
      copy = handlers_;                          // NORACE
    }
    for (auto &h : copy)
      h(event);
    delivered_ += copy.size();                   // NORACE
  }
  long delivered() const { return delivered_; }

private:
  std::mutex mu_;
  std::vector<std::function<void(int)>> handlers_;
  long delivered_ = 0;
};

int main() {
  EventBus bus;
  bus.subscribe([](int) {});
  std::thread dispatcher([&bus] {
    for (int e = 0; e < 50; ++e) {
      bus.publish(e);
      std::this_thread::sleep_for(std::chrono::microseconds(20));
    }
  });
  for (int i = 0; i < 10; ++i) {
    bus.subscribe([](int) {});
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  dispatcher.join();
  std::printf("%ld\n", bus.delivered());         // NORACE
}
