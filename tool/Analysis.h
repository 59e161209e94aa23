//===--- Analysis.h - run the rules over translation units -----*- C++ -*-===//

#ifndef UNTANGLE_TOOL_ANALYSIS_H
#define UNTANGLE_TOOL_ANALYSIS_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <string>
#include <vector>

namespace untangle {

struct AnalysisResult {
  std::vector<clang::tidy::ClangTidyError> Errors;
  /// Files whose AST the rules ran on, possibly after clang recovered from errors.
  std::vector<std::string> Analyzed;
  /// Files clang gave up on (fatal error) or could not start on.
  std::vector<std::string> NotAnalyzed;
};

/// clang::tidy::runClangTidy, plus what it does not tell: which files produced an AST
/// the rules could run on. The exit code depends on it (2 when none did).
AnalysisResult
runAnalysis(clang::tidy::ClangTidyContext &Context,
            const clang::tooling::CompilationDatabase &Compilations,
            llvm::ArrayRef<std::string> Files,
            llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS, bool Quiet);

} // namespace untangle

#endif // UNTANGLE_TOOL_ANALYSIS_H
