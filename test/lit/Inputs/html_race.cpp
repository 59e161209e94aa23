// A data race: the thread writes 'balance' with no lock, the caller holding 'mu'.
#include <mutex>
#include <thread>

std::mutex mu;
int balance = 0;
void bump() { balance += 10 & 0xff; }
void deposit_twice() {
  std::thread t([] { bump(); });
  std::lock_guard<std::mutex> g(mu);
  balance -= 5;
  t.join();
}
