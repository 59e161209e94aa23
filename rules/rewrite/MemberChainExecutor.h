//===--- MemberChainExecutor.h - where a member coroutine runs --*- C++ -*-===//
//
// A member coroutine (MemberChainRewriter.h) runs every step on one executor, the one it
// is co_spawned on. The chain it replaces ran each handler on that handler's own
// executor: a handler bound with `bind_executor(X, ...)` on X, the handler of a leading
// `net::dispatch(X, ...)` / `net::post(X, ...)` on X, any other on the executor of its
// operation's I/O object. This file picks the coroutine's executor and refuses a chain
// that would then run a handler elsewhere than before, or whose leading hop co_spawn
// does not stand for:
//  - dispatch lets the executor run the handler at once or queue it; co_spawn queues the
//    coroutine (Boost 1.74) or dispatches it (Asio 1.22): both are what dispatch allows;
//  - post always queues: Boost 1.74's co_spawn does the same (one post, then the body);
//    Asio 1.22's dispatches, which could run the body before post returned: refused.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_MEMBERCHAINEXECUTOR_H
#define UNTANGLE_RULES_MEMBERCHAINEXECUTOR_H

#include "rewrite/MemberChainSteps.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/ArrayRef.h"
#include <string>

namespace clang::tidy::untangle {

struct ExecutorPlan {
  std::string Executor; ///< co_spawn's first argument, as written; empty when refused
  SourceLocation RefusedAt;
  std::string Refusal; ///< why not, for the flat-chain note
};

/// Where the coroutine of \p Steps runs (\p Standalone: the file's Asio is standalone
/// Asio, else Boost.Asio): the executor of the first step's handler. Every other
/// handler must have run there too when the chain binds handlers to executors or hops
/// through dispatch/post; a dispatch or post is taken only as the first step.
ExecutorPlan planCoroutineExecutor(llvm::ArrayRef<Step> Steps, bool Standalone,
                                   const SourceManager &SM, const LangOptions &LangOpts);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_MEMBERCHAINEXECUTOR_H
