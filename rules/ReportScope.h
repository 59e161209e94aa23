//===--- ReportScope.h - where findings can be reported --------*- C++ -*-===//
//
// clang-tidy reports findings in the main file and in the headers its header filter
// lets through; everything else is dropped after the fact. Whole-function analyses ask
// first, so that the code of libraries included with -I (untangle's own runtime,
// Asio used as plain headers) costs a parse but no analysis.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_REPORTSCOPE_H
#define UNTANGLE_RULES_REPORTSCOPE_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Regex.h"
#include <optional>

namespace clang::tidy::untangle {

class ReportScope {
public:
  explicit ReportScope(ClangTidyContext &Context) : Context(Context) {}

  /// True if a finding at \p Loc (its expansion, for macros) would be shown.
  bool contains(SourceLocation Loc, const SourceManager &SM);

  /// True if findings in system headers are shown (the SystemHeaders option).
  bool showsSystemHeaders() const {
    return Context.getOptions().SystemHeaders.value_or(false);
  }

  /// Forgets the translation unit: the next one has other FileIDs, and its file may
  /// have options of its own (.untangle files).
  void endOfTranslationUnit() {
    Reported.clear();
    Loaded = false;
  }

private:
  ClangTidyContext &Context;
  bool Loaded = false; // the filters of the current translation unit
  llvm::DenseMap<FileID, bool> Reported;
  std::optional<llvm::Regex> HeaderFilter;
  std::optional<llvm::Regex> ExcludeHeaderFilter;
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_REPORTSCOPE_H
