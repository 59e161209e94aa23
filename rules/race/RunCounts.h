//===--- RunCounts.h - code that runs at most once ----------------*- C++ -*-===//
//
// Some orderings hold only for code that runs once: a barrier's waits can be counted
// only if no wait repeats (race/Barriers.h), and what a thread does before it starts
// another comes before that one only if no second run of the first is around
// (DataRaceCheck::startedAfter). A statement runs at most once per call of its
// function when no loop or label surrounds it; a function runs once per naming when
// the translation unit names it only where a thread is created with it (a call, or
// its address kept anywhere else, would run it again).
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_RUNCOUNTS_H
#define UNTANGLE_RULES_RACE_RUNCOUNTS_H

#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"

namespace clang::tidy::untangle {

/// The function \p S is written in if \p S runs at most once per call of it: outside
/// loops, in a function without labels; null otherwise, and in a lambda's body.
const FunctionDecl *runsOnceIn(const Stmt &S, ASTContext &Ctx);

/// How many times the translation unit's own code names each function (calls it or
/// takes its address), counted in one walk when first asked.
class FunctionMentions {
public:
  unsigned count(const FunctionDecl &F, ASTContext &Ctx);
  void clear() {
    Counts.clear();
    Counted = false;
  }

private:
  llvm::DenseMap<const FunctionDecl *, unsigned> Counts;
  bool Counted = false;
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_RACE_RUNCOUNTS_H
