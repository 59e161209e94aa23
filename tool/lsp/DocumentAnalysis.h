//===--- DocumentAnalysis.h - one open document through the rules -*- C++ -*-===//
//
// What the analysis worker (WorkerProcess.h) does with one request: the compile command
// and the configuration of the document, clang-tidy's engine over its unsaved text, and
// the findings as the editor shows them (ranges in UTF-16 columns, fix-its as edits of
// the open documents).
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_TOOL_LSP_DOCUMENTANALYSIS_H
#define UNTANGLE_TOOL_LSP_DOCUMENTANALYSIS_H

#include "inputs/Configuration.h"
#include "lsp/Findings.h"
#include <optional>
#include <string>
#include <vector>

namespace untangle {

/// The command line of `untangle lsp`, which the worker gets as well.
struct ServerSettings {
  ConfigurationFlags Flags;
  /// -p, absolute; empty: the compilation database is searched upwards.
  std::string BuildPath;
  /// The flags after `--`, which replace the database as on the command line.
  std::optional<std::vector<std::string>> CompilerArgs;
};

/// Analyzes Request.Documents[Request.Main]. Configuration and compile-database
/// problems are findings on the document's first line, never errors.
AnalysisReply analyzeDocument(const AnalysisRequest &Request,
                              const ServerSettings &Settings);

} // namespace untangle

#endif // UNTANGLE_TOOL_LSP_DOCUMENTANALYSIS_H
