//===--- PointerTargets.h - what a pointer place may hold -------*- C++ -*-===//
//
// A call through a function pointer (`handler(x)`, `ops->run(x)`, `table[op](x)`) runs
// whatever function was stored there, and its accesses race like a direct call's; a
// pointer field of a thread's argument struct (`*args->sum`) reaches whatever object
// the spawner stored there (`args->sum = &sum`). So the data-race rule names each
// place that holds a pointer -- a variable (global, static, local, a parameter), a
// field (of any object of its class) or an array (any element) -- and collects, once
// per translation unit, what it may hold: initializers (also of structs and arrays,
// designated or not), assignments, a copy from another such place, and the functions
// callers pass for a function-pointer parameter. A call through the place is followed
// into each function; a field or a global that only ever holds the address of one
// variable points to it; a place whose address is taken may hold anything.
// Flow-insensitive: a pointer may hold anything stored into it anywhere in the
// translation unit. The same walk notes which functions take the address of a
// thread_local, sharing their thread's instance.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_POINTERTARGETS_H
#define UNTANGLE_RULES_RACE_POINTERTARGETS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::untangle {

class PointerTargets {
public:
  /// A place holding more than \p MaxTargets functions is not followed (each target
  /// is a walk of its body from every call through the place).
  explicit PointerTargets(unsigned MaxTargets) : MaxTargets(MaxTargets) {}

  /// The functions a call whose callee expression is \p Callee may run (`f`, `*f`,
  /// `s->run`, `table[i]`); empty if the place cannot be named, holds no known
  /// function, or holds more than MaxTargets.
  llvm::SmallVector<const FunctionDecl *, 2> targetsOf(const Expr *Callee, ASTContext &Ctx);
  /// The one variable whose address a pointer place ever holds (`args->sum = &sum`
  /// everywhere, `g1 = g2 = &g`, a null pointer aside), also through copies from other
  /// places; null if it may hold anything else or its own address is taken (it may be
  /// written through that). Answers only once the table is built (build()).
  const VarDecl *onlyObjectOf(const ValueDecl *Place) const;
  /// Every variable whose address the place may hold; empty if it may hold anything
  /// else too (the same conditions as onlyObjectOf).
  llvm::SmallVector<const VarDecl *, 2> objectsOf(const ValueDecl *Place) const;
  /// Is anything stored into \p Place besides its initializer (an assignment, or its
  /// address taken)? Answers only once the table is built.
  bool reassigned(const ValueDecl *Place) const;
  /// The value of \p Place's one store when it is assigned exactly once and its
  /// address never taken (`int *z; .. z = y;`); null otherwise.
  const Expr *soleAssignment(const ValueDecl *Place) const;
  /// Does \p F take the address of the thread_local \p V (`&tls`, `&tls.f`), and so
  /// may share its thread's instance with whomever it hands it? Once built.
  bool handsOut(const FunctionDecl *F, const VarDecl *V) const {
    return HandedOut.contains({F, V});
  }
  /// Collects the translation unit's stores (once).
  void build(ASTContext &Ctx);
  /// Forgets the translation unit's table.
  void clear();

  /// The place an expression of function-pointer type names: its variable, its field,
  /// or its array's variable or field; null if none.
  static const ValueDecl *placeOf(const Expr *E);

private:
  friend class FunctionPointerStores;

  /// What one place was given: functions, addresses of variables, other places it was
  /// copied from, and whether anything else (a call's result, arithmetic).
  struct Contents {
    llvm::SmallVector<const FunctionDecl *, 2> Functions;
    llvm::SmallVector<const VarDecl *, 1> Objects;
    llvm::SmallVector<const ValueDecl *, 1> CopiedFrom;
    bool Opaque = false;
    /// Stores other than the declaration's initializer.
    unsigned Assignments = 0;
    /// The value of the last assignment (of the only one, when Assignments is 1).
    const Expr *Assigned = nullptr;
  };
  void store(const ValueDecl *Place, const Expr *Value);
  void assign(const ValueDecl *Place, const Expr *Value) {
    Contents &Into = Places[Place];
    ++Into.Assignments;
    Into.Assigned = Value;
    store(Place, Value);
  }

  const unsigned MaxTargets;
  bool Built = false;
  llvm::DenseMap<const ValueDecl *, Contents> Places;
  llvm::DenseSet<std::pair<const FunctionDecl *, const VarDecl *>> HandedOut;
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_RACE_POINTERTARGETS_H
