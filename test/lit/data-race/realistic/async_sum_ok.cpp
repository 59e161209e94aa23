// Parallel reduction with std::async: each task sums one chunk of a vector and returns
// its partial sum through its future; main adds them up after get(). Race-free.
#include <cstdio>
#include <future>
#include <numeric>
#include <vector>

int main() {
  std::vector<long> data(4000);
  std::iota(data.begin(), data.end(), 1);
  long total = 0;
  std::vector<std::future<long>> parts;
  const size_t chunk = data.size() / 4;
  for (size_t begin = 0; begin < data.size(); begin += chunk)
    parts.push_back(std::async(std::launch::async, [&data, begin, chunk] {
      long partial = 0;
      for (size_t i = begin; i < begin + chunk; ++i)
        partial += data[i];                      // NORACE
      return partial;
    }));
  for (auto &p : parts)
    total += p.get();                            // NORACE
  std::printf("%ld\n", total);
}
