//===--- MemberChainFixes.cpp - putting a member coroutine in place ------===//

#include "rewrite/MemberChainFixes.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::untangle {

namespace {

/// [Begin, End) of a member's definition, widened to whole lines when nothing else is on
/// them, so that removing it leaves no blank line behind.
std::pair<unsigned, unsigned> wholeLines(llvm::StringRef Code, unsigned Begin, unsigned End) {
  unsigned B = Begin, E = End;
  while (B > 0 && (Code[B - 1] == ' ' || Code[B - 1] == '\t'))
    --B;
  while (E < Code.size() && (Code[E] == ' ' || Code[E] == '\t'))
    ++E;
  if ((B == 0 || Code[B - 1] == '\n') && E < Code.size() && Code[E] == '\n')
    return {B, E + 1};
  return {Begin, End};
}

} // namespace

std::optional<SourceLocation>
placeMemberCoroutine(llvm::ArrayRef<Step> Steps, const SourceEdits &Edits,
                     const std::string &Coroutine, const std::string &Spawn,
                     const RewriteOptions &Options, const LangOptions &LangOpts,
                     std::vector<FixItHint> &Fixes) {
  const SourceManager &SM = Edits.sourceManager();
  const FileID File = Edits.file();
  const CXXMethodDecl &Entry = *Steps.front().Member;
  llvm::StringRef Code = Edits.code();
  llvm::StringRef FileName = SM.getFileEntryRefForID(File)->getName();
  SourceLocation Start = SM.getLocForStartOfFile(File);
  std::vector<FixItHint> Result;
  auto Replace = [&](unsigned Begin, unsigned End, const std::string &Text) {
    Result.push_back(FixItHint::CreateReplacement(
        CharSourceRange::getCharRange(Start.getLocWithOffset(Begin),
                                      Start.getLocWithOffset(End)),
        Text.empty() ? Text
                     : formatReplacement(Code, FileName, Begin, End, Text,
                                         Options.FormatStyle, Options.FallbackStyle)));
  };
  const Step &First = Steps.front();
  std::optional<Token> Semi = Lexer::findNextToken(First.Continuation->getEndLoc(), SM, LangOpts);
  if (!Semi || !Semi->is(tok::semi))
    return First.Continuation->getEndLoc();
  Replace(Edits.offset(First.Continuation->getBeginLoc()),
          Edits.offset(Semi->getLocation()) + 1, Spawn);
  std::vector<const CXXMethodDecl *> Removed;
  for (const Step &S : llvm::drop_begin(Steps))
    if (S.Member != &Entry)
      Removed.push_back(S.Member);
  llvm::sort(Removed, [&](const CXXMethodDecl *A, const CXXMethodDecl *B) {
    return SM.isBeforeInTranslationUnit(A->getBeginLoc(), B->getBeginLoc());
  });
  // The coroutine takes the place of the first removed member and of those that
  // follow it with nothing but blanks between; the others are removed line by line.
  unsigned Begin = Edits.offset(Removed.front()->getBeginLoc());
  unsigned End = Edits.tokenEnd(Removed.front()->getEndLoc(), LangOpts);
  size_t Next = 1;
  for (; Next < Removed.size(); ++Next) {
    unsigned NextBegin = Edits.offset(Removed[Next]->getBeginLoc());
    if (NextBegin < End || !Code.slice(End, NextBegin).trim().empty())
      break;
    End = Edits.tokenEnd(Removed[Next]->getEndLoc(), LangOpts);
  }
  Replace(Begin, End, Coroutine);
  for (; Next < Removed.size(); ++Next) {
    auto [B, E] = wholeLines(Code, Edits.offset(Removed[Next]->getBeginLoc()),
                             Edits.tokenEnd(Removed[Next]->getEndLoc(), LangOpts));
    Replace(B, E, "");
  }
  for (FixItHint &Fix : Result)
    Fixes.push_back(std::move(Fix));
  return std::nullopt;
}

} // namespace clang::tidy::untangle
