// A watchdog thread checks that a worker keeps beating: the worker stores the time of
// its last heartbeat in a plain member and the watchdog reads it to decide whether
// the worker is stuck: a race on last_beat_. The number of alarms is written by the
// watchdog only and read after both threads are joined.
#include <chrono>
#include <cstdio>
#include <thread>

class Watchdog {
public:
  void run(int beats) {
    std::thread worker([this, beats] {
      for (int i = 0; i < beats; ++i) {
        last_beat_ = now_us();                     // RACE
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
    });
    std::thread watcher([this, beats] {
      for (int i = 0; i < beats; ++i) {
        if (now_us() - last_beat_ > 1000000)       // RACE
          alarms_++;                               // NORACE
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
    });
    worker.join();
    watcher.join();
  }
  long alarms() const { return alarms_; }          // NORACE

private:
  static long now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  long last_beat_ = now_us();
  long alarms_ = 0;
};

int main() {
  Watchdog w;
  w.run(30);
  std::printf("%ld\n", w.alarms());
}
