// A class that starts a background thread on `this` in start() and joins it in stop().
// The stop request is a plain bool, and callers read the tick counter between start()
// and stop() while the thread updates it: both race. The name is set before start()
// and only read by the thread.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

class Heartbeat {
public:
  void set_name(std::string name) { name_ = std::move(name); } // NORACE
  void start() { worker_ = std::thread(&Heartbeat::loop, this); }
  void stop() {
    stop_requested_ = true;                  // RACE
    worker_.join();
  }
  long ticks() const { return ticks_; }      // RACE

private:
  void loop() {
    while (!stop_requested_) {               // RACE
      ticks_++;                              // RACE
      if (name_.empty())                     // NORACE
        return;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }

  std::thread worker_;
  std::string name_;
  bool stop_requested_ = false;
  long ticks_ = 0;
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
  std::printf("%ld %ld\n", seen, hb.ticks());
}
