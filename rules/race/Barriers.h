//===--- Barriers.h - pthread barriers that order their waiters -----*- C++ -*-===//
//
// `pthread_barrier_wait(&b)` returns in a round only once `count` threads have
// called it, so what a waiter does before its wait happens before what any other
// waiter of that round does after its own. Which waiters share a round is what makes
// this hard: with more waiting calls than `count` (three threads on a barrier of two,
// or a wait in a loop), a thread's early write may meet a reader of a later round.
// So a barrier orders only when every call that may wait on it is counted and the
// count cannot exceed its `count`: one `pthread_barrier_init` with a constant count,
// every wait written directly in `main` or in a start routine that only thread
// creations in `main` name, none in a loop, and each such creation outside loops.
// Fewer waiters than `count` is fine: the barrier then never opens and nothing after
// a wait runs. Anything else (a wait through a pointer, a helper that waits, a thread
// started in a loop, a second init) leaves the barrier ordering nothing.
//
// In lockset terms (race/Locksets.h), a waiting function holds the barrier as
// BeforeWait from its start until its wait, and as AfterWait from there on; the two
// sides of one barrier, in different contexts, are ordered (DataRaceCheck).
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_BARRIERS_H
#define UNTANGLE_RULES_RACE_BARRIERS_H

#include "race/Locksets.h"
#include "race/MemoryLocation.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"

namespace clang::tidy::untangle {

class ConcurrencyModel;

class BarrierModel {
public:
  /// Finds the barriers that order their waiters; the spawns must be registered.
  void build(ASTContext &Ctx, ConcurrencyModel &Model);
  /// A function with an ordering wait holds its barrier BeforeWait from its start.
  void enterWaiter(const CallExpr &Call, llvm::SmallVectorImpl<HeldLock> &EntryLocks) const;
  /// At an ordering wait, the function's BeforeWait becomes AfterWait; false if
  /// \p Call is not one.
  bool applyWait(const CallExpr &Call, FlowState &State) const;
  void clear() { OrderingWaits.clear(); }

private:
  /// The waits on barriers that order, with the barrier each waits on.
  llvm::DenseMap<const CallExpr *, MemoryLocation> OrderingWaits;
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_RACE_BARRIERS_H
