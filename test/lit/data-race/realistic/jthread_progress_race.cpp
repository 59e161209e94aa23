// A download task on a std::jthread that reports progress through a struct the UI
// thread polls. The task writes the byte count and the current file name without a
// lock while the UI reads them: races on both. The task stops on its stop_token.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

struct Progress {
  long bytes = 0;
  std::string file;
};

class Download {
public:
  void start() {
    task_ = std::jthread([this](std::stop_token stop) {
      for (int i = 0; i < 40 && !stop.stop_requested(); ++i) {
        progress_.bytes += 512;                    // RACE
        progress_.file = "part-" + std::to_string(i / 10); // RACE
        std::this_thread::sleep_for(std::chrono::microseconds(20));
      }
    });
  }
  void cancel() {
    task_.request_stop();
    task_.join();
  }
  long bytes() const { return progress_.bytes; }   // RACE
  std::string file() const { return progress_.file; } // RACE

private:
  Progress progress_;
  std::jthread task_;
};

int main() {
  Download d;
  d.start();
  long shown = 0;
  std::string name;
  for (int i = 0; i < 10; ++i) {
    shown = d.bytes();
    name = d.file();
    std::this_thread::sleep_for(std::chrono::microseconds(30));
  }
  d.cancel();
  std::printf("%ld %zu %ld\n", shown, name.size(), d.bytes());
}
