//===--- Analysis.h - run the rules over translation units -----*- C++ -*-===//

#ifndef UNTANGLE_TOOL_ANALYSIS_H
#define UNTANGLE_TOOL_ANALYSIS_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <optional>
#include <string>
#include <vector>

namespace untangle {

struct AnalysisResult {
  std::vector<clang::tidy::ClangTidyError> Errors;
  /// Files whose AST the rules ran on, possibly after clang recovered from errors.
  std::vector<std::string> Analyzed;
  /// Files clang gave up on (fatal error) or could not start on.
  std::vector<std::string> NotAnalyzed;
  /// Why files were not analyzed, where clang has no diagnostic for it.
  std::vector<std::string> Problems;
  /// Every file the translation units read, headers included (real paths where the
  /// file system has them): an editor re-analyzes a document when one is saved.
  std::vector<std::string> Dependencies;
};

/// The directory a compile command of \p File runs in and that does not exist, if any:
/// clang's tooling aborts the process on it (report_fatal_error), so such a file is
/// not started.
std::optional<std::string>
missingCommandDirectory(const clang::tooling::CompilationDatabase &Compilations,
                        llvm::StringRef File);

/// The compile command of a file as the rules see it: the configuration's ExtraArgs and
/// ExtraArgsBefore added, compiler plugins removed. One home, because the result cache
/// must key on exactly the command the analysis runs.
clang::tooling::ArgumentsAdjuster
configuredArgumentsAdjuster(clang::tidy::ClangTidyContext &Context);

/// clang::tidy::runClangTidy, plus what it does not tell: which files produced an AST
/// the rules could run on. The exit code depends on it (2 when none did).
AnalysisResult
runAnalysis(clang::tidy::ClangTidyContext &Context,
            const clang::tooling::CompilationDatabase &Compilations,
            llvm::ArrayRef<std::string> Files,
            llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS, bool Quiet);

} // namespace untangle

#endif // UNTANGLE_TOOL_ANALYSIS_H
