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

#include "CallbackChain.h"
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
};

struct RewriteResult {
  std::vector<FixItHint> Fixes;
  std::optional<Refusal> Refused;
};

class SourceEdits;

/// The fix-its of a rewrite, whatever its style: the chain's text \p Text in place of
/// [\p Begin, \p End) of the file \p Edits covers, formatted in the file's style, and
/// the runtime's include when \p Options asks for it.
std::vector<FixItHint> chainReplacementFixes(const SourceEdits &Edits,
                                             const SourceManager &SM, unsigned Begin,
                                             unsigned End, const std::string &Text,
                                             const RewriteOptions &Options);

/// Parses "a=b;c=d" into a map.
llvm::StringMap<std::string> parseTwins(llvm::StringRef Option);

RewriteResult rewriteAsCoroutine(const CallbackChain &Chain, ASTContext &Context,
                                 const RewriteOptions &Options);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_COROUTINEREWRITER_H
