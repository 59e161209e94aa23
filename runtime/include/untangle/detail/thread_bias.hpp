// untangle/detail/thread_bias.hpp — letting one thread use a shared thing without atomics
// until any other thread revokes that, for good (biased locking).
//
// Used where one thread does nearly all the work and an atomic read-modify-write would be
// the largest single cost: a channel used by the coroutines of one loop (ChannelLock), a
// loop posted to by its own thread before `run()` (EventLoop). The owner enters a biased
// section with plain stores; any other thread first calls `revoke()`, which publishes
// `revoked`, runs membarrier(2) (every other thread of the process executes a full fence),
// then waits until the owner has left its section. Where membarrier is unavailable (old
// kernel, seccomp, valgrind) a bias is never granted.
//
// Why that is enough: the owner announces itself (busy_ = true) and then re-reads owner_ —
// a store then a load, which the CPU may reorder, and that is the only gap. The revoker's
// membarrier puts a fence somewhere in the owner's instruction stream: before the re-read,
// and the owner sees `revoked` and takes its slow path; after it, and the revoker sees busy_
// and waits. busy_ is a release/acquire pair, so the owner's section happens-before
// whatever the revoker does next (also what TSan checks).
#pragma once

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <thread>

#include "spin_lock.hpp"

namespace untangle::detail {

// Unique per thread and never reused (a thread_local's address can be, by a later thread).
inline std::uint64_t thread_tag() noexcept {
  static constinit thread_local std::uint64_t tag = 0;
  if (tag == 0) [[unlikely]] {
    static std::atomic<std::uint64_t> next{0};
    tag = next.fetch_add(1, std::memory_order_relaxed) + 1;
  }
  return tag;
}

class ThreadBias {
public:
  static constexpr std::uint64_t nobody = 0;
  static constexpr std::uint64_t revoked = ~std::uint64_t{0};

  // Whether a bias can be granted at all in this process.
  static bool supported() noexcept {
    static const bool ok = ::syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
    return ok;
  }

  std::uint64_t owner() const noexcept { return owner_.load(std::memory_order_relaxed); }
  bool held_here() const noexcept { return owner() == thread_tag(); }

  // Makes `tag` the owner. The caller excludes every other grant and revoke (its own lock,
  // or the object's construction); a revoked bias stays revoked.
  void grant(std::uint64_t tag) noexcept {
    if (supported() && owner() != revoked) owner_.store(tag, std::memory_order_relaxed);
  }

  // True: this thread owns the bias and is now inside its section (end it with leave()).
  bool try_enter() noexcept {
    const std::uint64_t me = thread_tag();
    if (owner_.load(std::memory_order_acquire) != me) return false;
    busy_.store(true, std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst);  // the compiler keeps the order
    if (owner_.load(std::memory_order_acquire) == me) [[likely]]
      return true;
    busy_.store(false, std::memory_order_release);
    return false;
  }
  void leave() noexcept { busy_.store(false, std::memory_order_release); }

  // For good: no section runs after this returns, and the last one happened-before it.
  void revoke() noexcept {
    const std::uint64_t was = owner();
    if (was == revoked) return;
    owner_.store(revoked, std::memory_order_relaxed);
    if (was == nobody) return;  // no owner, so nobody can be inside a section
    heavy_fence();
    for (int spins = 0; busy_.load(std::memory_order_acquire);) {
      if (++spins < 64)
        cpu_pause();
      else
        std::this_thread::yield();
    }
  }

private:
  static void heavy_fence() noexcept {
    if (::syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0) return;
    // Without registration (bias never granted) nothing needs fencing; a registered
    // process cannot fail here, and the slow global barrier stays the fallback all the same.
    if (!supported()) return;
    if (::syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) != 0) std::abort();
  }

  std::atomic<std::uint64_t> owner_{nobody};
  std::atomic<bool> busy_{false};  // the owner is inside a section
};

}  // namespace untangle::detail
