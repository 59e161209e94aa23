// untangle/detail/spin_lock.hpp — a lock for critical sections of a few pointer moves.
//
// A spin lock costs one atomic exchange where a mutex costs two, and under contention it
// never sleeps in the kernel for a section shorter than the futex call itself: on two
// cores, four threads posting to one loop spent most of their time in pthread_mutex's
// futex paths. A holder that was preempted is waited for with yield(), not by burning the
// core it needs. Used for channels and for the loop's cross-thread queue.
#pragma once

#include <atomic>
#include <thread>

namespace untangle::detail {

inline void cpu_pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

class SpinLock {
public:
  void lock() noexcept {
    for (int spins = 0; locked_.exchange(true, std::memory_order_acquire);) {
      while (locked_.load(std::memory_order_relaxed)) {
        if (++spins < 64)
          cpu_pause();
        else
          std::this_thread::yield();
      }
    }
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

private:
  std::atomic<bool> locked_{false};
};

}  // namespace untangle::detail
