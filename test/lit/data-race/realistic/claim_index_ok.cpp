// Parallel-for over an array of work items: each worker claims the next index with an
// atomic fetch_add and writes the result of that item only, so every slot has a single
// writer; the results are read after the joins. Race-free.
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

struct Item {
  long input;
  long output;
};

static void process_all(std::vector<Item> &items, int workers) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w)
    pool.emplace_back([&items, &next] {
      for (;;) {
        size_t i = next.fetch_add(1);
        if (i >= items.size())
          return;
        items[i].output = items[i].input * items[i].input; // NORACE
      }
    });
  for (auto &t : pool)
    t.join();
}

int main() {
  std::vector<Item> items(100);
  for (size_t i = 0; i < items.size(); ++i)
    items[i].input = (long)i;
  process_all(items, 3);
  long sum = 0;
  for (const Item &it : items)
    sum += it.output;                          // NORACE
  std::printf("%ld\n", sum);
}
