// A counter two threads increment without a lock, for the language server test
// (tool/lsp.test): its fix-it makes the counter std::atomic.
#include <thread>

int hits = 0;

void count() {
  std::thread worker([] { hits++; });
  hits++;
  worker.join();
}
