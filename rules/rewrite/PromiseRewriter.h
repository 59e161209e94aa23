//===--- PromiseRewriter.h - nested callbacks to a promise chain -*- C++ -*-===//
//
// RewriteStyle=promise: the chain becomes one flat untangle::Promise chain,
// `to_promise(...).then(...).then(...)`, nesting depth one. Promise continuations run
// as microtasks, one loop hop after the callback they replace; the rewrite is offered
// only where that hop cannot change the order of events (see
// docs/rules/untangle-callback-nesting.md, "When the promise style is offered"), and
// refused with a note (promise-order) everywhere else.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_PROMISEREWRITER_H
#define UNTANGLE_RULES_PROMISEREWRITER_H

#include "rewrite/CoroutineRewriter.h"

namespace clang::tidy::untangle {

RewriteResult rewriteAsPromise(const CallbackChain &Chain, ASTContext &Context,
                               const RewriteOptions &Options);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_PROMISEREWRITER_H
