// RUN: %check_untangle %s untangle-data-race %t
// RUN: %check_untangle --frontend=plugin %s untangle-data-race %t
// The notes: the other access, the locks held at each, and the spawn sites.
#include <mutex>
#include <thread>

std::mutex mu;
int balance = 0;
void bump() { balance += 10; }
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: data race on 'balance': written here (no lock held) and written in parallel (holding 'mu') [untangle-data-race]
void deposit_twice() {
  std::thread t([] { bump(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:22: note: reached through this call
  std::lock_guard<std::mutex> g(mu);
  balance -= 5;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here, holding 'mu'
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: thread started here
  t.join();
}

int requests = 0;
void serve_all() {
  for (int i = 0; i < 3; ++i) {
    std::thread([] { requests++; }).detach();
    // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: data race on 'requests': written here (no lock held) and written in parallel (no lock held)
    // CHECK-MESSAGES: :[[@LINE-2]]:22: note: conflicting write here, no lock held
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: thread started here, again while the earlier one may still run
  }
}

// Every racy access of a location is named, not only its first pair: the workers' write
// races with itself first, and the monitor's read and reset come in notes of their own.
long served = 0;
void monitor_and_serve(bool &stop) {
  for (int i = 0; i < 2; ++i)
    std::thread([] { served += 1; }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: data race on 'served': written here (no lock held) and written in parallel (no lock held)
  // CHECK-MESSAGES: :[[@LINE-2]]:22: note: conflicting write here, no lock held
  long seen = served;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: note: conflicting read here too, no lock held
  served = 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: conflicting write here too, no lock held
  // CHECK-MESSAGES: :[[@LINE-7]]:5: note: thread started here, again while the earlier one may still run
  stop = seen > 0;
}
