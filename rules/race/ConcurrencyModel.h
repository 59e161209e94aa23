//===--- ConcurrencyModel.h - what runs in parallel, under which locks -*- C++ -*-===//
//
// The analyses behind untangle-data-race, kept apart from the check so that other
// rules can ask the same questions:
//  - which calls start code that runs in parallel (spawn sites) and which calls wait
//    for it (joins);
//  - which locks are held at each point of a function (a must-analysis over clang's
//    CFG) and which spawned bodies may still be running there (a may-analysis);
//  - which memory location an lvalue names, as far as one translation unit can tell.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_CONCURRENCYMODEL_H
#define UNTANGLE_RULES_CONCURRENCYMODEL_H

#include "nesting/AsyncCallModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Regex.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::untangle {

/// A memory location named by the program: a variable, a field of a variable, or a
/// field of an object the analysis cannot name (`p->count`, `this->count`), which then
/// stands for that field of every object of the class.
struct MemoryLocation {
  const ValueDecl *Root = nullptr;
  const FieldDecl *Field = nullptr;

  bool operator==(const MemoryLocation &O) const {
    return Root == O.Root && Field == O.Field;
  }
  /// Can both name the same bytes? A field of an unnamed object aliases that field of
  /// any object; a whole variable aliases each of its fields.
  bool mayAlias(const MemoryLocation &O) const;
  /// The declaration whose type says what is stored there.
  const ValueDecl *declaration() const {
    return Field ? static_cast<const ValueDecl *>(Field) : Root;
  }
  std::string name() const;
};

/// What an lvalue or a pointer refers to, seen from one running context.
struct Resolution {
  enum class Kind {
    Shared,   ///< A location other contexts can reach.
    Confined, ///< The context's own copy (by-value capture, callee local, thread_local).
    Unknown,  ///< Nothing the analysis can name (a non-constant index, an unbound pointer).
  };
  Kind TheKind = Kind::Unknown;
  MemoryLocation Location;
  /// A local of the context's own entry function: each instance of the context has its
  /// own, so two instances of one body never share it.
  bool FrameLocal = false;

  static Resolution unknown() { return {}; }
  static Resolution confined() { return {Kind::Confined, {}, false}; }
  static Resolution shared(MemoryLocation L, bool FrameLocal) {
    return {Kind::Shared, L, FrameLocal};
  }
  bool isShared() const { return TheKind == Kind::Shared; }
};

/// How a function runs while resolving names: which parameters and `this` are bound to
/// what the caller passed, and which frames' locals belong to the running context alone.
struct Environment {
  const FunctionDecl *Entry = nullptr;
  /// The function whose body is being read; says through which lambdas a variable of
  /// an enclosing function is captured, by copy or by reference.
  const FunctionDecl *Current = nullptr;
  llvm::SmallVector<const FunctionDecl *, 4> PrivateFrames;
  llvm::SmallDenseMap<const ParmVarDecl *, Resolution, 4> Params;
  std::optional<Resolution> This;
};

/// Resolves lvalues (`x`, `s.f`, `p->f`, `*p`, `a[2]`) and pointers (`&x`, `p`, `this`)
/// to memory locations.
class LocationResolver {
public:
  Resolution lvalue(const Expr *E, const Environment &Env, unsigned Depth = 0) const;
  Resolution pointee(const Expr *E, const Environment &Env, unsigned Depth = 0) const;

private:
  Resolution variable(const VarDecl *V, const Environment &Env, unsigned Depth) const;
};

/// A lock held at a program point.
struct HeldLock {
  MemoryLocation Mutex;
  bool Shared = false;            ///< `lock_shared`, `shared_lock`, `pthread_rwlock_rdlock`.
  const VarDecl *Guard = nullptr; ///< The RAII guard owning it; null for explicit locks.
  bool operator==(const HeldLock &O) const {
    return Mutex == O.Mutex && Shared == O.Shared && Guard == O.Guard;
  }
};

/// The user's names for their own thread and lock wrappers (regexes on qualified names).
struct ConcurrencyOptions {
  std::vector<std::string> ParallelSpawnFunctions;
  std::vector<std::string> JoinFunctions;
  std::vector<std::string> AcquireFunctions;
  std::vector<std::string> ReleaseFunctions;
};

enum class SpawnKind { Thread, PThread, Async, ThreadPool, PoolHop, Custom };

/// A call that starts code running in parallel with its caller.
struct SpawnSite {
  SpawnKind Kind;
  const Expr *Site = nullptr;
  const FunctionDecl *Spawner = nullptr; ///< The function the site is in.
  const Decl *Handle = nullptr;          ///< What joins it (thread, future, pool, array).
  const FunctionDecl *Body = nullptr;    ///< Null for a pool hop: the coroutine goes on.
  const LambdaExpr *BodyLambda = nullptr;
  Environment BodyEnv;                   ///< Parameters and `this` bound at the site.
  // Filled in by the flow analysis of the spawner.
  llvm::SmallVector<unsigned, 4> ActiveAtSpawn;
  bool SelfParallel = false; ///< Still running when its own site is reached again.
  bool Escapes = false;      ///< Still running when the spawner returns.
};

/// A callback posted to a single-threaded executor (an event loop, an io_context).
struct LoopCallback {
  const Decl *Executor = nullptr; ///< Null: the program's one default loop.
  const Expr *Site = nullptr;
  const FunctionDecl *Poster = nullptr;
  const FunctionDecl *Body = nullptr;
  const LambdaExpr *BodyLambda = nullptr;
};

/// The facts at one program point.
struct FlowState {
  bool Reached = false;
  llvm::SmallVector<HeldLock, 2> Locks;  ///< Held on every path (must).
  llvm::SmallVector<unsigned, 2> Active; ///< Spawn ids possibly running (may).
  int HopSpawn = -1; ///< After `co_await pool.schedule()`: the hop's spawn id.

  bool operator==(const FlowState &O) const {
    return Reached == O.Reached && Locks == O.Locks && Active == O.Active &&
           HopSpawn == O.HopSpawn;
  }
  void join(const FlowState &O);
};

class ConcurrencyModel;

/// Locks held and spawns active before each statement of one function, computed
/// forward over its CFG.
class FunctionFlow {
public:
  FunctionFlow(const FunctionDecl &F, ASTContext &Ctx, const ConcurrencyModel &Model);
  /// The state just before \p S runs; null where \p S is unreachable or not in the CFG.
  const FlowState *stateBefore(const Stmt *S) const;
  const FlowState &exitState() const { return Exit; }
  bool valid() const { return Cfg != nullptr; }

private:
  void transfer(const CFGElement &E, FlowState &State, bool Record);
  void buildLoopExitJoins();

  const ConcurrencyModel &Model;
  std::unique_ptr<CFG> Cfg;
  std::unique_ptr<ParentMap> Parents;
  llvm::DenseMap<const Stmt *, FlowState> Before;
  /// The mutexes each RAII guard manages, and whether it locks them shared.
  llvm::DenseMap<const Decl *, std::pair<llvm::SmallVector<MemoryLocation, 2>, bool>>
      GuardMutexes;
  /// A join inside a loop (`for (auto &t : threads) t.join();`) has joined every
  /// handle once the loop exits, although the exit edge also comes from the loop entry.
  llvm::DenseMap<const Stmt *, llvm::SmallVector<const Decl *, 2>> LoopExitJoins;
  FlowState Exit;
};

/// Everything the data-race rule knows about threads, executors and locks.
class ConcurrencyModel {
public:
  explicit ConcurrencyModel(const ConcurrencyOptions &Options);

  // --- Classification of single calls -------------------------------------------------

  /// If \p E starts parallel work, describes it (without the flow facts).
  std::optional<SpawnSite> classifySpawn(const Expr &E, ASTContext &Ctx) const;
  /// `co_await pool.schedule()` on a thread pool: the coroutine continues on the pool.
  bool isPoolHop(const CXXMemberCallExpr &Call) const;
  /// A callback run by a single-threaded executor, if \p Call posts one.
  std::optional<LoopCallback> classifyLoopPost(const CallExpr &Call,
                                               const Callable *Callback) const;
  /// The handle a call waits for (thread, future, pthread_t, pool); null if none.
  const Decl *joinedHandle(const CallExpr &Call) const;
  /// `wg.wait()` on a WaitGroup: the group waited for.
  const Decl *waitedGroup(const CallExpr &Call) const;

  enum class LockEffect { None, Acquire, AcquireShared, Release };
  /// Explicit lock operations; \p Mutex is the lock expression.
  LockEffect lockEffect(const CallExpr &Call, const Expr *&Mutex) const;
  /// `lock_guard`, `unique_lock`, `scoped_lock`, `shared_lock` types.
  static bool isLockGuardType(QualType T, bool &SharedGuard);
  /// Types whose operations are synchronized by themselves: atomics, mutexes, condition
  /// variables, futures, executors. Accessing them is never a data race.
  static bool isSynchronizedType(QualType T);
  /// Declared by a concurrency library whose objects synchronize internally and whose
  /// code is not the user's to fix (untangle's runtime, Asio, Boost, cpprestsdk).
  static bool isThreadSafeLibraryDecl(const Decl *D);
  /// Calls whose pointer arguments are accessed atomically (`__atomic_*`, `__sync_*`,
  /// `atomic_*` C11 generics) or that synchronize their callable (`std::call_once`).
  static bool isAtomicOrOnceCall(const CallExpr &Call);

  // --- Translation-unit registry --------------------------------------------------------

  void addSpawn(SpawnSite S);
  void addLoopCallback(LoopCallback C);
  std::optional<unsigned> spawnAt(const Stmt *S) const;
  bool isContextLambda(const LambdaExpr *L) const { return ContextLambdas.count(L); }
  std::vector<SpawnSite> &spawns() { return Spawns; }
  const std::vector<SpawnSite> &spawns() const { return Spawns; }
  const std::vector<LoopCallback> &loopCallbacks() const { return Callbacks; }
  const FunctionFlow &flowOf(const FunctionDecl &F, ASTContext &Ctx);
  void clear();

  const LocationResolver Resolver{};

private:
  bool matches(const NameList &Patterns, const NamedDecl *D) const;
  const Decl *handleOf(const Expr &Site, ASTContext &Ctx) const;

  NameList SpawnPatterns, JoinPatterns, AcquirePatterns, ReleasePatterns;
  std::vector<SpawnSite> Spawns;
  std::vector<LoopCallback> Callbacks;
  llvm::DenseMap<const Stmt *, unsigned> SpawnIds;
  llvm::DenseSet<const LambdaExpr *> ContextLambdas;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionFlow>> Flows;
};

/// The declaration an expression designates as a handle or executor (`t`, `threads[i]`,
/// `this->pool_`, the range of a range-for loop variable).
const Decl *designatedDecl(const Expr *E);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_CONCURRENCYMODEL_H
