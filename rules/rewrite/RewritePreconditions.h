//===--- RewritePreconditions.h - when a chain may be rewritten -*- C++ -*-===//
//
// The reasons a chain of nested callbacks is not rewritten, and the questions about an
// asynchronous API that decide some of them: does it call back more than once, does it
// use the callback's result, can it call back synchronously. Both rewriters (coroutine
// and promise) share them; every refusal becomes a note on the finding that names the
// reason (docs/rules/untangle-callback-nesting.md has one section per reason).
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_REWRITEPRECONDITIONS_H
#define UNTANGLE_RULES_REWRITEPRECONDITIONS_H

#include "nesting/AsyncCallModel.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace clang::tidy::untangle {

enum class RefusalReason {
  MultiShot,       ///< the API may call the callback more than once
  NotTailPosition, ///< statements after the asynchronous call run before its callback
  FanOut,          ///< a loop starts asynchronous calls
  InsideCatch,     ///< the next step would be awaited inside a catch handler
  InsideTry,       ///< later exceptions would reach a try block they never reached
  ResultUsed,      ///< the callback returns a value the API uses
  Goto,            ///< goto or labels in a callback
  Macro,           ///< part of the chain comes from a macro expansion
  NotALambda,      ///< a callback in the chain is a function, not a lambda
  CaptureMode,     ///< a capture the flattened code cannot keep as it was
  Unsupported,     ///< a shape the rewriter does not handle (named in the detail)
  PromiseOrder,    ///< promise style only: continuations as microtasks could reorder events
  FlatChain,       ///< the steps are separate functions (a flat chain), not nested lambdas
};

/// The short name of a reason, as used in notes, the report and the differential cases.
llvm::StringRef refusalName(RefusalReason Reason);

struct Refusal {
  RefusalReason Reason;
  SourceLocation Loc;
  std::string Detail; ///< One sentence: what was found, in terms of the code.
};

/// Globs (`watch*`, `*_each`, `uWS::*`) of functions whose callback runs more than once.
/// A glob without `:` is matched against the unqualified name, one with `:` against the
/// qualified name, one starting with `::` against the fully qualified name (NameList).
extern const char DefaultMultiShotFunctions[];

class MultiShotModel {
public:
  explicit MultiShotModel(const std::vector<std::string> &Globs);
  /// True when \p Callee matches a MultiShotFunctions glob, or its definition visibly
  /// stores the callback parameter \p ParamIndex and calls it from a loop.
  bool isMultiShot(const FunctionDecl &Callee, unsigned ParamIndex) const;

private:
  NameList Names;
};

/// For the promise style: true when \p Callee is known to call its callback parameter
/// \p ParamIndex only later, from a task of its own on the event loop, as the last
/// thing that task does (so that a promise continuation, a microtask queued right
/// there, runs before any other work, exactly as the callback body did). Known for the
/// runtime's post/set_timeout, and for user functions whose definition shows it.
bool callsBackLastFromOwnLoopTask(const FunctionDecl &Callee, unsigned ParamIndex);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_REWRITEPRECONDITIONS_H
