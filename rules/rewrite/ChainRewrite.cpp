//===--- ChainRewrite.cpp - the rewrite fix-it of a finding --------------===//

#include "rewrite/ChainRewrite.h"
#include "nesting/CallbackChain.h"
#include "rewrite/AsioTarget.h"
#include "rewrite/MemberChainRewriter.h"
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
  if (Config.Style == "coroutine" && Config.Target != "untangle" && !Chain.Refused) {
    // auto: Asio's own coroutines when the chain runs on Asio alone (no second event
    // loop); asio: refuse any other chain.
    std::optional<Refusal> NotAsio = whyNotAsioChain(Chain);
    if (NotAsio && Config.Target == "asio")
      return {{}, NotAsio};
    if (!NotAsio)
      Opts.Asio = asioSpellingFor(*Chain.Root->Callee, Chain.Root->Call->getBeginLoc(), Context);
  }
  Opts.AddInclude = !Opts.Asio && !FilesWithInclude.contains(File.getHashValue()) &&
                    !includesFile(SM, "untangle/runtime.hpp");
  RewriteResult Result = Config.Style == "promise"
                             ? rewriteAsPromise(Chain, Context, Opts)
                             : rewriteAsCoroutine(Chain, Context, Opts);
  if (Result.Refused && Opts.Asio && Config.Target == "auto") {
    // What the Asio form cannot express (an executor it cannot name, a local it cannot
    // keep alive) the runtime's form may.
    Opts.Asio.reset();
    Opts.AddInclude = !FilesWithInclude.contains(File.getHashValue()) &&
                      !includesFile(SM, "untangle/runtime.hpp");
    Result = rewriteAsCoroutine(Chain, Context, Opts);
  }
  if (!Result.Fixes.empty() && Opts.AddInclude)
    FilesWithInclude.insert(File.getHashValue());
  if (!Result.Fixes.empty() && Opts.Asio &&
      FilesWithAsioPrelude.insert(File.getHashValue()).second) {
    unsigned ChainBegin = SM.getFileOffset(SM.getExpansionLoc(Outermost.getBeginLoc()));
    for (FixItHint &Fix : asioFilePrelude(SM, File, ChainBegin, *Opts.Asio))
      Result.Fixes.push_back(std::move(Fix));
  }
  return Result;
}

RewriteResult ChainRewriter::rewriteFlat(const FunctionDecl &Entry,
                                         llvm::ArrayRef<const FunctionDecl *> Functions,
                                         ASTContext &Context) {
  if (Config.Style == "none")
    return {};
  const SourceManager &SM = Context.getSourceManager();
  SourceLocation At = SM.getExpansionLoc(Entry.getLocation());
  if (Config.Style != "coroutine")
    return {{},
            Refusal{RefusalReason::FlatChain, At,
                    "a chain of member functions is rewritten only into a coroutine "
                    "(RewriteStyle coroutine)"}};
  RewriteOptions Opts = Options;
  FileID File = SM.getFileID(At);
  Opts.AddAsioPrelude = !FilesWithAsioPrelude.contains(File.getHashValue());
  Opts.AddInclude = !FilesWithInclude.contains(File.getHashValue()) &&
                    !includesFile(SM, "untangle/runtime.hpp");
  MemberChainConfig Chain{Config.Target == "asio"       ? MemberChainTarget::Asio
                          : Config.Target == "untangle" ? MemberChainTarget::Untangle
                                                        : MemberChainTarget::Auto,
                          &MultiShot, &Model};
  RewriteResult Result = rewriteMemberChain(Entry, Functions, Context, Opts, Chain);
  if (Result.Refused && Result.ToAsio && Chain.Target == MemberChainTarget::Auto) {
    // What only Asio's form cannot keep (a pointer co_spawn's deferred start would read
    // after the entry returned, handlers of more than one result) the runtime's may: its
    // spawn starts the first operation at once, from_callback takes any results. A
    // refusal both forms share stays the Asio one.
    Chain.Target = MemberChainTarget::Untangle;
    RewriteResult Untangled = rewriteMemberChain(Entry, Functions, Context, Opts, Chain);
    if (!Untangled.Fixes.empty()) {
      Untangled.AsioRefused = std::move(Result.Refused);
      Result = std::move(Untangled);
    }
  }
  if (!Result.Fixes.empty())
    (Result.ToAsio ? FilesWithAsioPrelude : FilesWithInclude).insert(File.getHashValue());
  return Result;
}

void ChainRewriter::endOfTranslationUnit() {
  Handled.clear();
  FilesWithInclude.clear();
  FilesWithAsioPrelude.clear();
}

} // namespace clang::tidy::untangle
