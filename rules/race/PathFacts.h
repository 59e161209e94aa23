//===--- PathFacts.h - conditions known on a path ---------------*- C++ -*-===//
//
// Spawns and joins often depend on the same condition: a thread created only
// `if (parallel)` and joined only `if (parallel)`, a flag set when `pthread_create`
// succeeds and tested before `pthread_join`, a handle cleared when creation fails and
// joined under `if (t && ...)`. A may-analysis that forgets why a spawn happened sees a
// path on which the thread runs but is never joined. The flow analysis therefore keeps
// the facts a path has established (a variable truthy or falsy, a condition true or
// false) and, for each spawn that may be running, the facts that held wherever it was
// started; a branch that contradicts those facts does not carry the spawn. Facts on a
// variable die when it is written. This file says what a condition or a store
// establishes; race/Locksets.cpp applies it.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_PATHFACTS_H
#define UNTANGLE_RULES_RACE_PATHFACTS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace clang::tidy::untangle {

/// A condition known to hold on a path: a variable (or a field) is truthy or falsy,
/// or an expression (`n > 1`, a `pthread_create(...)` call) is.
struct Fact {
  const ValueDecl *Variable = nullptr; ///< Set for `v`, `this->v`, `s.v`.
  unsigned Shape = 0;                  ///< Otherwise: the expression's profile hash.
  bool Truthy = true;
  /// The variables the expression reads: writing one of them ends the fact.
  llvm::SmallVector<const ValueDecl *, 2> Reads;

  bool sameKey(const Fact &O) const {
    return Variable ? Variable == O.Variable : !O.Variable && Shape == O.Shape;
  }
  bool operator==(const Fact &O) const { return sameKey(O) && Truthy == O.Truthy; }
};

using FactList = llvm::SmallVector<Fact, 2>;

/// The fact that holds where \p Condition evaluated to \p Taken: `!c`, `c == 0`,
/// `c != NULL`, `c == nullptr`, a smart pointer's `operator bool` are normalized to a
/// fact on `c`. A call is a fact only if it is `pthread_create` or \p StatusCall
/// says its result tells whether threads it starts were started.
std::optional<Fact> factOf(const Expr *Condition, bool Taken, ASTContext &Ctx,
                           llvm::function_ref<bool(const CallExpr &)> StatusCall = {});
/// The truthiness of a constant (`0`, `-1`, `NULL`, `true`, an address); unset if
/// \p E is not one.
std::optional<bool> constantTruth(const Expr *E, ASTContext &Ctx);

/// The declaration a truthiness test is about (`t` in `if (t)`, `if (!t)`,
/// `if (t.joinable())`) and whether the test is true when it holds something; null if
/// the condition tests no variable.
const ValueDecl *testedVariable(const Expr *Condition, bool &TrueWhenSet);

/// Does \p Facts say the opposite of \p F?
bool contradicts(const FactList &Facts, const Fact &F);
/// Adds \p F, replacing a fact on the same key; keeps at most \p Max facts. When full,
/// the oldest fact goes: the newest ones (a spawn's own `pthread_create(..) == 0`, the
/// branch just taken) are the ones a nearby join or error path is correlated with, and
/// dropping any fact only loses precision (fewer branches are found contradictory).
void addFact(FactList &Facts, const Fact &F, unsigned Max);
/// Keeps the facts \p Other has too (a merge of two paths).
void intersectFacts(FactList &Facts, const FactList &Other);
/// Drops the facts a write of \p V ends.
void killFacts(FactList &Facts, const ValueDecl *V);

/// What a statement stores into a scalar variable: `v = 0`, `int v = 1`, `v++`, `&v`
/// (whatever a callee does through it). Value is what was stored, if a plain store.
struct VariableWrite {
  const ValueDecl *Variable = nullptr;
  const Expr *Value = nullptr;
  std::optional<bool> ConstantTruthy;
};
llvm::SmallVector<VariableWrite, 1> variableWrites(const Stmt &S, ASTContext &Ctx);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_RACE_PATHFACTS_H
