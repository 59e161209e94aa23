//===--- Findings.h - what one analysis of a document tells the editor -*- C++ -*-===//
//
// The analysis of a document runs in a worker process (WorkerProcess.h); what it needs
// (the open documents) and what it finds (diagnostics with their code actions, and the
// files the document read) cross the pipe as JSON. These types, and their JSON, are
// the one definition both ends use.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_TOOL_LSP_FINDINGS_H
#define UNTANGLE_TOOL_LSP_FINDINGS_H

#include "llvm/Support/JSON.h"
#include "llvm/Support/LSP/Protocol.h"
#include <string>
#include <vector>

namespace untangle {

/// An open document: the editor's unsaved text shadows the file on disk.
struct OpenDocument {
  /// Absolute, as the client's URI names it.
  std::string Path;
  std::string URI;
  std::string Text;
};

/// Analyze Documents[Main]; the other open documents are what the editor shows of
/// files it may include.
struct AnalysisRequest {
  std::vector<OpenDocument> Documents;
  size_t Main = 0;
};

/// One published diagnostic, with the fix-it it offers as a code action.
struct Finding {
  /// As published, owning its strings (ownedCopy). lsp::Diagnostic has no `code`,
  /// which carries the check name here.
  llvm::json::Value Diagnostic = nullptr;
  llvm::lsp::Range Range;
  std::string ActionTitle;
  /// URI -> TextEdit[] (a WorkspaceEdit's `changes`); empty when there is no fix-it.
  llvm::json::Object Edits;
};

struct AnalysisReply {
  std::vector<Finding> Findings;
  /// The files the translation unit read, the document included (real paths): saving
  /// one of them calls for a new analysis.
  std::vector<std::string> Dependencies;
  /// The worker keeps a precompiled preamble of the document (PreambleAnalysis.h):
  /// killing it to cancel an analysis would make the next one parse the includes again.
  bool KeepsPreamble = false;
  /// The checks' findings, sent before the analysis ends (DocumentAnalysis.h's
  /// EarlyReplies); the whole reply follows.
  bool Early = false;
};

/// A deep copy of \p Value that owns its strings. The library's toJSON functions refer
/// to some strings of the structure they convert (URIs, as StringRef), and findings
/// outlive those structures.
llvm::json::Value ownedCopy(const llvm::json::Value &Value);

/// Findings about the document as a whole (configuration, compile database, a crash)
/// sit on its first character.
Finding documentProblem(std::string Message, llvm::lsp::DiagnosticSeverity Severity);

llvm::json::Value toJSON(const OpenDocument &Document);
bool fromJSON(const llvm::json::Value &Value, OpenDocument &Document, llvm::json::Path Path);
llvm::json::Value toJSON(const Finding &F);
bool fromJSON(const llvm::json::Value &Value, Finding &F, llvm::json::Path Path);
llvm::json::Value toJSON(const AnalysisRequest &Request);
bool fromJSON(const llvm::json::Value &Value, AnalysisRequest &Request,
              llvm::json::Path Path);
llvm::json::Value toJSON(const AnalysisReply &Reply);
bool fromJSON(const llvm::json::Value &Value, AnalysisReply &Reply, llvm::json::Path Path);

} // namespace untangle

#endif // UNTANGLE_TOOL_LSP_FINDINGS_H
