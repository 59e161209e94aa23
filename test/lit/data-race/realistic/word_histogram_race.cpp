// Word counting split across std::threads: each thread tokenizes its own slice of
// the text and counts words into one shared std::unordered_map with counts[w]++, an
// insert-or-update, without a lock: a race on the map. The total word count is an
// atomic.
#include <atomic>
#include <cstdio>
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
  // Room for every word: the racing inserts never rehash, and a rehash racing another
  // insert could leave the buckets in a loop that hangs the run.
  counts.reserve(64);
  std::atomic<long> words{0};
  std::vector<std::thread> workers;
  for (const auto &slice : slices)
    workers.emplace_back([&counts, &words, &slice] {
      std::istringstream in(slice);
      std::string w;
      while (in >> w) {
        counts[w]++;                          // RACE
        words++;
      }
    });
  for (auto &t : workers)
    t.join();
  std::printf("%ld %zu %ld\n", words.load(), counts.size(), counts["the"]); // NORACE
}
