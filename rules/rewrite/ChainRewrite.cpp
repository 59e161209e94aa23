//===--- ChainRewrite.cpp - the rewrite fix-it of a finding --------------===//

#include "rewrite/ChainRewrite.h"
#include "nesting/CallbackChain.h"
#include "rewrite/PromiseRewriter.h"
#include "rewrite/SourceEdits.h"

namespace clang::tidy::untangle {

ChainRewriter::ChainRewriter(const ChainRewriteConfig &Config, const AsyncCallModel &Model)
    : Config(Config), Model(Model), MultiShot(splitOptionList(Config.MultiShotFunctions)) {
  Options.AwaitableTwins = parseTwins(Config.AwaitableTwins);
}

std::string ChainRewriter::refusalMessage(const Refusal &R, llvm::StringRef Style) {
  return ("no " + Style + " rewrite offered (" + refusalName(R.Reason) + "): " + R.Detail)
      .str();
}

RewriteResult ChainRewriter::rewrite(const CallExpr &Outermost, ASTContext &Context) {
  if (Config.Style == "none")
    return {};
  const SourceManager &SM = Context.getSourceManager();
  if (!Handled.insert(SM.getExpansionLoc(Outermost.getBeginLoc())).second)
    return {};
  ChainOptions ChainOpts{&Model, &MultiShot};
  CallbackChain Chain = buildChain(Outermost, ChainOpts, Context);
  // A template's instantiations share the pattern's text: only the pattern is rewritten.
  if (const auto *F = dyn_cast_or_null<FunctionDecl>(Chain.Enclosing);
      F && F->isTemplateInstantiation())
    return {};
  RewriteOptions Opts = Options;
  FileID File = SM.getFileID(SM.getExpansionLoc(Outermost.getBeginLoc()));
  Opts.AddInclude = !FilesWithInclude.contains(File.getHashValue()) &&
                    !includesFile(SM, "untangle/runtime.hpp");
  RewriteResult Result = Config.Style == "promise"
                             ? rewriteAsPromise(Chain, Context, Opts)
                             : rewriteAsCoroutine(Chain, Context, Opts);
  if (!Result.Fixes.empty() && Opts.AddInclude)
    FilesWithInclude.insert(File.getHashValue());
  return Result;
}

void ChainRewriter::endOfTranslationUnit() {
  Handled.clear();
  FilesWithInclude.clear();
}

} // namespace clang::tidy::untangle
