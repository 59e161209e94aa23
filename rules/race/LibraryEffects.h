//===--- LibraryEffects.h - what library types and calls do to memory -*- C++ -*-===//
//
// The effects of code the rule does not walk: library objects that synchronize by
// themselves (atomics, mutexes, executors: accessing them is never a race), libraries
// whose objects are thread-safe by contract, calls that access their operands
// atomically, and the standard containers' members that only read the container
// although they are not const ([container.requirements.dataraces]).
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_LIBRARYEFFECTS_H
#define UNTANGLE_RULES_RACE_LIBRARYEFFECTS_H

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"

namespace clang::tidy::untangle {

/// Types whose operations are synchronized by themselves: atomics, mutexes, condition
/// variables, futures, executors. Accessing them is never a data race.
bool isSynchronizedType(QualType T);
/// Declared by a concurrency library whose objects synchronize internally and whose
/// code is not the user's to fix (untangle's runtime, Asio, Boost, cpprestsdk).
bool isThreadSafeLibraryDecl(const Decl *D);
/// Calls whose pointer arguments are accessed atomically (`__atomic_*`, `__sync_*`,
/// `atomic_*` C11 generics) or that synchronize their callable (`std::call_once`).
bool isAtomicOrOnceCall(const CallExpr &Call);
/// A non-const member of a standard container that only reads it (`begin`, `find`).
bool isContainerReadOnlyMember(const CXXMethodDecl &M);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_RACE_LIBRARYEFFECTS_H
