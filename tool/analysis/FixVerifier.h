//===--- FixVerifier.h - apply fixes only where the result compiles -*- C++ -*-===//
//
// `--fix` (issue 5): the fixes of every finding are merged per file (a fix that overlaps
// another is dropped, as clang-tidy does), each rewritten file is re-parsed in memory
// with its compile command, and only files that still compile are written -- atomically,
// through a temporary file renamed over the original. A file whose rewrite does not
// compile is left untouched, with a note naming the first error.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_TOOL_FIXVERIFIER_H
#define UNTANGLE_TOOL_FIXVERIFIER_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/Tooling/CompilationDatabase.h"
#include <string>
#include <vector>

namespace untangle {

struct FixOutcome {
  unsigned FilesWritten = 0;
  unsigned FilesRolledBack = 0;
  unsigned FixesApplied = 0;
  bool WriteFailed = false;
};

/// Applies the fixes in \p Errors to the files they name, keeping only rewrites that
/// compile (checked by parsing \p MainFiles with \p Compilations). Reports on errs().
FixOutcome applyVerifiedFixes(llvm::ArrayRef<clang::tidy::ClangTidyError> Errors,
                              clang::tidy::ClangTidyContext &Context,
                              const clang::tooling::CompilationDatabase &Compilations,
                              llvm::ArrayRef<std::string> MainFiles, bool Quiet);

} // namespace untangle

#endif // UNTANGLE_TOOL_FIXVERIFIER_H
