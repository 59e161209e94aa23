//===--- DataRaceCheck.h - untangle-data-race -------------------*- C++ -*-===//

#ifndef UNTANGLE_RULES_DATARACECHECK_H
#define UNTANGLE_RULES_DATARACECHECK_H

#include "nesting/AsyncCallModel.h"
#include "race/ConcurrencyModel.h"
#include "ReportScope.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::untangle {

/// One read or write of a shared location, with what held at that point.
struct Access {
  /// Who runs the code: a spawned body, a single-threaded executor's callback, or the
  /// spawning function itself (which runs in parallel only while a spawn is active).
  enum class OwnerKind { Spawn, LoopCallback, Spawner };
  MemoryLocation Location;
  bool Write = false;
  bool FrameLocal = false;
  const Expr *E = nullptr;
  llvm::SmallVector<HeldLock, 2> Locks;
  llvm::SmallVector<unsigned, 2> Active;
  llvm::SmallVector<const CallExpr *, 2> Via; ///< Calls from the context's entry.
  OwnerKind Owner = OwnerKind::Spawner;
  unsigned OwnerIndex = 0;
};

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

  void collectLoopCallbacks();
  void computeSpawnFacts();
  std::vector<Access> collectAccesses();
  bool mayRunInParallel(const Access &A, const Access &B) const;
  bool protectedByCommonLock(const Access &A, const Access &B) const;
  void reportRace(const Access &A, const Access &B);
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
  const AsyncCallModel AsyncModel;
  ConcurrencyModel Model;
  ReportScope Scope;

  ASTContext *Ctx = nullptr;
  bool SawLoopPost = false;
  /// Where `#include <atomic>` goes, and whether the main file already has it.
  SourceLocation FirstInclude;
  bool IncludesAtomic = false;
  bool IncludeInserted = false;
  llvm::DenseSet<const ValueDecl *> Reported;
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_DATARACECHECK_H
