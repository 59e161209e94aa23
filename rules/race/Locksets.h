//===--- Locksets.h - locks held and spawns active at each point -*- C++ -*-===//
//
// One forward pass over a function's CFG computes, before each statement, the locks
// held on every path to it (a must-analysis: a lock taken on one branch only protects
// nothing after the merge) and the spawned bodies that may still run there (a
// may-analysis: a thread joined on one branch only may still run after it). Both facts
// are kept in one pass because both change at the same statements (a scope exit
// unlocks a guard and joins a jthread) and a second walk would double the cost.
// Which calls lock, unlock, spawn and join is the ConcurrencyModel's to say.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_LOCKSETS_H
#define UNTANGLE_RULES_RACE_LOCKSETS_H

#include "race/ElementRanges.h"
#include "race/MemoryLocation.h"
#include "race/PathFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMap.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include <functional>
#include <memory>
#include <optional>
#include <utility>

namespace clang::tidy::untangle {

/// A lock held at a program point.
struct HeldLock {
  MemoryLocation Mutex;
  bool Shared = false;            ///< `lock_shared`, `shared_lock`, `pthread_rwlock_rdlock`.
  const VarDecl *Guard = nullptr; ///< The RAII guard owning it; null for explicit locks.
  /// Not a lock: the two ends of a release/acquire edge through an atomic
  /// (race/AtomicOrdering.h) or a pipe or socket (race/LibraryEffects.h); reports do
  /// not name it as a lock held.
  bool AtomicEdge = false;
  /// Not a lock either: the two ends of the edge a creation under a lock makes
  /// (`lock(L); create(T); ...; unlock(L)`). SinceSpawn: the creator has held Mutex
  /// without a break since it started that spawn; Acquired: Mutex was taken earlier on
  /// every path here, released or not since. What the creator does under the first
  /// happens before what T does under the second (DataRaceCheck pairs them).
  int SinceSpawn = -1;
  bool Acquired = false;
  /// For Acquired on a thread started by a thread: the parent spawn whose run took
  /// Mutex before starting it (the descendant's lockset); -1: this thread's own run.
  int AcquiredIn = -1;
  /// Not a lock this thread takes: its spawner held Mutex from starting it (spawn
  /// AroundSpawn) until it surely ended, so the whole thread runs inside that critical
  /// section (race/CreationLocks.cpp): ordered with an access made under Mutex by a
  /// thread that took it itself, not with the spawner's own accesses in that section.
  int AroundSpawn = -1;
  /// Not a lock either: the guard of a function-local static (Mutex), whose
  /// initializer happens before what every context passing its declaration does after
  /// it, and runs once. An access InInitializer is ordered with one InInitializer or
  /// AfterDeclaration; two AfterDeclaration are not ordered by it.
  enum StaticInitEnd { NoStaticInit, InInitializer, AfterDeclaration };
  StaticInitEnd StaticInit = NoStaticInit;
  /// Not a lock either: a side of a barrier's wait (race/Barriers.h), Mutex the
  /// barrier. What one waiter does BeforeWait happens before what another does
  /// AfterWait.
  enum BarrierSide { NoBarrier, BeforeWait, AfterWait };
  BarrierSide Barrier = NoBarrier;
  bool operator==(const HeldLock &O) const {
    return Mutex == O.Mutex && Shared == O.Shared && Guard == O.Guard &&
           AtomicEdge == O.AtomicEdge && SinceSpawn == O.SinceSpawn &&
           Acquired == O.Acquired && AcquiredIn == O.AcquiredIn &&
           AroundSpawn == O.AroundSpawn &&
           StaticInit == O.StaticInit && Barrier == O.Barrier;
  }
  /// Is it a creation edge's, a static's initialization end or a barrier's side rather
  /// than a lock (or an atomic's edge)?
  bool creationEdge() const {
    return SinceSpawn >= 0 || Acquired || AroundSpawn >= 0 || StaticInit || Barrier;
  }
};

/// Is \p V a function-local static whose initialization C++ makes thread-safe (one
/// thread runs it, the others wait)?
bool guardsInitialization(const VarDecl &V, const ASTContext &Ctx);

/// `pthread_tryjoin_np`, `pthread_timedjoin_np`, `pthread_clockjoin_np`: joins that may
/// return before the thread ends (EBUSY, ETIMEDOUT); the thread has ended where they
/// returned 0 (race/TryBranches.cpp).
bool isTryJoin(const CallExpr &Call);
/// A join with a timeout whose result the program does not branch on is taken to
/// succeed: it is written expecting the thread to end in time (`check(
/// pthread_timedjoin_np(t, 0, &deadline), 0)`). A try-join so used joins nothing.
bool joinsUnlessTested(const CallExpr &Call);
/// `pthread_mutex_lock`, `pthread_rwlock_wrlock`, `pthread_spin_lock`: they return an
/// error instead of locking (EDEADLK, EINVAL, EAGAIN); a program that tests the result
/// (`if (pthread_mutex_lock(&m) != 0)`) holds the lock on the success branch only
/// (race/TryBranches.cpp).
bool mayFailToLock(const CallExpr &Call);

/// An SV-COMP `__VERIFIER_atomic_*` function (not `_begin`/`_end`): its whole body runs
/// as one atomic step, inside the program's one critical section (race/LockCalls.cpp).
bool runsAtomically(const FunctionDecl &F);

/// What `main` holds from its start and a thread joining it from the join on: the
/// edge ordering all of main before the rest of that thread (race/MainThreadJoins.cpp).
MemoryLocation mainThreadEnd();

/// `lock_guard`, `unique_lock`, `scoped_lock`, `shared_lock` types.
bool isLockGuardType(QualType T, bool &SharedGuard);

class ConcurrencyModel;

/// The facts at one program point.
struct FlowState {
  bool Reached = false;
  llvm::SmallVector<HeldLock, 2> Locks;  ///< Held on every path (must).
  llvm::SmallVector<unsigned, 2> Active; ///< Spawn ids possibly running (may).
  int HopSpawn = -1; ///< After `co_await pool.schedule()`: the hop's spawn id.
  FactList Facts;    ///< Conditions known on every path here (race/PathFacts.h).
  /// For a spawn in Active: the facts that hold wherever it may be running (it was
  /// started under them); a path contradicting them does not carry it.
  llvm::SmallVector<std::pair<unsigned, FactList>, 1> Guards;
  /// The handles joined on every path since the function's entry (must): a callee
  /// that joins its caller's threads (`stop()` joining the globals `start()` set)
  /// ends them for its own later accesses, which carry the caller's running spawns.
  llvm::SmallVector<const Decl *, 1> Joined;
  /// For a spawn in Active stored into a range of an array: the elements joined on
  /// every path where it runs (must); it ends once they add up to its range.
  llvm::SmallVector<std::pair<unsigned, ElementRange>, 0> PartlyJoined;
  /// Spawn ids started on some path here (may), joined or not: code where a spawn is
  /// not among them runs before it (DataRaceCheck::startedAfter).
  llvm::SmallVector<unsigned, 2> Started;
  /// Locks held wherever a fact holds, though not on every path (`if (c) lock(m);`):
  /// a branch that establishes the fact holds the lock again (`if (c) g++;`). Only
  /// explicit locks; an entry implied by Locks or contradicted by Facts is not kept.
  llvm::SmallVector<std::pair<HeldLock, Fact>, 0> CondLocks;

  bool operator==(const FlowState &O) const {
    return Reached == O.Reached && Locks == O.Locks && Active == O.Active &&
           HopSpawn == O.HopSpawn && Facts == O.Facts && Guards == O.Guards &&
           Joined == O.Joined && Started == O.Started && PartlyJoined == O.PartlyJoined &&
           CondLocks.size() == O.CondLocks.size() &&
           llvm::all_of(CondLocks, [&](const auto &C) { return llvm::is_contained(O.CondLocks, C); });
  }
  void join(const FlowState &O);
  /// The facts spawn \p Id was started under; null if none are known.
  FactList *guardOf(unsigned Id);
  const FactList *guardOf(unsigned Id) const {
    return const_cast<FlowState *>(this)->guardOf(Id);
  }
  void dropSpawn(unsigned Id);
  /// Joins \p Handle, or only its \p Elements when it is an array: drops the spawns
  /// the join surely ends, and notes the handle in Joined if that is all of them.
  void joinHandle(const Decl *Handle, const ConcurrencyModel &Model,
                  std::optional<ElementRange> Elements = std::nullopt);
};

/// Locks held and spawns active before each statement of one function, computed
/// forward over its CFG.
class FunctionFlow {
public:
  FunctionFlow(const FunctionDecl &F, ASTContext &Ctx, const ConcurrencyModel &Model);
  /// The state just before \p S runs; null where \p S is unreachable or not in the CFG.
  const FlowState *stateBefore(const Stmt *S) const;
  const FlowState &exitState() const { return Exit; }
  bool valid() const { return Cfg != nullptr; }
  /// What spawn \p Id (started in this function, \p Spawner) runs entirely inside: the
  /// locks held without a break from its start until it surely ended, as AroundSpawn
  /// entries, and the creation edges (SinceSpawn of an earlier spawn) open across that
  /// span (race/CreationLocks.cpp).
  llvm::SmallVector<HeldLock, 1> locksAroundRun(unsigned Id, const FunctionDecl &Spawner) const;
  /// The same for a thread a thread started, whose handle \p Handle this function
  /// joins on every path: what it runs inside between the start of its ancestor
  /// \p Opener (a spawn of this function's) and the joins of Handle.
  llvm::SmallVector<HeldLock, 1> locksUntilJoined(unsigned Opener, const Decl *Handle) const;

private:
  void transfer(const CFGElement &E, FlowState &State, bool Record);
  /// Is \p E a call of a function of the program's that never returns (a `fatal()`
  /// that calls `exit`)? The path ends there.
  bool endsPath(const CFGElement &E) const;
  /// For a block branching on a try-lock (`if (m.try_lock())`,
  /// `if (pthread_mutex_trylock(&m) == 0)`): the lock and the successor it is held on.
  std::optional<std::pair<MemoryLocation, unsigned>> tryLockBranch(const CFGBlock &B) const;
  /// For a block branching on a try-join (`if (pthread_tryjoin_np(t, 0) == 0)`,
  /// `int rc = pthread_timedjoin_np(..); if (!rc)`): the handle and the successor on
  /// which the thread has ended.
  std::optional<std::pair<const Decl *, unsigned>> tryJoinBranch(const CFGBlock &B) const;
  /// For a block branching on `setjmp(env)`: the successor it returns non-zero on (the
  /// second return, from a `longjmp(env, ..)` in a function this one calls) and the
  /// locks held at every such `longjmp`, which that return still holds.
  std::optional<std::pair<unsigned, llvm::SmallVector<HeldLock, 1>>>
  longjmpBranch(const CFGBlock &B) const;
  /// The call whose zero or non-zero result a two-way branch at the end of \p B tests
  /// (`f(..)`, `!f(..)`, `f(..) == 0`, or a variable declared with it by the statement
  /// right before the branch); TrueWhenTruthy: the condition holds for non-zero.
  const CallExpr *testedCall(const CFGBlock &B, bool &TrueWhenTruthy) const;
  void buildLoopExitJoins();
  /// The spawns in \p WasActive that \p After no longer has have ended (joined) with
  /// After's locks held; so have the threads of the handles After joined first (those
  /// from index \p WasJoined on). Kept per spawn and per handle, intersected over
  /// every place it ends.
  void noteEnded(llvm::ArrayRef<unsigned> WasActive, size_t WasJoined,
                 const FlowState &After);
  /// What a two-way branch at the end of \p B establishes on its successor
  /// \p Index, applied to \p Out; false if the facts say the edge is never taken.
  bool applyBranch(const CFGBlock &B, unsigned Index, FlowState &Out);
  /// A store into a scalar variable ends the facts on it; a constant or a spawn's
  /// status stored there is a new fact (`started = 1`, `rc = pthread_create(...)`).
  void applyWrites(const Stmt &S, FlowState &State);
  /// The handles \p Call joins: a join's own (`t.join()`, `pthread_join(t, 0)`, the
  /// range of a range-for variable), or those a helper it calls joins (`stop()`,
  /// `os_thread_wait(&t)`), a parameter standing for the argument passed.
  llvm::SmallVector<const Decl *, 2> joinedHandles(const CallExpr &Call) const;
  /// Joining `tids[i]` or a range-for's element inside a loop joins one thread: the
  /// others started before the loop still run until it exits (buildLoopExitJoins).
  bool joinsOneElement(const CallExpr &Call, const Stmt *&Loop) const;
  /// The elements of the handle array \p Call joins (race/ElementRanges.h): `t[0]`, or
  /// `t[i]` in a loop stepping `i` over a constant range, all of which have been joined
  /// once the loop exits.
  std::optional<ElementRange> joinedElements(const CallExpr &Call) const;
  mutable llvm::DenseMap<const CallExpr *, std::optional<ElementRange>> JoinedElements;

  const ConcurrencyModel &Model;
  std::unique_ptr<CFG> Cfg;
  std::unique_ptr<ParentMap> Parents;
  llvm::DenseMap<const Stmt *, FlowState> Before;
  /// The mutexes each RAII guard manages, and whether it locks them shared.
  llvm::DenseMap<const Decl *, std::pair<llvm::SmallVector<MemoryLocation, 2>, bool>>
      GuardMutexes;
  /// A join inside a loop (`for (auto &t : threads) t.join();`) has joined every
  /// handle once the loop exits, although the exit edge also comes from the loop entry.
  llvm::DenseMap<const Stmt *,
                 llvm::SmallVector<std::pair<const Decl *, std::optional<ElementRange>>, 2>>
      LoopExitJoins;
  /// Try-joins and plain pthread locks some branch tests: a try-join not tested joins
  /// where it stands or not at all; a lock tested holds on its success branch only.
  llvm::DenseSet<const CallExpr *> TestedCalls;
  FlowState Exit;
  /// Per spawn, the locks held wherever it ended (noteEnded).
  llvm::DenseMap<unsigned, llvm::SmallVector<HeldLock, 2>> EndedUnder;
  /// Per handle, the locks held wherever it was first joined on a path (noteEnded).
  llvm::DenseMap<const Decl *, llvm::SmallVector<HeldLock, 2>> JoinedUnder;
  /// What a span of this function from spawn \p Opener's start (state \p AtStart) to
  /// places holding \p Ends runs inside (locksAroundRun, locksUntilJoined).
  llvm::SmallVector<HeldLock, 1> locksAcross(unsigned Opener, const FlowState &AtStart,
                                             llvm::ArrayRef<HeldLock> Ends) const;
  ASTContext &Ctx;
  /// The fact each branching block's condition establishes when true.
  llvm::DenseMap<const CFGBlock *, std::optional<Fact>> BranchFacts;
  llvm::DenseMap<const CFGBlock *,
                 std::optional<std::pair<unsigned, llvm::SmallVector<HeldLock, 1>>>>
      LongjmpBranches;
  /// A call whose result says whether the threads it starts run (factOf).
  bool reportsStart(const CallExpr &Call) const;
  std::function<bool(const CallExpr &)> StatusCall = [this](const CallExpr &Call) {
    return reportsStart(Call);
  };
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_RACE_LOCKSETS_H
