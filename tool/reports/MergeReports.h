//===--- MergeReports.h - combine the reports of sharded runs ---*- C++ -*-===//
//
// A CI matrix runs `untangle --shard i/n` on n machines and `untangle --merge` on
// their reports. JSON reports carry every finding's offsets and fixes, so they are read
// back into findings and written in any format (text, json, sarif, github). SARIF logs
// keep byte offsets only for fixes, so they are merged as SARIF: one run, each result
// once, artifact and rule indexes renumbered.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_TOOL_MERGEREPORTS_H
#define UNTANGLE_TOOL_MERGEREPORTS_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

namespace untangle {

enum class ReportKind { Json, Sarif };

struct LoadedReports {
  ReportKind Kind;
  std::vector<llvm::json::Value> Documents;
};

/// Reads the reports; all must be untangle JSON reports or all SARIF logs.
llvm::Expected<LoadedReports> loadReports(llvm::ArrayRef<std::string> Paths);

/// The findings of untangle JSON reports (duplicates are kept; the caller merges).
/// Malformed reports are an error, never a crash.
llvm::Expected<std::vector<clang::tidy::ClangTidyError>>
findingsOfJsonReports(llvm::ArrayRef<llvm::json::Value> Documents);

/// One SARIF log with one run holding every distinct result of \p Documents.
llvm::json::Value mergeSarif(llvm::ArrayRef<llvm::json::Value> Documents);

} // namespace untangle

#endif // UNTANGLE_TOOL_MERGEREPORTS_H
