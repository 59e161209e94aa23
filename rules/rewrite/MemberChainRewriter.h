//===--- MemberChainRewriter.h - a flat chain to one member coroutine *- C++ -*-===//
//
// The rewrite of a flat chain (issue 13): member functions of one class, each starting
// an Asio operation whose handler is the next member (`bind_front_handler(&S::on_x,
// shared_from_this())`, `std::bind_front`, `std::bind(&S::on_x, shared_from_this(), _1,
// _2)`, or a lambda capturing `self = shared_from_this()` that calls `self->on_x(ec,
// n)`), or calling the next member plainly (`on_connect` calls `do_read()`). It becomes
// one member coroutine. For RewriteTarget asio (or auto when every step is an Asio
// operation) it is one of Asio:
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
// removed. For RewriteTarget untangle (or auto when a step is another callback API) the
// same coroutine is an `untangle::Task<void>` started with `untangle::spawn(...)` where
// the first operation stood (it runs at once up to its first co_await), each step
// `auto [ec, body] = co_await untangle::from_callback<std::error_code, std::string>(
// [&](auto untangle_cb) { client_.get(url, std::move(untangle_cb)); });` with the types
// of the next member's parameters (UntangleTarget.h). Anything that could behave
// differently is refused with the reason.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_MEMBERCHAINREWRITER_H
#define UNTANGLE_RULES_MEMBERCHAINREWRITER_H

#include "rewrite/CoroutineRewriter.h"
#include "rewrite/RewritePreconditions.h"

namespace clang::tidy::untangle {

/// The RewriteTarget of a member chain: Asio's coroutines, the runtime's, or Asio's
/// when every step is an Asio operation and else the runtime's.
enum class MemberChainTarget { Auto, Asio, Untangle };

struct MemberChainConfig {
  MemberChainTarget Target = MemberChainTarget::Auto;
  /// A step whose API may call back more than once is refused for the runtime's form
  /// (a co_await resumes once).
  const MultiShotModel *MultiShot = nullptr;
  /// The runtime's form awaits only calls this model finds asynchronous in the argument
  /// the handler is passed as (from_callback resumes once, and a synchronous API such as
  /// an algorithm may call it many times).
  const AsyncCallModel *Model = nullptr;
};

/// Rewrites the flat chain that starts in \p Entry (the function of its first
/// asynchronous step) and passes through \p ChainFunctions into one member coroutine, or
/// says why not (reason flat-chain). RewriteResult::ToAsio says which target it took;
/// Options.AddAsioPrelude or Options.AddInclude asks for that target's additions to the
/// file.
RewriteResult rewriteMemberChain(const FunctionDecl &Entry,
                                 llvm::ArrayRef<const FunctionDecl *> ChainFunctions,
                                 ASTContext &Context, const RewriteOptions &Options,
                                 const MemberChainConfig &Config);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_MEMBERCHAINREWRITER_H
