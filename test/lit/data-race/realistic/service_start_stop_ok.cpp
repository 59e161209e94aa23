// A class that starts a background thread on `this` in start() and joins it in stop().
// The stop request and the tick counter are atomics, the name is set before start()
// and only read by the thread, and the thread's last status is read after stop()
// joined it. Race-free.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

class Heartbeat {
public:
  void set_name(std::string name) { name_ = std::move(name); } // NORACE
  void start() { worker_ = std::thread(&Heartbeat::loop, this); }
  void stop() {
    stop_requested_ = true;
    worker_.join();
  }
  long ticks() const { return ticks_.load(); }
  int last_status() const { return last_status_; } // NORACE

private:
  void loop() {
    while (!stop_requested_) {
      ticks_++;
      last_status_ = name_.empty() ? -1 : 0;   // NORACE
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }

  std::thread worker_;
  std::string name_;
  std::atomic<bool> stop_requested_{false};
  std::atomic<long> ticks_{0};
  int last_status_ = 0;
};

int main() {
  Heartbeat hb;
  hb.set_name("disk");
  hb.start();
  long seen = 0;
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    seen = hb.ticks();
  }
  hb.stop();
  std::printf("%ld %ld %d\n", seen, hb.ticks(), hb.last_status());
}
