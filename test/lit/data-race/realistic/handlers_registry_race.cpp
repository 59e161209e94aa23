// An event bus: subscribe() appends a handler under the bus mutex, and a dispatcher
// thread publishes events by iterating over the handlers. The dispatcher copies the
// list without taking the mutex "because subscribing is rare": a race on handlers_.
// The delivered count is only touched by the dispatcher.
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
    handlers_.push_back(std::move(h));           // RACE
  }
  void publish(int event) {
    std::vector<std::function<void(int)>> copy = handlers_; // RACE
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
