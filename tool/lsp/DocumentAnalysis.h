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
#include <functional>
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
  /// Reuse a precompiled preamble of each document's includes (--preamble).
  bool Preamble = true;
};

class PreambleStore;

/// An analysis that reports twice: its findings as soon as the checks have run, then
/// the whole reply once the library's instantiations are done (PreambleAnalysis.h).
struct EarlyReplies {
  std::function<void(const AnalysisReply &)> Send;
  /// A newer text makes the rest of the analysis useless.
  std::function<bool()> Abandoned;
};

/// Analyzes Request.Documents[Request.Main]. Configuration and compile-database
/// problems are findings on the document's first line, never errors. With \p Preambles,
/// the document's includes are parsed once into a preamble kept there
/// (PreambleAnalysis.h); without, every analysis parses everything, as `untangle` does.
/// With \p Early as well, an early reply (AnalysisReply::Early) may come before.
AnalysisReply analyzeDocument(const AnalysisRequest &Request,
                              const ServerSettings &Settings, PreambleStore *Preambles,
                              const EarlyReplies *Early = nullptr);

} // namespace untangle

#endif // UNTANGLE_TOOL_LSP_DOCUMENTANALYSIS_H
