//===--- Output.h - machine-readable reports -------------------*- C++ -*-===//
//
// The text format is clang-tidy's own (clang::tidy::handleErrors); the formats for
// machines are written here, one file each.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_TOOL_OUTPUT_H
#define UNTANGLE_TOOL_OUTPUT_H

#include "analysis/SourceLocations.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/Support/raw_ostream.h"

namespace untangle {

/// clang's own diagnostics (clang-diagnostic-error, ...), as opposed to the checks'.
bool isCompilerDiagnostic(llvm::StringRef CheckName);

/// "error" for compiler errors and warnings promoted by --warnings-as-errors.
llvm::StringRef severityOf(const clang::tidy::ClangTidyError &Error);

/// One JSON document: {"version": 1, "tool": ..., "diagnostics": [...]}, see
/// docs/usage.md for the fields.
void writeJson(llvm::ArrayRef<clang::tidy::ClangTidyError> Errors,
               SourceLocations &Locations, llvm::raw_ostream &OS);

/// A SARIF 2.1.0 log for GitHub code scanning, written with clang's
/// SarifDocumentWriter: a rule per enabled check, notes as related locations, fix-its
/// as SARIF fixes.
void writeSarif(llvm::ArrayRef<clang::tidy::ClangTidyError> Errors,
                llvm::ArrayRef<std::string> EnabledChecks, SourceLocations &Locations,
                llvm::raw_ostream &OS);

/// One self-contained HTML page for people: counts per rule and per file, each
/// finding with its source and its notes side by side, each fix as a side-by-side
/// diff of the original and the rewritten lines. See docs/usage.md.
void writeHtml(llvm::ArrayRef<clang::tidy::ClangTidyError> Errors,
               llvm::ArrayRef<std::string> EnabledChecks, SourceLocations &Locations,
               llvm::raw_ostream &OS);

/// GitHub Actions workflow commands (`::warning file=...,line=...::message`), one per
/// finding, so findings show on the pull request's diff.
void writeGithub(llvm::ArrayRef<clang::tidy::ClangTidyError> Errors,
                 SourceLocations &Locations, llvm::raw_ostream &OS);

} // namespace untangle

#endif // UNTANGLE_TOOL_OUTPUT_H
