//===--- SourceEdits.h - nested text edits over one file -------*- C++ -*-===//
//
// The rewriters build their replacement text from the code as written: the original
// text of a range, with edits applied inside it. Edits nest (a whole callback statement
// becomes a co_await; inside it a name is renamed), so an edit's text may be produced
// by rendering sub-ranges, which apply the edits nested in them. Also: formatting a
// replacement in the file's own clang-format style, and the include to add.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_SOURCEEDITS_H
#define UNTANGLE_RULES_SOURCEEDITS_H

#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <functional>
#include <string>
#include <vector>

namespace clang::tidy::untangle {

class SourceEdits {
public:
  SourceEdits(const SourceManager &SM, FileID File);

  /// Replaces [Begin, End) by what \p Produce returns when the range is rendered.
  void add(unsigned Begin, unsigned End, std::function<std::string()> Produce);
  void replace(unsigned Begin, unsigned End, std::string Text);
  void insert(unsigned At, std::string Text) { replace(At, At, std::move(Text)); }

  /// The original text of [Begin, End) with the edits inside it applied; edits nested
  /// in a rendered edit are left to that edit's producer.
  std::string render(unsigned Begin, unsigned End) const;

  llvm::StringRef code() const { return Code; }
  FileID file() const { return File; }
  const SourceManager &sourceManager() const { return SM; }
  unsigned offset(SourceLocation Loc) const;
  /// Offset just past the token at \p Loc.
  unsigned tokenEnd(SourceLocation Loc, const LangOptions &LangOpts) const;

private:
  struct Edit {
    unsigned Begin, End;
    std::function<std::string()> Produce;
  };
  const SourceManager &SM;
  FileID File;
  llvm::StringRef Code;
  std::vector<Edit> Edits;
};

/// Fresh names for a rewrite: every identifier of a file is taken; `fresh("ec")` gives
/// `ec_2`, `ec_3`, ... and `freshOrSame("self")` gives `self` while the file does not use it.
class NameSupply {
public:
  NameSupply(const SourceManager &SM, FileID File, const LangOptions &LangOpts);
  std::string fresh(llvm::StringRef Base);
  std::string freshOrSame(llvm::StringRef Base);
  bool taken(llvm::StringRef Name) const { return Used.count(Name); }

private:
  llvm::StringSet<> Used;
};

/// \p Text will replace [Begin, End) of \p Code (the text of \p FileName): returns it
/// formatted as clang-format would format it there, in the style found for the file
/// (\p StyleName, usually "file", with \p FallbackStyle when none is found).
std::string formatReplacement(llvm::StringRef Code, llvm::StringRef FileName,
                              unsigned Begin, unsigned End, llvm::StringRef Text,
                              llvm::StringRef StyleName, llvm::StringRef FallbackStyle);

/// True when the translation unit already includes a file whose path ends in \p Suffix.
bool includesFile(const SourceManager &SM, llvm::StringRef Suffix);

/// Where a parameter's type is written, leading qualifiers included: a TypeLoc's range
/// starts after them (`const T &` spans `T &`). Invalid when the type is not written.
SourceRange writtenTypeRange(const ParmVarDecl &Param);

/// The text of writtenTypeRange (`const std::string &`); empty when the type is not
/// written or comes from a macro.
std::string writtenTypeText(const ParmVarDecl &Param, const SourceManager &SM,
                            const LangOptions &LangOpts);

/// Where to insert a new `#include` line in \p Code, before \p Before: the start of the
/// line after the last #include above it, or the top of the file.
unsigned includeInsertionOffset(llvm::StringRef Code, unsigned Before);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_SOURCEEDITS_H
