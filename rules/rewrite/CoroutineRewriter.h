//===--- CoroutineRewriter.h - nested callbacks to one coroutine *- C++ -*-===//
//
// Rewrites a chain (CallbackChain.h) into one coroutine, started with untangle::spawn
// where the outermost call stood:
//
//   untangle::spawn([](<captures as parameters>) -> untangle::Task<void> {
//     auto [ec, text] = co_await untangle::from_callback<std::error_code, std::string>(
//         [&](auto untangle_cb) { read_file(path, std::move(untangle_cb)); });
//     <the callback's body, with the next level rewritten the same way>
//   }(<the captured expressions>));
//
// The coroutine is a capture-less lambda (CP.51): what the callbacks captured become
// its parameters, by value or by reference as captured; `this` becomes a pointer
// parameter and implicit member uses go through it. `return` in a callback becomes
// `co_return`. Names that would now be declared twice in one scope are renamed.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_COROUTINEREWRITER_H
#define UNTANGLE_RULES_COROUTINEREWRITER_H

#include "nesting/CallbackChain.h"
#include "rewrite/AsioTarget.h"
#include "rewrite/SourceEdits.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/ADT/StringMap.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::untangle {

struct RewriteOptions {
  /// Callback function (qualified name) -> awaitable function taking the same
  /// arguments without the callback.
  llvm::StringMap<std::string> AwaitableTwins;
  std::string FormatStyle = "file";
  std::string FallbackStyle = "LLVM";
  /// Add `#include <untangle/runtime.hpp>` with this fix (the caller adds it once per
  /// file, and only when the translation unit does not include it yet).
  bool AddInclude = false;
  /// RewriteTarget asio (AsioTarget.h): Asio's awaitable and co_spawn instead of the
  /// runtime's Task and from_callback.
  std::optional<AsioSpelling> Asio;
  /// With a member-chain rewrite (MemberChainRewriter.h): add the file's Asio prelude
  /// (asioFilePrelude) too; the caller asks once per file.
  bool AddAsioPrelude = false;
};

struct RewriteResult {
  std::vector<FixItHint> Fixes;
  std::optional<Refusal> Refused;
  /// A member-chain rewrite (MemberChainRewriter.h) took RewriteTarget asio; on a
  /// refusal, the refused form was Asio's.
  bool ToAsio = false;
  /// RewriteTarget auto: the Fixes are the runtime's form because Asio's was refused for
  /// this reason (the finding says so in a note).
  std::optional<Refusal> AsioRefused = std::nullopt;
};

/// What the coroutine and the promise rewriter share: the chain and the source it is read
/// from, the first refusal met, and the fix-its that put the rewritten chain in place.
class ChainRewriteBuilder {
protected:
  ChainRewriteBuilder(const CallbackChain &Chain, ASTContext &Context,
                      const RewriteOptions &Options);

  /// Records why the chain is not rewritten; the first reason met is the one the note
  /// gives. Always false, so that a step that refuses can `return fail(...)`.
  bool fail(RefusalReason Reason, SourceLocation Loc, std::string Detail);
  /// The source text of a token range, as written.
  std::string text(SourceRange R) const;
  /// The type a copy of \p V is declared with: as written, `auto` where it was
  /// deduced, nothing for an array.
  std::optional<std::string> valueTypeText(const ValueDecl *V, const PrintingPolicy &Policy) const;
  /// The parameter types of the std::function the API takes the callback of \p L as.
  std::optional<std::vector<std::string>> apiSignature(const ChainLevel &L,
                                                       const PrintingPolicy &Policy) const;
  /// The fix-its of a rewrite, whatever its style: \p Text in place of the chain's
  /// outermost call (in Edits' file), formatted in the file's style, and the runtime's
  /// include when Options asks for it.
  std::vector<FixItHint> replaceChainWith(const std::string &Text) const;

  const CallbackChain &Chain;
  ASTContext &Context;
  const SourceManager &SM;
  const LangOptions &LangOpts;
  const RewriteOptions &Options;
  RewriteResult Outcome;
  FileID File;
  std::optional<SourceEdits> Edits;
};

/// Parses "a=b;c=d" into a map.
llvm::StringMap<std::string> parseTwins(llvm::StringRef Option);

RewriteResult rewriteAsCoroutine(const CallbackChain &Chain, ASTContext &Context,
                                 const RewriteOptions &Options);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_COROUTINEREWRITER_H
