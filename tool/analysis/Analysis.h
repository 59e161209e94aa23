//===--- Analysis.h - run the rules over translation units -----*- C++ -*-===//

#ifndef UNTANGLE_TOOL_ANALYSIS_H
#define UNTANGLE_TOOL_ANALYSIS_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringSet.h"
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

/// Adds every file \p SM read to \p Files, by real path where the file system has one:
/// what a translation unit depends on.
void addFilesRead(const clang::SourceManager &SM, llvm::StringSet<> &Files);

/// What an editor's analysis changes in a run (tool/lsp/PreambleAnalysis.h): the
/// compiler invocation before clang starts (a precompiled preamble of the includes),
/// and a consumer that sees the translation unit before the checks do.
class RunCustomizer {
public:
  virtual ~RunCustomizer() = default;
  /// Before clang starts on \p Invocation, whose files \p Files reads. Returns the
  /// file system the run reads from then (Files' own, or an overlay of it).
  virtual llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>
  adjustInvocation(clang::CompilerInvocation &Invocation, clang::FileManager &Files,
                   std::shared_ptr<clang::PCHContainerOperations> PCHContainerOps) = 0;
  /// Called once the checks have registered their preprocessor callbacks; the
  /// consumer returned runs before the checks' own.
  virtual std::unique_ptr<clang::ASTConsumer>
  createConsumer(clang::CompilerInstance &Compiler) = 0;
  /// Called once the checks have run on a translation unit, while clang's Sema is still
  /// alive: work left for after the findings (PreambleAnalysis.h) goes here.
  /// \p FindingsSoFar gives what has been reported until now; the run's result holds
  /// those and whatever is reported after.
  virtual void
  checksDone(clang::CompilerInstance &Compiler,
             llvm::function_ref<const std::vector<clang::tidy::ClangTidyError> &()>
                 FindingsSoFar) {}
};

/// clang::tidy::runClangTidy, plus what it does not tell: which files produced an AST
/// the rules could run on. The exit code depends on it (2 when none did).
AnalysisResult
runAnalysis(clang::tidy::ClangTidyContext &Context,
            const clang::tooling::CompilationDatabase &Compilations,
            llvm::ArrayRef<std::string> Files,
            llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS, bool Quiet,
            RunCustomizer *Customizer = nullptr);

} // namespace untangle

#endif // UNTANGLE_TOOL_ANALYSIS_H
