//===--- DataRaceCheck.h - untangle-data-race -------------------*- C++ -*-===//
//
// The check itself: it finds the spawn sites while the AST is matched (so that files
// without threads cost nothing more), and at the end of the translation unit has every
// context's accesses collected (race/AccessCollector.h), pairs them -- same location,
// one a write, no common lock, contexts that may run in parallel (race/AccessPairs.cpp)
// -- and reports each racy location once, at the less protected write, with notes
// naming the other accesses of its racy pairs and saying why the sides run in
// parallel, and an `std::atomic` fix where it compiles (AtomicFix.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_DATARACECHECK_H
#define UNTANGLE_RULES_DATARACECHECK_H

#include "nesting/AsyncCallModel.h"
#include "race/AccessCollector.h"
#include "race/ConcurrencyModel.h"
#include "race/UserCodeParents.h"
#include "race/PointerTargets.h"
#include "race/Publication.h"
#include "ReportScope.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

namespace clang::tidy::untangle {

/// Finds data races: a location that two contexts able to run in parallel access, at
/// least one of them writing, neither atomically, with no lock held in common.
///
/// For the user-facing documentation see docs/rules/untangle-data-race.md.
class DataRaceCheck : public ClangTidyCheck {
public:
  DataRaceCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void registerPPCallbacks(const SourceManager &SM, Preprocessor *PP,
                           Preprocessor *ModuleExpanderPP) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

private:
  friend class AccessCollector;

  /// Classifies a matched call that may start parallel work and records its spawn.
  void addSpawnSite(const Expr *Site);
  void collectLoopCallbacks();
  /// What each spawn's spawner knows of it: what runs at its site, whether it
  /// outlives the spawner (SpawnOverlap.cpp).
  void computeSpawnFacts();
  /// Threads that outlive their spawner, seen from its callers (OutlivingSpawns.cpp).
  void liftEscapingSpawns();
  std::optional<SpawnSite> liftSpawn(unsigned Id, const Expr &Call,
                                     const FunctionDecl &Caller);
  /// Threads started by threads: each spawn's parents and ancestors, and whether its
  /// spawner runs twice at once (SpawnOverlap.cpp).
  void relateNestedSpawns();
  /// May spawns \p S and \p T (or two runs of one) run at the same time? \p Depth
  /// bounds the ancestors asked.
  bool spawnsOverlap(unsigned S, unsigned T, unsigned Depth) const;
  std::vector<Access> collectAccesses();
  /// Which pairs of accesses race: this and the predicates below it, down to runsOnce,
  /// live in AccessPairs.cpp.
  bool mayRunInParallel(const Access &A, const Access &B) const;
  bool protectedByCommonLock(const Access &A, const Access &B) const;
  /// Is \p Creator's access, made under a lock held since it started \p Thread's
  /// spawn, ordered before \p Thread's, made after the thread took that lock?
  bool orderedByCreationLock(const Access &Creator, const Access &Thread) const;
  /// Is \p Inside's access, made by a thread run entirely inside a critical section of
  /// its spawner (race/CreationLocks.cpp), ordered with \p Taker's, made under that lock
  /// by a thread that took it itself?
  bool orderedByLockAroundRun(const Access &Inside, const Access &Taker) const;
  /// Does spawn \p Later, or the one of its ancestors started by \p Earlier's thread,
  /// start after \p Earlier's access on every path (`a() { g++; create(c); }`)?
  bool startedAfter(const Access &Earlier, unsigned Later) const;
  /// Is spawn \p Id the one run of its body: created once, outside loops, from `main`,
  /// its body named nowhere else?
  bool runsOnce(unsigned Id) const;
  /// A racy location: its first racy pair in source order, and the accesses of the
  /// later pairs.
  struct RacyLocation {
    const Access *First, *Second;
    llvm::SetVector<const Access *> Others; ///< In the order first seen.
  };
  void reportRace(const RacyLocation &Race);
  void describeSpawn(unsigned SpawnId);
  void describeLoopCallback(unsigned Index);
  void addAtomicFix(DiagnosticBuilder &Diag, const MemoryLocation &Location);
  bool atomicFixCompiles(const ValueDecl &D) const;
  void validatePatterns(llvm::StringRef OptionName, llvm::StringRef Value);

  const std::string ParallelSpawnFunctions;
  const std::string JoinFunctions;
  const std::string AcquireFunctions;
  const std::string ReleaseFunctions;
  const unsigned MaxCallDepth;
  /// A free of an object the analysis cannot name writes each field of its class; a
  /// class with more fields is skipped, since every access is paired with every other.
  const unsigned MaxFreedFields;
  /// How many branch conditions a path remembers to match spawns with their joins.
  const unsigned MaxPathFacts;
  /// How many more accesses of a racy location its warning names, beyond the first pair.
  const unsigned MaxConflictNotes;
  /// A call through a function pointer that may hold more functions is not followed.
  const unsigned MaxFunctionTargets;
  const bool GuessWrappers;
  const AsyncCallModel AsyncModel;
  ConcurrencyModel Model;
  PointerTargets Pointers;
  std::optional<UnpublishedObjects> Unpublished;
  ReportScope Scope;

  ASTContext *Ctx = nullptr;
  /// The calls matched in the shown code that may start parallel work, in match order.
  std::vector<const Expr *> PendingSites;
  /// The parent map limited to the user's code while the end of a translation unit is
  /// analyzed (race/UserCodeParents.h); mutable: a const query may need it widened.
  mutable std::optional<UserCodeParents> LimitedParents;
  bool SawLoopPost = false;
  /// Where `#include <atomic>` goes, and whether the main file already has it.
  SourceLocation FirstInclude;
  bool IncludesAtomic = false;
  bool IncludeInserted = false;
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_DATARACECHECK_H
