//===--- CalleeBodies.h - which bodies a call is followed into ----*- C++ -*-===//
//
// A context's accesses include those of the functions it calls (race/AccessCollector.h).
// Which bodies a call runs is decided here: its callee; through a function pointer,
// each function the pointer may hold (race/PointerTargets.h) or the one a spawner
// stored in the thread's own record (race/Publication.h); and the functions handed to a
// function whose body is not here, which may call them back during the call. A body
// is not followed too deep (MaxCallDepth), into recursion, or into a library's code.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_CALLEEBODIES_H
#define UNTANGLE_RULES_RACE_CALLEEBODIES_H

#include "race/MemoryLocation.h"
#include "race/PointerTargets.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::untangle {

/// Which bodies the calls of one function, walked in one context, are followed into.
class CalleeBodies {
public:
  CalleeBodies(PointerTargets &Pointers, const LocationResolver &Resolver,
               ASTContext &Ctx, const FunctionDecl &Function, const Environment &Env,
               unsigned Depth, unsigned MaxCallDepth)
      : Pointers(Pointers), Resolver(Resolver), Ctx(Ctx), Function(Function), Env(Env),
        Depth(Depth), MaxCallDepth(MaxCallDepth) {}

  /// The functions \p Call runs that are followed: its callee or each function a
  /// function pointer may hold.
  llvm::SmallVector<const FunctionDecl *, 2> ofCall(const CallExpr &Call) const;
  /// The functions handed to a function of the program whose body is not in this
  /// translation unit (`foo(bar)`, `foo` declared extern): it may call them back
  /// during the call. A library's functions (system headers) are known by the table
  /// and the spawn model instead.
  llvm::SmallVector<const FunctionDecl *, 2> handedOut(const CallExpr &Call) const;
  /// The body a call of \p Callee is followed into; null for one too deep, recursive,
  /// without a body here, or a library's.
  const FunctionDecl *definitionOf(const FunctionDecl &Callee) const;

private:
  const FunctionDecl *storedInRecord(const Expr *Callee) const;

  PointerTargets &Pointers;
  const LocationResolver &Resolver;
  ASTContext &Ctx;
  const FunctionDecl &Function;
  const Environment &Env;
  const unsigned Depth;
  const unsigned MaxCallDepth;
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_RACE_CALLEEBODIES_H
