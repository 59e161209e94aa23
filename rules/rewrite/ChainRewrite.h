//===--- ChainRewrite.h - the rewrite fix-it of a finding ------*- C++ -*-===//
//
// What untangle-callback-nesting attaches to a finding (issue 5): the chain that starts
// at the outermost asynchronous call, rewritten in the RewriteStyle (coroutine, promise
// or none), or the reason it is not. One chain is rewritten once, however many of its
// callbacks are reported (one per branch that continues); the include is added with
// the first fix of a file.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_CHAINREWRITE_H
#define UNTANGLE_RULES_CHAINREWRITE_H

#include "nesting/AsyncCallModel.h"
#include "rewrite/CoroutineRewriter.h"
#include "rewrite/RewritePreconditions.h"
#include "llvm/ADT/DenseSet.h"
#include <string>

namespace clang::tidy::untangle {

struct ChainRewriteConfig {
  std::string Style;              ///< "coroutine", "promise" or "none"
  std::string MultiShotFunctions; ///< ';'-separated globs
  std::string AwaitableTwins;     ///< "callback_fn=awaitable_fn;..."
  /// What the coroutine style targets: "untangle" (the runtime's Task and
  /// from_callback), "asio" (Asio's awaitable and co_spawn; AsioTarget.h) or "auto"
  /// (asio when every step is an Asio operation).
  std::string Target = "auto";
};

class ChainRewriter {
public:
  ChainRewriter(const ChainRewriteConfig &Config, const AsyncCallModel &Model);

  /// The fix-its for the chain starting at \p Outermost, or why there are none. Empty
  /// (no fix, no refusal) when this chain was already handled with an earlier finding
  /// or the style is "none".
  RewriteResult rewrite(const CallExpr &Outermost, ASTContext &Context);

  /// The fix-its for the flat chain starting in \p Entry through \p Functions (a chain
  /// of member functions; MemberChainRewriter.h), or why there are none. With
  /// RewriteTarget auto, a chain whose Asio form is refused gets the runtime's form when
  /// that is offered (RewriteResult::AsioRefused says why not Asio's).
  RewriteResult rewriteFlat(const FunctionDecl &Entry,
                            llvm::ArrayRef<const FunctionDecl *> Functions,
                            ASTContext &Context);

  /// The note that says why a chain is not rewritten.
  static std::string refusalMessage(const Refusal &R, llvm::StringRef Style);

  void endOfTranslationUnit();

private:
  ChainRewriteConfig Config;
  const AsyncCallModel &Model;
  MultiShotModel MultiShot;
  RewriteOptions Options;
  llvm::DenseSet<SourceLocation> Handled;
  llvm::DenseSet<unsigned> FilesWithInclude;
  llvm::DenseSet<unsigned> FilesWithAsioPrelude;
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_CHAINREWRITE_H
