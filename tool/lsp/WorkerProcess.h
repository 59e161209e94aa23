//===--- WorkerProcess.h - analyses in a process of their own --*- C++ -*-===//
//
// A crash inside clang or a rule must not take the editor's server down, and an
// analysis that a newer text made useless must stop at once; clang can do neither in
// the server's own process (no cancellation, and a crash recovery that leaves its state
// undefined). So each analysis runs in a worker: `untangle lsp --analysis-worker` with
// the server's own command line, which reads one AnalysisRequest per line on stdin and
// writes one AnalysisReply per line on stdout (Findings.h). A crash is seen as the pipe
// closing; the next analysis starts a new worker. Cancelling kills the worker, unless
// it keeps a precompiled preamble of the document analyzed (PreambleAnalysis.h): then
// the worker gets SIGUSR1, stops the library's instantiations it may be performing
// after the findings, and answers; the reply is dropped, and the next analysis reuses
// the preamble. Before its reply, a worker may send an early one: the checks' findings,
// ready before those instantiations.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_TOOL_LSP_WORKERPROCESS_H
#define UNTANGLE_TOOL_LSP_WORKERPROCESS_H

#include "lsp/DocumentAnalysis.h"
#include "lsp/Findings.h"
#include "llvm/ADT/FunctionExtras.h"
#include "llvm/ADT/StringSet.h"
#include <chrono>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <vector>

namespace untangle {

/// The server's end: one worker at a time, started on demand.
class WorkerProcess {
public:
  /// \p Command: the worker's executable and arguments.
  explicit WorkerProcess(std::vector<std::string> Command);
  ~WorkerProcess();
  WorkerProcess(const WorkerProcess &) = delete;
  WorkerProcess &operator=(const WorkerProcess &) = delete;

  struct Outcome {
    enum { Analyzed, Cancelled, Crashed } Kind = Crashed;
    AnalysisReply Reply;
    /// How the worker ended, for a crash ("killed by signal 11 (Segmentation fault)").
    std::string Crash;
  };

  /// Forgets an earlier cancel(): the next analyze() runs unless cancel() comes after
  /// this call. A cancel() between this and analyze() cancels that analysis.
  void prepare();

  /// Blocks until the worker answers, dies or is cancelled. \p WhenSlow is called once,
  /// on this thread, if no answer came after \p SlowAfter; \p WhenEarly with an early
  /// reply (the checks' findings before the library's instantiations), if one comes.
  Outcome analyze(const AnalysisRequest &Request, std::chrono::milliseconds SlowAfter,
                  llvm::unique_function<void()> WhenSlow,
                  llvm::function_ref<void(AnalysisReply)> WhenEarly);

  /// From any thread: abandons the analysis under way, or the next one (prepare()).
  void cancel();
  /// Like cancel(), but the worker is killed whatever it keeps (shutdown).
  void abort();

private:
  bool start(std::string &Error);
  void cancel(bool EvenWithPreamble);
  /// Waits for the worker that closed its output and describes how it ended.
  std::string reap();
  /// What the worker said of the preamble of the document it analyzes.
  void keepsPreamble(bool Keeps);

  const std::vector<std::string> Command;
  std::mutex Mutex;
  pid_t Pid = -1;
  int ToWorker = -1;
  int FromWorker = -1;
  bool Busy = false;
  bool CancelRequested = false;
  /// The document being analyzed, and those the worker keeps a preamble of.
  std::string Analyzing;
  llvm::StringSet<> KeptPreambles;
};

/// The worker's end: serves requests until stdin ends. Returns the exit code.
int runAnalysisWorker(const ServerSettings &Settings);

} // namespace untangle

#endif // UNTANGLE_TOOL_LSP_WORKERPROCESS_H
