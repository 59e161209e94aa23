// A thread-per-connection server (connections simulated by in-memory requests). Each
// handler parses its own request, then updates the server-wide statistics: the
// connection count under the stats mutex, the byte total and the longest path
// without it: races on bytes_in and longest_path.
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct Stats {
  std::mutex mu;
  long connections = 0;
  long bytes_in = 0;
  std::string longest_path;
};

struct Request {
  std::string method, path;
};

static Request parse(const std::string &raw) {
  Request r;
  auto sp = raw.find(' ');
  r.method = raw.substr(0, sp);
  r.path = raw.substr(sp + 1);
  return r;
}

class Server {
public:
  void serve(const std::vector<std::string> &incoming) {
    std::vector<std::thread> handlers;
    for (const auto &raw : incoming)
      handlers.emplace_back(&Server::handle, this, raw);
    for (auto &h : handlers)
      h.join();
  }
  const Stats &stats() const { return stats_; }

private:
  void handle(std::string raw) {
    Request req = parse(raw);
    {
      std::lock_guard<std::mutex> g(stats_.mu);
      stats_.connections++;                       // NORACE
    }
    stats_.bytes_in += raw.size();                // RACE
    if (req.path.size() > stats_.longest_path.size()) // RACE
      stats_.longest_path = req.path;             // RACE
  }
  Stats stats_;
};

int main() {
  Server s;
  s.serve({"GET /", "GET /index.html", "POST /api/v1/items", "GET /favicon.ico"});
  std::printf("%ld %ld %s\n", s.stats().connections, s.stats().bytes_in,
              s.stats().longest_path.c_str());
}
