//===--- Output.h - machine-readable reports -------------------*- C++ -*-===//
//
// The text format is clang-tidy's own (clang::tidy::handleErrors); the formats for
// machines are written here, one file each.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_TOOL_OUTPUT_H
#define UNTANGLE_TOOL_OUTPUT_H

#include "SourceLocations.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/Support/raw_ostream.h"

namespace untangle {

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

} // namespace untangle

#endif // UNTANGLE_TOOL_OUTPUT_H
