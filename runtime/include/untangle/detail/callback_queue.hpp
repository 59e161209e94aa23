// untangle/detail/callback_queue.hpp — the FIFO of callables behind every queue of the loop.
//
// What it decides, and why:
//  - Records of their own size. A queued callable is stored in place, right after a pointer
//    to its type's operations, rounded up to 8 bytes: a lambda holding one pointer takes 16
//    bytes, not the 64 of a fixed-size slot. Posting 10M callbacks is memory traffic first,
//    so the size of a record is its cost.
//  - Blocks that never move. Records live in a chain of blocks; a block is only ever
//    appended to, and a record runs where it was written. So nothing is relocated when the
//    queue grows (a ring would move every queued callable at each doubling), a callable
//    may push onto the queue it came from while it runs, and a callable need not be movable
//    at all once queued.
//  - Blocks are recycled. A block the reader has left goes to a pool the writer takes from,
//    and a queue that drains starts over at the front of its newest block, so a queue
//    that drains and refills reuses memory that is already mapped and in cache:
//    on these VMs a first touch of a page costs more than running a small callback. Blocks
//    grow from 16 KiB to 2 MiB as the backlog grows; 2 MiB ones are aligned and marked for
//    transparent huge pages, which turns 512 page faults into one. The pool keeps what the
//    deepest backlog needed until `trim()` (the loop trims when it goes to sleep).
//  - O(1) hand-over. `splice` appends another queue's whole chain (the loop's cross-thread
//    queue is one of these, filled under a lock and spliced in by the loop's thread).
//
// Not thread-safe: each queue belongs to one thread at a time (the loop says which).
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

namespace untangle::detail {

class CallbackQueue {
public:
  CallbackQueue() = default;
  CallbackQueue(const CallbackQueue&) = delete;
  CallbackQueue& operator=(const CallbackQueue&) = delete;
  ~CallbackQueue() {
    clear();
    release_chain(head_block_);
    trim(0);
  }

  bool empty() const noexcept { return count_ == 0; }
  std::size_t size() const noexcept { return count_; }

  template <class F>
  void push(F&& f) {
    using Stored = Record<std::decay_t<F>>;
    // A 16-aligned callable needs its record to start 8 bytes past a 16-byte boundary;
    // an 8-byte pad record fills the gap when it does not.
    constexpr std::size_t worst = Stored::size + (Stored::align16 ? header : 0);
    if (static_cast<std::size_t>(write_end_ - write_) < worst) [[unlikely]]
      next_block(worst);
    if constexpr (Stored::align16) {
      if ((reinterpret_cast<std::uintptr_t>(write_) & 15) == 0) {
        *reinterpret_cast<const Ops**>(write_) = &pad;
        write_ += header;
      }
    }
    unsigned char* record = write_;
    // Construct first: if it throws, nothing was committed (a pad is skipped unseen).
    Stored::construct(record + header, std::forward<F>(f));
    *reinterpret_cast<const Ops**>(record) = &Stored::ops;
    write_ += Stored::size;
    ++count_;
  }

  // Runs the front callable where it lies and destroys it, also when it throws; the queue
  // is consistent before it runs, so it may push onto this queue.
  void run_front() {
    const Ops* ops = front_ops();
    unsigned char* record = read_;
    read_ += ops->size;
    --count_;
    ops->run(record + header);
    // Drained: start over at the front of the newest block, so the next backlog finds
    // every other block spare and a short queue keeps using the same cache lines. Only
    // here, after the run: a running record's memory must stay where it is.
    if (count_ == 0) rewind();
  }

  // Destroys every queued callable without running it. A destructor that pushes more
  // (a destroyed completion callback resuming a coroutine that posts) is drained too.
  void clear() noexcept {
    while (count_ > 0) {
      const Ops* ops = front_ops();
      unsigned char* record = read_;
      read_ += ops->size;
      --count_;
      ops->destroy(record + header);
    }
    rewind();
  }

  // Appends every record of `other`, in order, leaving it empty. O(1): the chain of blocks
  // changes hands; `other` keeps its pool.
  void splice(CallbackQueue& other) noexcept {
    if (other.count_ == 0) return;
    if (head_block_ == nullptr) {
      head_block_ = other.head_block_;
      read_ = other.read_;
    } else {
      *reinterpret_cast<const Ops**>(write_) = &block_end;  // the reader hops to the next
      tail_block_->next = other.head_block_;
    }
    tail_block_ = other.tail_block_;
    write_ = other.write_;
    write_end_ = other.write_end_;
    count_ += other.count_;
    chain_blocks_ += other.chain_blocks_;
    other.head_block_ = other.tail_block_ = nullptr;
    other.read_ = other.write_ = other.write_end_ = nullptr;
    other.count_ = other.chain_blocks_ = 0;
  }

  // Blocks in this queue's chain (in use, not pooled).
  std::size_t chain_blocks() const noexcept { return chain_blocks_; }

  // Moves up to `n` spare blocks of this queue's pool to `other`'s (blocks that travel one
  // way with `splice` come back this way).
  void give_spare_blocks(CallbackQueue& other, std::size_t n) noexcept {
    while (n-- > 0 && pool_ != nullptr) {
      Block* b = pool_;
      pool_ = b->next;
      pool_bytes_ -= b->bytes;
      other.recycle(b);
    }
  }

  // Frees pooled blocks until at most `keep_bytes` of them are left.
  void trim(std::size_t keep_bytes) noexcept {
    while (pool_ != nullptr && pool_bytes_ > keep_bytes) {
      Block* b = pool_;
      pool_ = b->next;
      pool_bytes_ -= b->bytes;
      free_block(b);
    }
  }
  std::size_t pooled_bytes() const noexcept { return pool_bytes_; }

  // Bytes a callable of type F takes in the queue (for tests and the benchmarks' report).
  template <class F>
  static constexpr std::size_t record_size() noexcept {
    return Record<std::decay_t<F>>::size;
  }

private:
  struct Ops {
    void (*run)(void* payload);  // invoke, then destroy (also on a throw); null: a marker
    void (*destroy)(void* payload) noexcept;
    std::size_t size;  // of the whole record, a multiple of 8
  };

  // Every record starts with its Ops pointer; the callable follows at `header`.
  static constexpr std::size_t header = sizeof(const Ops*);
  static constexpr std::size_t round8(std::size_t n) noexcept { return (n + 7) & ~std::size_t{7}; }
  // Callables larger than this, or aligned to more than 16, are boxed on the heap: a record
  // must fit in the smallest block, and huge captures are rare enough to pay an allocation.
  static constexpr std::size_t max_inline = 1024;

  template <class Fn>
  struct Record {
    static constexpr bool inline_ = sizeof(Fn) <= max_inline && alignof(Fn) <= 16;
    using Stored = std::conditional_t<inline_, Fn, Fn*>;
    static constexpr bool align16 = alignof(Stored) > header;
    static constexpr std::size_t size = round8(header + sizeof(Stored));

    template <class F>
    static void construct(unsigned char* at, F&& f) {
      if constexpr (inline_)
        ::new (static_cast<void*>(at)) Fn(std::forward<F>(f));
      else
        ::new (static_cast<void*>(at)) Fn*(new Fn(std::forward<F>(f)));
    }
    static Fn& callable(void* at) noexcept {
      if constexpr (inline_)
        return *std::launder(static_cast<Fn*>(at));
      else
        return **std::launder(static_cast<Fn**>(at));
    }
    static void destroy(void* at) noexcept {
      if constexpr (inline_)
        std::launder(static_cast<Fn*>(at))->~Fn();
      else
        delete *std::launder(static_cast<Fn**>(at));
    }
    static void run(void* at) {
      struct DestroyOnExit {
        void* at;
        ~DestroyOnExit() { destroy(at); }
      } guard{at};
      callable(at)();
    }
    static constexpr Ops ops{&run, &destroy, size};
  };

  // Markers (run == null): the end of a block's records, and 8 bytes of alignment padding.
  static constexpr Ops block_end{nullptr, nullptr, 0};
  static constexpr Ops pad{nullptr, nullptr, header};

  struct alignas(16) Block {
    Block* next;
    std::size_t bytes;  // of the whole block, header included
    unsigned char* data() noexcept { return reinterpret_cast<unsigned char*>(this + 1); }
  };

  static constexpr std::size_t first_block_bytes = 16 * 1024;
  static constexpr std::size_t huge_page_bytes = 2 * 1024 * 1024;

  const Ops* front_ops() noexcept {
    const Ops* ops = *reinterpret_cast<const Ops* const*>(read_);
    while (ops->run == nullptr) [[unlikely]] {
      if (ops == &pad) {
        read_ += header;
      } else {
        Block* done = head_block_;
        head_block_ = done->next;
        --chain_blocks_;
        recycle(done);
        read_ = head_block_->data();
      }
      ops = *reinterpret_cast<const Ops* const*>(read_);
    }
    return ops;
  }

  void rewind() noexcept {
    if (tail_block_ == nullptr) return;
    while (head_block_ != tail_block_) {
      Block* done = head_block_;
      head_block_ = done->next;
      recycle(done);
    }
    chain_blocks_ = 1;
    read_ = write_ = tail_block_->data();
  }

  // Out of room for a record of `need` bytes: end this block and continue in another.
  [[gnu::noinline]] void next_block(std::size_t need) {
    Block* b = take_block(need);
    b->next = nullptr;
    if (tail_block_ == nullptr) {
      head_block_ = b;
      read_ = b->data();
    } else {
      *reinterpret_cast<const Ops**>(write_) = &block_end;
      tail_block_->next = b;
    }
    tail_block_ = b;
    ++chain_blocks_;
    write_ = b->data();
    // The last 8 bytes of a block are kept for its end marker.
    write_end_ = reinterpret_cast<unsigned char*>(b) + b->bytes - header;
  }

  Block* take_block(std::size_t need) {
    // A pooled block fits whenever it is at least the smallest size (records are capped).
    if (pool_ != nullptr) {
      Block* b = pool_;
      pool_ = b->next;
      pool_bytes_ -= b->bytes;
      return b;
    }
    // Grow with the backlog: the bigger the queue already is, the bigger the next block,
    // so a 10M backlog is a few hundred blocks, and a one-item queue stays small.
    std::size_t bytes = first_block_bytes;
    while (bytes < count_ * need && bytes < huge_page_bytes) bytes *= 2;
    while (bytes < need + sizeof(Block) + header) bytes *= 2;
    void* memory = std::aligned_alloc(bytes >= huge_page_bytes ? huge_page_bytes : alignof(Block), bytes);
    if (memory == nullptr) throw std::bad_alloc();
    if (bytes >= huge_page_bytes) ::madvise(memory, bytes, MADV_HUGEPAGE);  // a hint only
    Block* b = ::new (memory) Block{nullptr, bytes};
    return b;
  }

  void recycle(Block* b) noexcept {
    b->next = pool_;
    pool_ = b;
    pool_bytes_ += b->bytes;
  }
  static void free_block(Block* b) noexcept { std::free(b); }
  void release_chain(Block* b) noexcept {
    chain_blocks_ = 0;
    while (b != nullptr) {
      Block* next = b->next;
      recycle(b);
      b = next;
    }
  }

  unsigned char* read_ = nullptr;
  unsigned char* write_ = nullptr;
  unsigned char* write_end_ = nullptr;
  std::size_t count_ = 0;
  Block* head_block_ = nullptr;
  Block* tail_block_ = nullptr;
  Block* pool_ = nullptr;
  std::size_t pool_bytes_ = 0;
  std::size_t chain_blocks_ = 0;
};

}  // namespace untangle::detail
