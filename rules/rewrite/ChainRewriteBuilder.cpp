//===--- ChainRewriteBuilder.cpp - what every chain rewrite shares --------===//
//
// The parts of ChainRewriteBuilder (CoroutineRewriter.h) that the coroutine and the
// promise rewriters share: refusals, source text, and putting the rewritten chain in place.
//
//===----------------------------------------------------------------------===//

#include "rewrite/CoroutineRewriter.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::untangle {

llvm::StringMap<std::string> parseTwins(llvm::StringRef Option) {
  llvm::StringMap<std::string> Twins;
  for (const std::string &Item : splitOptionList(Option)) {
    auto [From, To] = llvm::StringRef(Item).split('=');
    if (!From.trim().empty() && !To.trim().empty())
      Twins[From.trim()] = To.trim().str();
  }
  return Twins;
}

ChainRewriteBuilder::ChainRewriteBuilder(const CallbackChain &Chain, ASTContext &Context,
                                         const RewriteOptions &Options)
    : Chain(Chain), Context(Context), SM(Context.getSourceManager()),
      LangOpts(Context.getLangOpts()), Options(Options) {}

bool ChainRewriteBuilder::fail(RefusalReason Reason, SourceLocation Loc, std::string Detail) {
  if (!Outcome.Refused)
    Outcome.Refused = Refusal{Reason, SM.getExpansionLoc(Loc), std::move(Detail)};
  return false;
}

std::string ChainRewriteBuilder::text(SourceRange R) const {
  return Lexer::getSourceText(CharSourceRange::getTokenRange(R), SM, LangOpts).str();
}

std::vector<FixItHint> ChainRewriteBuilder::replaceChainWith(const std::string &Text) const {
  const CallExpr *Outermost = Chain.Root->Call;
  const unsigned Begin = Edits->offset(Outermost->getBeginLoc());
  const unsigned End = Edits->tokenEnd(Outermost->getEndLoc(), LangOpts);
  llvm::StringRef FileName = SM.getFileEntryRefForID(File)->getName();
  std::string Formatted = formatReplacement(Edits->code(), FileName, Begin, End, Text,
                                            Options.FormatStyle, Options.FallbackStyle);
  SourceLocation FileStart = SM.getLocForStartOfFile(File);
  std::vector<FixItHint> Fixes;
  Fixes.push_back(FixItHint::CreateReplacement(
      CharSourceRange::getCharRange(FileStart.getLocWithOffset(Begin),
                                    FileStart.getLocWithOffset(End)),
      Formatted));
  if (Options.AddInclude)
    Fixes.push_back(FixItHint::CreateInsertion(
        FileStart.getLocWithOffset(includeInsertionOffset(Edits->code(), Begin)),
        "#include <untangle/runtime.hpp>\n"));
  return Fixes;
}

} // namespace clang::tidy::untangle
