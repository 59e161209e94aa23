//===--- UntangleTarget.h - rewriting to the bundled runtime ----*- C++ -*-===//
//
// The `untangle` RewriteTarget: a step of a chain becomes
// `co_await untangle::from_callback<Args...>([&](auto untangle_cb) { op(..., std::move(untangle_cb)); })`
// inside an `untangle::Task<void>` started with `untangle::spawn`, which runs it at once
// up to its first suspension (task.hpp rule 4), so the first operation starts where the
// call stood. This file holds the text both the nested-lambda rewrite
// (CoroutineRewriter.h) and the member-chain rewrite (MemberChainRewriter.h) write for it.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_UNTANGLETARGET_H
#define UNTANGLE_RULES_UNTANGLETARGET_H

#include "clang/AST/Decl.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/ArrayRef.h"
#include <string>

namespace clang::tidy::untangle {

/// `untangle::from_callback<Types...>([&](auto <CallbackName>) { <Call>; })`: \p Call is
/// the operation with `std::move(<CallbackName>)` in place of its callback.
std::string untangleFromCallback(llvm::ArrayRef<std::string> Types,
                                 llvm::StringRef CallbackName, llvm::StringRef Call);

/// How a step of the nested form binds the results of `co_await from_callback<...>`
/// (callback parameters \p Params, named \p Names, the first written \p FirstType):
/// `x = ` or `std::tie(x, std::ignore) = ` when it assigns earlier variables (\p Reuse),
/// `T x = ` for one result, `auto [a, b] = ` for several, nothing when none is named.
std::string untangleResultBinding(llvm::ArrayRef<ParmVarDecl *> Params,
                                  llvm::ArrayRef<std::string> Names,
                                  llvm::StringRef FirstType, bool Reuse);

/// The callback argument the awaited operation gets instead of its handler.
std::string untangleCallbackArgument(llvm::StringRef CallbackName);

/// `#include <untangle/runtime.hpp>` where the file's includes end before \p Before.
FixItHint untangleRuntimeInclude(const SourceManager &SM, FileID File, unsigned Before);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_UNTANGLETARGET_H
