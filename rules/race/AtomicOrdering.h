//===--- AtomicOrdering.h - atomics as message passing ----------*- C++ -*-===//
//
// An atomic flag is how much real code hands data from one thread to another: the
// producer writes the data, then stores the flag with release (or seq_cst) order; the
// consumer spins until an acquire (or seq_cst) load sees it, then reads the data. The
// store synchronizes with the load, so what comes before the store happens before what
// comes after the loop. The lockset analysis models this edge as it models
// ThreadSanitizer's happens-before annotations: the storing function holds the flag up
// to the store, the spinning one from the loop's exit on. This file recognizes the two
// ends; relaxed operations are no edge.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_ATOMICORDERING_H
#define UNTANGLE_RULES_RACE_ATOMICORDERING_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"

namespace clang::tidy::untangle {

/// If \p S stores to an atomic (a store, an exchange or a read-modify-write) with
/// release order or stronger: the atomic object, or a pointer to it.
const Expr *releasedAtomic(const Stmt &S, ASTContext &Ctx);

/// If the loop condition \p Condition is decided by a load of an atomic with acquire
/// order or stronger (`!ready.load(std::memory_order_acquire)`, `count < n` on a
/// `std::atomic`, `!flag` on a C11 `_Atomic`): the atomic object, or a pointer to it.
const Expr *acquiredAtomic(const Expr &Condition, ASTContext &Ctx);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_RACE_ATOMICORDERING_H
