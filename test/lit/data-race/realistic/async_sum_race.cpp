// Parallel reduction with std::async: each task sums one chunk of a vector and adds
// its partial sum straight into a shared total captured by reference, with no lock:
// a race on total. The futures are waited for before the total is printed.
#include <cstdio>
#include <future>
#include <numeric>
#include <vector>

int main() {
  std::vector<long> data(4000);
  std::iota(data.begin(), data.end(), 1);
  long total = 0;
  std::vector<std::future<void>> parts;
  const size_t chunk = data.size() / 4;
  for (size_t begin = 0; begin < data.size(); begin += chunk)
    parts.push_back(std::async(std::launch::async, [&data, &total, begin, chunk] {
      long partial = 0;
      for (size_t i = begin; i < begin + chunk; ++i)
        partial += data[i];                      // NORACE
      total += partial;                          // RACE
    }));
  for (auto &p : parts)
    p.get();
  std::printf("%ld\n", total);                   // NORACE
}
