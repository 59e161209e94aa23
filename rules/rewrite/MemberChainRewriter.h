//===--- MemberChainRewriter.h - a flat chain to one member coroutine *- C++ -*-===//
//
// The rewrite of a flat chain (issue 13): member functions of one class, each starting
// an Asio operation whose handler is the next member (`bind_front_handler(&S::on_x,
// shared_from_this())`, `std::bind_front`, `std::bind(&S::on_x, shared_from_this(), _1,
// _2)`, or a lambda capturing `self = shared_from_this()` that calls `self->on_x(ec,
// n)`), or calling the next member plainly (`on_connect` calls `do_read()`). It becomes
// one member coroutine of Asio (RewriteTarget asio or auto):
//
//   void run(...) { <what preceded the first operation>
//     net::co_spawn(<I/O object>.get_executor(), run_coroutine(shared_from_this(), ...),
//                   net::detached); }
//   net::awaitable<void> run_coroutine(std::shared_ptr<S> self, ...) {
//     beast::error_code ec;
//     auto results = co_await resolver_.async_resolve(host, port,
//                                                     net::redirect_error(net::use_awaitable, ec));
//     <body of on_resolve, each later step the same way; return -> co_return>
//   }
//
// The entry keeps its signature; the coroutine owns the object through `self` (it starts
// only after a post, CP.51); a chain that comes back to an earlier member (a read/write
// loop, an accept loop) becomes `for (;;)`. The members that only continued the chain are
// removed. Anything that could behave differently is refused with the reason.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_MEMBERCHAINREWRITER_H
#define UNTANGLE_RULES_MEMBERCHAINREWRITER_H

#include "rewrite/CoroutineRewriter.h"

namespace clang::tidy::untangle {

/// Rewrites the flat chain that starts in \p Entry (the function of its first
/// asynchronous step) and passes through \p ChainFunctions into one member coroutine, or
/// says why not (reason flat-chain).
RewriteResult rewriteMemberChain(const FunctionDecl &Entry,
                                 llvm::ArrayRef<const FunctionDecl *> ChainFunctions,
                                 ASTContext &Context, const RewriteOptions &Options);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_MEMBERCHAINREWRITER_H
