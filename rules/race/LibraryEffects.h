//===--- LibraryEffects.h - what library types and calls do to memory -*- C++ -*-===//
//
// The effects of code the rule does not walk: library objects that synchronize by
// themselves (atomics, mutexes, executors: accessing them is never a race), libraries
// whose objects are thread-safe by contract, calls that access their operands
// atomically, the standard containers' members (those that may insert or erase write
// the container, those that only find or read it read it, const or not:
// [container.requirements.dataraces]), and C library calls, which access memory
// through their pointer arguments or hidden state of their own (race/LibraryCalls.h).
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_LIBRARYEFFECTS_H
#define UNTANGLE_RULES_RACE_LIBRARYEFFECTS_H

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "race/LibraryCalls.h"
#include <optional>

namespace clang::tidy::untangle {

/// Types whose operations are synchronized by themselves: atomics, mutexes, condition
/// variables, futures, executors. Accessing them is never a data race.
bool isSynchronizedType(QualType T);
/// Declared by a concurrency library whose objects synchronize internally and whose
/// code is not the user's to fix (untangle's runtime, Asio, Boost, cpprestsdk).
bool isThreadSafeLibraryDecl(const Decl *D);
/// Calls whose pointer arguments are accessed atomically (`__atomic_*`, `__sync_*`,
/// `atomic_*` C11 generics, `std::atomic_*`).
bool isAtomicCall(const CallExpr &Call);
/// `pthread_once(&flag, init)`, `std::call_once(flag, f, args...)`: the flag's
/// expression (a pointer for pthread_once, the flag itself for call_once), and in
/// \p Routine the callable run once; null if \p Call is neither.
const Expr *onceFlag(const CallExpr &Call, const Expr *&Routine);
/// Whether a member of a standard container writes the container: true for those that
/// may insert or erase (`map::operator[]`, `emplace`, `erase`, `push_back`, `=`),
/// false for those that only read it although they are not const (`at`, `find`,
/// `begin`, a vector's `[]`: threads usually own distinct elements); nullopt for the
/// rest, which are judged by their constness.
std::optional<bool> containerMemberWrites(const CXXMethodDecl &M);
/// The row of race/LibraryCalls.h for a call of \p F, a C library function (declared
/// in a system header, at global scope or in std); null for any other function.
const LibraryCall *libraryCall(const FunctionDecl &F);
/// What a call with row \p Row does through its argument \p Index: 'r', 'w', 'f' or
/// '-' (see LibraryCall). \p Pointee is the type the argument points to: a variadic
/// read is a `%s`, so only character pointers are read there.
char libraryArgumentEffect(const LibraryCall &Row, unsigned Index, QualType Pointee);

/// The end of a message through a pipe or a socket a call is: data written to a file
/// descriptor (`write`, `send`, `connect`) is what the other end reads (`read`,
/// `recv`, `accept` blocks for it), so what the writer did before the write happens
/// before what the reader does after the read, as ThreadSanitizer models descriptors.
enum class DescriptorEdge { None, Release, Acquire };
/// The edge \p Call makes, if a C library call on a descriptor that is not a constant
/// (`write(1, ..)` to stdout passes no message to a thread of the program).
DescriptorEdge descriptorEdge(const CallExpr &Call);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_RACE_LIBRARYEFFECTS_H
