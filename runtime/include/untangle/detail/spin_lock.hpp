// untangle/detail/spin_lock.hpp — a lock for critical sections of a few pointer moves.
//
// One atomic exchange where a mutex costs two; a holder that was preempted is waited for
// with yield(), not by burning the core it needs. Guards channels. (The loop's cross-thread
// queue keeps std::mutex: measured on two shared cores, a spin lock there halved the cost
// of four producers but doubled that of one producer feeding one loop, and a spin-then-
// futex lock was no better.)
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
