//===--- ConcurrencyModel.h - what runs in parallel -----------------*- C++ -*-===//
//
// The analyses behind untangle-data-race, kept apart from the check so that other
// rules can ask the same questions:
//  - which calls start code that runs in parallel (spawn sites: threads, pthreads,
//    std::async, thread pools, the user's own wrappers) and which calls wait for it
//    (joins, futures, wait groups) -- here;
//  - which locks are held and which spawns may be running at each point of a function
//    (race/Locksets.h), computed once per function and kept here;
//  - which memory location an lvalue names (race/MemoryLocation.h).
// A spawn is described where it is written (its body, the arguments it binds), so that
// the accesses of its body resolve to what the spawner passed.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_CONCURRENCYMODEL_H
#define UNTANGLE_RULES_CONCURRENCYMODEL_H

#include "nesting/AsyncCallModel.h"
#include "race/Barriers.h"
#include "race/ElementRanges.h"
#include "race/RunCounts.h"
#include "race/Locksets.h"
#include "race/MemoryLocation.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Regex.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::untangle {

/// The user's names for their own thread and lock wrappers (regexes on qualified names).
struct ConcurrencyOptions {
  std::vector<std::string> ParallelSpawnFunctions;
  std::vector<std::string> JoinFunctions;
  std::vector<std::string> AcquireFunctions;
  std::vector<std::string> ReleaseFunctions;
  /// How many conditions a path keeps (race/PathFacts.h); more are forgotten.
  unsigned MaxPathFacts = 8;
  /// Take functions declared but not defined here, named and typed as thread and lock
  /// wrappers, for them (race/UnseenWrappers.cpp).
  bool GuessWrappers = true;
};

enum class SpawnKind { Thread, PThread, Async, ThreadPool, PoolHop, Custom };

/// A call that starts code running in parallel with its caller.
struct SpawnSite {
  SpawnKind Kind;
  const Expr *Site = nullptr;
  const FunctionDecl *Spawner = nullptr; ///< The function the site is in.
  const Decl *Handle = nullptr;          ///< What joins it (thread, future, pool, array).
  /// The elements of an array Handle it is stored into (`&t[i]` in a loop over
  /// [0, 10)); nullopt: unknown, or not an element.
  std::optional<ElementRange> Elements;
  const FunctionDecl *Body = nullptr;    ///< Null for a pool hop: the coroutine goes on.
  const LambdaExpr *BodyLambda = nullptr;
  Environment BodyEnv;                   ///< Parameters and `this` bound at the site.
  /// The arguments the site hands on to the body (`pthread_create`'s fourth,
  /// `std::thread(f, a, b)`'s `a` and `b`): the new thread holds them from here on.
  llvm::SmallVector<const Expr *, 2> Passed;
  // Filled in by the flow analysis of the spawner.
  llvm::SmallVector<unsigned, 4> ActiveAtSpawn;
  bool SelfParallel = false; ///< Still running when its own site is reached again.
  /// The one run of its body: created once, outside loops, from `main`, the body named
  /// nowhere else (DataRaceCheck::runsOnce).
  bool RunsOnce = false;
  bool Escapes = false;      ///< Still running when the spawner returns.
  /// The spawns whose body is this one's spawner (a thread started by a thread), and
  /// theirs, MaxCallDepth levels up (DataRaceCheck::relateNestedSpawns).
  llvm::SmallVector<unsigned, 1> Parents, Ancestors;
  /// Its spawner runs in two threads at once: two runs of this spawn may overlap.
  bool SpawnerRunsTwice = false;
  /// A thread that outlives the function starting it is started, seen from each caller,
  /// by the call (race/OutlivingSpawns.cpp): the spawn it was lifted from, or -1.
  int LiftedFrom = -1;
  /// For a lifted spawn: the truthiness of what the helper returns wherever the thread
  /// is still running (`return 0;` after starting it, `return -1;` on the path that
  /// did not); unset if unknown (OutlivingSpawns.cpp).
  std::optional<bool> ReturnsTruthy;
  /// What the call at Site returned where the thread runs: 0 for `pthread_create`.
  std::optional<bool> resultWhileRunning() const {
    if (LiftedFrom >= 0)
      return ReturnsTruthy;
    return Kind == SpawnKind::PThread ? std::optional<bool>(false) : std::nullopt;
  }
  /// A helper's spawn of its function-pointer parameter (`pthread_create(&t, 0, fn,
  /// arg)`): no body until lifted to a caller that passes a function.
  const ParmVarDecl *CallableParam = nullptr;
};

/// A callback posted to a single-threaded executor (an event loop, an io_context).
struct LoopCallback {
  const Decl *Executor = nullptr; ///< Null: the program's one default loop.
  const Expr *Site = nullptr;
  const FunctionDecl *Poster = nullptr;
  const FunctionDecl *Body = nullptr;
  const LambdaExpr *BodyLambda = nullptr;
};

/// Everything the data-race rule knows about threads, executors and locks.
class ConcurrencyModel {
public:
  explicit ConcurrencyModel(const ConcurrencyOptions &Options);

  // --- Classification of single calls -------------------------------------------------

  /// If \p E starts parallel work, describes it (without the flow facts).
  /// \p SpawnerEnv binds the spawner's `this` and parameters when the spawn is seen
  /// from a caller.
  std::optional<SpawnSite> classifySpawn(const Expr &E, ASTContext &Ctx,
                                         const Environment *SpawnerEnv = nullptr) const;
  /// Where the result of \p Site is kept: the thread object, future or array.
  const Decl *handleOf(const Expr &Site, ASTContext &Ctx) const;
  /// The handles a call of \p F joins in its body or its callees' (`stop()` joining
  /// `worker_`, a destructor); a parameter stands for what the caller passes.
  llvm::ArrayRef<const Decl *> handlesJoinedBy(const FunctionDecl &F) const;
  /// A lock helper (`void enter() { pthread_mutex_lock(&mu); }`): the mutex
  /// expressions \p F locks and never unlocks, and unlocks and never locks, in its own
  /// body; the caller holds or drops them after the call.
  struct LockHelperEffect {
    llvm::SmallVector<const Expr *, 1> Acquires, Releases;
  };
  const LockHelperEffect &lockHelperEffect(const FunctionDecl &F) const;
  /// `co_await pool.schedule()` on a thread pool: the coroutine continues on the pool.
  bool isPoolHop(const CXXMemberCallExpr &Call) const;
  /// A callback run by a single-threaded executor, if \p Call posts one.
  std::optional<LoopCallback> classifyLoopPost(const CallExpr &Call,
                                               const Callable *Callback) const;
  /// The handle a call waits for (thread, future, pthread_t, pool); null if none.
  const Decl *joinedHandle(const CallExpr &Call) const {
    return designatedDecl(joinedHandleExpr(Call));
  }
  /// The expression naming that handle (`t`, `w->tid`, `threads[i]`); null if none.
  const Expr *joinedHandleExpr(const CallExpr &Call) const;
  /// `wg.wait()` on a WaitGroup: the group waited for.
  const Decl *waitedGroup(const CallExpr &Call) const;

  /// HappensBefore / HappensAfter: the release and acquire annotations of an address
  /// (`__tsan_release`, `ANNOTATE_HAPPENS_BEFORE`...), applied as the lockset's
  /// FunctionFlow says. TryAcquire: `try_lock`, `pthread_mutex_trylock`, held on the
  /// success branch only. AcquireAll: `std::lock(a, b...)` takes every argument.
  enum class LockEffect {
    None,
    Acquire,
    AcquireShared,
    Release,
    HappensBefore,
    HappensAfter,
    TryAcquire,
    AcquireAll
  };
  /// Explicit lock operations; \p Mutex is the lock expression, or the call itself
  /// for a lock call without an operand (the program's one critical section,
  /// resolveOperand). Defined with the other lock calls (race/LockCalls.cpp).
  LockEffect lockEffect(const CallExpr &Call, const Expr *&Mutex) const;

  // --- Translation-unit registry --------------------------------------------------------

  void addSpawn(SpawnSite S);
  void addLoopCallback(LoopCallback C);
  /// The first spawn started at \p S; a call of a function that starts several
  /// threads starts them all (spawnsAt).
  std::optional<unsigned> spawnAt(const Stmt *S) const;
  llvm::ArrayRef<unsigned> spawnsAt(const Stmt *S) const;
  /// The spawns that run \p Body: its creations, and their lifts to callers.
  llvm::SmallVector<unsigned, 1> spawnsOf(const FunctionDecl &Body) const;
  /// Is \p Arg an argument a registered spawn hands on to the code it starts?
  bool isPassedToSpawn(const Expr &Arg) const {
    return PassedToSpawns.contains(Arg.IgnoreParenCasts());
  }
  /// Does \p Call's result tell whether a thread it starts is running (a helper
  /// returning 0 once it started one, as `pthread_create` does)?
  bool reportsStart(const CallExpr &Call) const {
    return llvm::any_of(spawnsAt(&Call),
                        [&](unsigned Id) { return Spawns[Id].resultWhileRunning(); });
  }
  /// Is \p Ancestor the spawn \p Id was lifted from (seen again from a caller)?
  bool liftedFrom(unsigned Id, unsigned Ancestor) const;
  /// Flows are computed again once lifted spawns are known.
  void clearFlows() { Flows.clear(); }
  bool isContextLambda(const LambdaExpr *L) const { return ContextLambdas.count(L); }
  std::vector<SpawnSite> &spawns() { return Spawns; }
  const std::vector<SpawnSite> &spawns() const { return Spawns; }
  const std::vector<LoopCallback> &loopCallbacks() const { return Callbacks; }
  const FunctionFlow &flowOf(const FunctionDecl &F, ASTContext &Ctx);
  /// What holds over all of spawn \p Id's run, as HeldLock edges: the locks its
  /// spawner holds around it, and what a parent thread's run gives it (\p Depth
  /// levels up; race/CreationLocks.cpp).
  llvm::SmallVector<HeldLock, 1> locksOverRun(unsigned Id, ASTContext &Ctx, unsigned Depth);
  /// Adds to \p Running the threads running where \p State holds besides its active
  /// spawns: those their bodies start, and those that outlive an ancestor started
  /// there (race/SpawnOverlap.cpp).
  void addNestedRunning(const FlowState &State,
                        llvm::SmallVectorImpl<unsigned> &Running) const;
  /// Does every path through \p F's body end in a call that does not return (`exit`,
  /// `abort`, `longjmp`, anything declared noreturn), so that a call of F ends its
  /// caller's path (`fatal("..")`)? Only the body's own calls are looked at.
  bool neverReturns(const FunctionDecl &F) const;
  /// What a function of the program's defined in another file is taken for, from its
  /// name and type (race/UnseenWrappers.cpp).
  enum class WrapperRole { None, Spawn, Join, Acquire, Release };
  WrapperRole guessedRole(const FunctionDecl &F) const;
  /// Is \p D named in the option of \p Role, or guessed to play it?
  bool plays(WrapperRole Role, const NamedDecl *D) const;
  /// The globals `main` stores its own thread id in (`main_id = pthread_self()`): a
  /// join of one waits for main to end (race/MainThreadJoins.cpp).
  llvm::ArrayRef<const Decl *> mainThreadHandles(ASTContext &Ctx) const;
  void clear();

  LocationResolver Resolver{};
  /// The barriers that order their waiters; built once the spawns are known.
  BarrierModel Barriers;
  /// How often each function is named (race/RunCounts.h).
  mutable FunctionMentions Mentions;
  const unsigned MaxPathFacts;
  const bool GuessWrappers;

private:
  bool matches(const NameList &Patterns, const NamedDecl *D) const;
  void collectJoins(const FunctionDecl &F, unsigned Depth,
                    llvm::SmallVectorImpl<const Decl *> &Out) const;

  NameList SpawnPatterns, JoinPatterns, AcquirePatterns, ReleasePatterns;
  std::vector<SpawnSite> Spawns;
  std::vector<LoopCallback> Callbacks;
  llvm::DenseMap<const Stmt *, llvm::SmallVector<unsigned, 1>> SpawnIds;
  mutable llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<const Decl *, 2>> JoinSummaries;
  mutable llvm::DenseMap<const FunctionDecl *, LockHelperEffect> LockHelpers;
  mutable llvm::DenseMap<const FunctionDecl *, bool> NeverReturns;
  mutable std::optional<llvm::SmallVector<const Decl *, 1>> MainHandles;
  llvm::DenseSet<const LambdaExpr *> ContextLambdas;
  llvm::DenseSet<const Expr *> PassedToSpawns;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionFlow>> Flows;
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_CONCURRENCYMODEL_H
