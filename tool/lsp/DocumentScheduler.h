//===--- DocumentScheduler.h - open documents and when they are analyzed -*- C++ -*-===//
//
// The editor's documents, and their analyses on a thread of their own, so that the
// server keeps answering while clang parses (a file that includes Boost.Beast takes
// seconds to tens of seconds). It decides:
// - when: a change waits for the debounce delay, so that typing does not start an
//   analysis per keystroke; an open, a save of a file the document reads or a change of
//   the configuration starts one at once;
// - what is thrown away: a newer version of a document cancels the analysis of an
//   older one (WorkerProcess::cancel), and a result for a text the document no longer
//   has is not published;
// - what requests see: the last analysis, with the text it was made on, so that code
//   actions are never computed on one text and applied to another;
// - what is published twice: an analysis whose worker sends the checks' findings early
//   (before the library's template instantiations, PreambleAnalysis.h) is published
//   then, and again at its end only if the whole reply differs (an error inside those
//   instantiations). Pull requests wait for the whole reply.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_TOOL_LSP_DOCUMENTSCHEDULER_H
#define UNTANGLE_TOOL_LSP_DOCUMENTSCHEDULER_H

#include "lsp/Findings.h"
#include "lsp/WorkerProcess.h"
#include "llvm/ADT/FunctionExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/LSP/Protocol.h"
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace untangle {

/// One finished analysis of one version of a document.
struct DocumentAnalysis {
  int64_t Version = 0;
  /// The text analyzed: the findings' ranges and edits are offsets into it.
  std::string Text;
  std::vector<Finding> Findings;
  /// Real paths of the files the document read.
  llvm::StringSet<> Dependencies;
  /// Unique per analysis (pull diagnostics' resultId).
  std::string ResultId;
};

using AnalysisPtr = std::shared_ptr<const DocumentAnalysis>;

/// What the scheduler's thread tells the server. Never called with a lock held.
struct SchedulerEvents {
  /// A new analysis of the current text of a document.
  llvm::unique_function<void(const std::string &URI, const DocumentAnalysis &)> Analyzed;
  /// An analysis has run for a second: returns a progress token ("" for none).
  llvm::unique_function<std::string(const std::string &URI)> SlowAnalysisStarted;
  llvm::unique_function<void(const std::string &Token)> SlowAnalysisEnded;
};

class DocumentScheduler {
public:
  DocumentScheduler(WorkerProcess &Worker, std::chrono::milliseconds Debounce,
                    SchedulerEvents Events);
  ~DocumentScheduler();

  void open(const llvm::lsp::URIForFile &URI, int64_t Version, std::string Text);
  /// False when the document is not open.
  bool change(const llvm::lsp::DidChangeTextDocumentParams &Params);
  void close(const std::string &Path);
  /// Files changed on disk: the documents that read one are analyzed again, every
  /// document when a `.untangle` file or a compile database changed.
  void filesChanged(llvm::ArrayRef<std::string> Paths);

  /// The last analysis of a document if it was made on the text the document has now.
  AnalysisPtr currentAnalysis(const std::string &Path) const;
  /// Calls \p Then with the analysis of the document's current text and current
  /// dependencies, now or when it is done; with nullptr when the document is not open
  /// or is closed, or the scheduler stops, before.
  void whenAnalyzed(const std::string &Path, llvm::unique_function<void(AnalysisPtr)> Then);

  /// Cancels the analysis under way and ends the thread (shutdown).
  void stop();

private:
  struct Entry {
    llvm::lsp::URIForFile URI;
    int64_t Version = 0;
    std::string Text;
    AnalysisPtr Last;
    /// When the next analysis is due; none when the last one is current.
    std::optional<std::chrono::steady_clock::time_point> Due;
    std::vector<llvm::unique_function<void(AnalysisPtr)>> Waiting;
  };

  void run();
  /// Starts, with the lock held, the analysis due first, if one is due.
  void analyzeDue(std::unique_lock<std::mutex> &Lock);
  void schedule(Entry &Document, std::chrono::steady_clock::duration Delay);

  WorkerProcess &Worker;
  const std::chrono::milliseconds Debounce;
  SchedulerEvents Events;

  mutable std::mutex Mutex;
  std::condition_variable Wake;
  /// Open documents, by absolute path.
  std::map<std::string, Entry> Documents;
  /// The document being analyzed, empty when none is.
  std::string Running;
  uint64_t Analyses = 0;
  bool Stopping = false;
  std::thread Thread;
};

} // namespace untangle

#endif // UNTANGLE_TOOL_LSP_DOCUMENTSCHEDULER_H
