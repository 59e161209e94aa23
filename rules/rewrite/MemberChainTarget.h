//===--- MemberChainTarget.h - which coroutine a member chain becomes -*- C++ -*-===//
//
// The RewriteTarget of a flat chain (MemberChainRewriter.h): Asio's own coroutine
// (AsioTarget.h) when the option says asio, or auto and every step is an Asio operation
// or a leading dispatch/post; else the bundled runtime's (UntangleTarget.h). This file
// decides which, refuses a step the chosen form cannot await with the same behaviour,
// and writes how the runtime's form binds a step's results.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_MEMBERCHAINTARGET_H
#define UNTANGLE_RULES_MEMBERCHAINTARGET_H

#include "rewrite/MemberChainRewriter.h"
#include "rewrite/MemberChainSteps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <string>
#include <vector>

namespace clang::tidy::untangle {

struct TargetPlan {
  bool ToAsio = false;
  /// The runtime's form: per step (index into the steps), the types from_callback takes,
  /// the next member's parameter types as written.
  llvm::DenseMap<unsigned, std::vector<std::string>> CallbackTypes;
  SourceLocation RefusedAt;
  std::string Refusal; ///< why not, for the flat-chain note; empty when planned
};

TargetPlan planMemberChainTarget(llvm::ArrayRef<Step> Steps, const MemberChainConfig &Config,
                                 const SourceManager &SM, const LangOptions &LangOpts);

/// The refusal of a step that is not an Asio operation under RewriteTarget asio.
std::string notAnAsioStep(const Step &S);

/// How the runtime's form binds the results of an operation whose handler is \p Next:
/// `x = ` or `std::tie(a, std::ignore) = ` when every named parameter is in a visible
/// variable of its type (\p Reusable), else `T x = ` or `auto [a, b] = ` (Declares).
struct CallbackBinding {
  std::string Prefix;
  bool Declares = false;
};
CallbackBinding bindCallbackResults(const CXXMethodDecl &Next,
                                    llvm::function_ref<bool(const ParmVarDecl &)> Reusable,
                                    llvm::function_ref<std::string()> FreshUnused,
                                    const SourceManager &SM, const LangOptions &LangOpts);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_MEMBERCHAINTARGET_H
