//===--- SourceEdits.cpp - nested text edits over one file ---------------===//

#include "rewrite/SourceEdits.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Format/Format.h"
#include "clang/Lex/Lexer.h"
#include "clang/Tooling/Core/Replacement.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::untangle {

SourceEdits::SourceEdits(const SourceManager &SM, FileID File)
    : SM(SM), File(File), Code(SM.getBufferData(File)) {}

void SourceEdits::add(unsigned Begin, unsigned End, std::function<std::string()> Produce) {
  Edits.push_back({Begin, End, std::move(Produce)});
}

void SourceEdits::replace(unsigned Begin, unsigned End, std::string Text) {
  add(Begin, End, [Text = std::move(Text)] { return Text; });
}

unsigned SourceEdits::offset(SourceLocation Loc) const {
  return SM.getFileOffset(SM.getSpellingLoc(Loc));
}

unsigned SourceEdits::tokenEnd(SourceLocation Loc, const LangOptions &LangOpts) const {
  SourceLocation Spelling = SM.getSpellingLoc(Loc);
  return SM.getFileOffset(Spelling) + Lexer::MeasureTokenLength(Spelling, SM, LangOpts);
}

std::string SourceEdits::render(unsigned Begin, unsigned End) const {
  std::vector<const Edit *> Inside;
  for (const Edit &E : Edits)
    // An edit of exactly the range being rendered is the one rendering it.
    if (E.Begin >= Begin && E.End <= End && !(E.Begin == Begin && E.End == End && Begin < End))
      Inside.push_back(&E);
  // Outer edits first; among insertions at one place, the order they were added.
  llvm::stable_sort(Inside, [](const Edit *A, const Edit *B) {
    if (A->Begin != B->Begin)
      return A->Begin < B->Begin;
    return A->End > B->End;
  });
  std::string Out;
  unsigned Cursor = Begin;
  for (const Edit *E : Inside) {
    // An edit inside one already rendered was applied by that edit's producer.
    if (E->Begin < Cursor)
      continue;
    Out += Code.slice(Cursor, E->Begin).str();
    Out += E->Produce();
    Cursor = E->End;
  }
  Out += Code.slice(Cursor, End).str();
  return Out;
}

std::string formatReplacement(llvm::StringRef Code, llvm::StringRef FileName,
                              unsigned Begin, unsigned End, llvm::StringRef Text,
                              llvm::StringRef StyleName, llvm::StringRef FallbackStyle) {
  llvm::Expected<format::FormatStyle> Style =
      format::getStyle(StyleName, FileName, FallbackStyle, Code);
  if (!Style) {
    llvm::consumeError(Style.takeError());
    return Text.str();
  }
  std::string NewCode = (Code.take_front(Begin) + Text + Code.drop_front(End)).str();
  tooling::Replacements Formatting = format::reformat(
      *Style, NewCode, {tooling::Range(Begin, Text.size())}, FileName);
  // Only what lies inside the new text: the code around it stays as it is.
  tooling::Replacements Inside;
  for (const tooling::Replacement &R : Formatting)
    if (R.getOffset() >= Begin && R.getOffset() + R.getLength() <= Begin + Text.size())
      llvm::consumeError(Inside.add(tooling::Replacement(
          FileName, R.getOffset() - Begin, R.getLength(), R.getReplacementText())));
  llvm::Expected<std::string> Formatted = tooling::applyAllReplacements(Text, Inside);
  if (!Formatted) {
    llvm::consumeError(Formatted.takeError());
    return Text.str();
  }
  return *Formatted;
}

NameSupply::NameSupply(const SourceManager &SM, FileID File, const LangOptions &LangOpts) {
  llvm::StringRef Code = SM.getBufferData(File);
  Lexer Raw(SM.getLocForStartOfFile(File), LangOpts, Code.begin(), Code.begin(), Code.end());
  Token Tok;
  bool More = true;
  while (More) {
    More = !Raw.LexFromRawLexer(Tok);
    if (Tok.is(tok::raw_identifier))
      Used.insert(Tok.getRawIdentifier());
  }
}

std::string NameSupply::fresh(llvm::StringRef Base) {
  for (unsigned I = 2;; ++I)
    if (std::string Candidate = (Base + "_" + llvm::Twine(I)).str(); Used.insert(Candidate).second)
      return Candidate;
}

std::string NameSupply::freshOrSame(llvm::StringRef Base) {
  return Used.insert(Base).second ? Base.str() : fresh(Base);
}

bool includesFile(const SourceManager &SM, llvm::StringRef Suffix) {
  for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
    llvm::StringRef Name = It->first.getName();
    if (Name.ends_with(Suffix))
      return true;
  }
  return false;
}

unsigned includeInsertionOffset(llvm::StringRef Code, unsigned Before) {
  unsigned Offset = 0, After = 0;
  while (Offset < Before && Offset < Code.size()) {
    size_t LineEnd = Code.find('\n', Offset);
    if (LineEnd == llvm::StringRef::npos)
      LineEnd = Code.size();
    llvm::StringRef Line = Code.slice(Offset, LineEnd).ltrim();
    if (Line.starts_with("#")) {
      llvm::StringRef Directive = Line.drop_front().ltrim();
      if (Directive.starts_with("include") || Directive.starts_with("import"))
        After = std::min<unsigned>(LineEnd + 1, Code.size());
    }
    Offset = LineEnd + 1;
  }
  return After;
}

SourceRange writtenTypeRange(const ParmVarDecl &Param) {
  const TypeSourceInfo *Info = Param.getTypeSourceInfo();
  if (!Info)
    return {};
  const SourceRange Type = Info->getTypeLoc().getSourceRange();
  if (Type.isInvalid() || Param.getBeginLoc().isInvalid())
    return {};
  return {Param.getBeginLoc(), Type.getEnd()};
}

std::string writtenTypeText(const ParmVarDecl &Param, const SourceManager &SM,
                            const LangOptions &LangOpts) {
  SourceRange R = writtenTypeRange(Param);
  if (R.isInvalid() || R.getBegin().isMacroID() || R.getEnd().isMacroID())
    return "";
  return Lexer::getSourceText(CharSourceRange::getTokenRange(R), SM, LangOpts).str();
}

} // namespace clang::tidy::untangle
