//===--- CallbackNestingCheck.h - untangle-callback-nesting ----*- C++ -*-===//

#ifndef UNTANGLE_RULES_CALLBACKNESTINGCHECK_H
#define UNTANGLE_RULES_CALLBACKNESTINGCHECK_H

#include "nesting/AsyncCallModel.h"
#include "rewrite/ChainRewrite.h"
#include "nesting/ContinuationGraph.h"
#include "ReportScope.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::untangle {

/// Finds callback hell: asynchronous callbacks nested more than MaxDepth levels deep
/// (the pyramid), and chains of asynchronous continuations spread across functions
/// longer than MaxChainLength (the flat, Asio/Beast-style chain).
///
/// For the user-facing documentation see docs/rules/untangle-callback-nesting.md.
class CallbackNestingCheck : public ClangTidyCheck {
public:
  CallbackNestingCheck(llvm::StringRef Name, ClangTidyContext *Context);
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus11;
  }
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

  /// An asynchronous call enclosing the callback being looked at.
  struct AsyncLevel {
    const CallExpr *Call;
    const FunctionDecl *Callee;
  };

private:
  friend class NestingVisitor;

  void reportNesting(const Callable &Callback, llvm::ArrayRef<AsyncLevel> Enclosing,
                     unsigned DeepestLevel, const SourceManager &SM);
  void validatePatterns(llvm::StringRef OptionName, llvm::StringRef Value);

  const unsigned MaxDepth;
  const unsigned MaxChainLength;
  const std::string AsyncFunctions;
  const std::string SyncFunctions;
  const std::string CompletionHandlerNames;
  const AsyncCallModel Model;
  ReportScope Scope;

  /// A template's instantiations share the pattern's locations: report each once.
  llvm::DenseSet<SourceLocation> ReportedCallbacks;
  ContinuationGraph Continuations;
  const SourceManager *SM = nullptr;

  // Issue 5: the rewrite fix-it (ChainRewrite.h); options RewriteStyle,
  // MultiShotFunctions, AwaitableTwins; issue 13: RewriteTarget.
  ASTContext *Ctx = nullptr;
  const std::string RewriteStyle;
  const std::string MultiShotFunctions;
  const std::string AwaitableTwins;
  const std::string RewriteTarget; ///< issue 13: auto, untangle or asio
  ChainRewriter Rewriter;
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_CALLBACKNESTINGCHECK_H
