// Parallel-for over an array of work items: each worker claims the next index by
// incrementing a plain size_t shared by all workers, so the claim counter races. (Two
// workers may then claim the same item and both write it; that is too rare for
// ThreadSanitizer to confirm, so the item's write carries no label.)
#include <cstdio>
#include <thread>
#include <vector>

struct Item {
  long input;
  long output;
};

static void process_all(std::vector<Item> &items, int workers) {
  size_t next = 0;
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w)
    pool.emplace_back([&items, &next] {
      for (;;) {
        size_t i = next++;                     // RACE
        if (i >= items.size())
          return;
        items[i].output = items[i].input * items[i].input;
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
