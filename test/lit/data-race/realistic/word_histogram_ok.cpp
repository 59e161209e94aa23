// Word counting split across std::threads: each thread tokenizes its own slice of
// the text, counts words into a map of its own and merges it into the shared map
// under a mutex at the end. The total word count is an atomic. Race-free.
#include <atomic>
#include <cstdio>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

int main() {
  std::vector<std::string> slices = {
      "the cat sat on the mat", "the dog ate the cat food",
      "a bird on the wire", "the end of the line"};
  std::unordered_map<std::string, long> counts;
  std::mutex counts_mu;
  std::atomic<long> words{0};
  std::vector<std::thread> workers;
  for (const auto &slice : slices)
    workers.emplace_back([&counts, &counts_mu, &words, &slice] {
      std::unordered_map<std::string, long> mine;
      std::istringstream in(slice);
      std::string w;
      while (in >> w) {
        mine[w]++;                            // NORACE
        words++;
      }
      std::lock_guard<std::mutex> g(counts_mu);
      for (const auto &[word, n] : mine)
        counts[word] += n;                    // NORACE
    });
  for (auto &t : workers)
    t.join();
  std::printf("%ld %zu %ld\n", words.load(), counts.size(), counts["the"]); // NORACE
}
