// A download task on a std::jthread that reports progress through a struct the UI
// thread polls. The task writes the byte count and the current file name under the
// progress mutex, and the UI reads them under it. The task stops on its stop_token.
// Race-free.
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

struct Progress {
  mutable std::mutex mu;
  long bytes = 0;
  std::string file;
};

class Download {
public:
  void start() {
    task_ = std::jthread([this](std::stop_token stop) {
      for (int i = 0; i < 40 && !stop.stop_requested(); ++i) {
        std::string file = "part-" + std::to_string(i / 10);
        {
          std::lock_guard<std::mutex> g(progress_.mu);
          progress_.bytes += 512;                  // NORACE
          progress_.file = file;                   // NORACE
        }
        std::this_thread::sleep_for(std::chrono::microseconds(20));
      }
    });
  }
  void cancel() {
    task_.request_stop();
    task_.join();
  }
  long bytes() const {
    std::lock_guard<std::mutex> g(progress_.mu);
    return progress_.bytes;                        // NORACE
  }
  std::string file() const {
    std::lock_guard<std::mutex> g(progress_.mu);
    return progress_.file;                         // NORACE
  }

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
