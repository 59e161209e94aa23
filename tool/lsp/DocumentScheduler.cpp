//===--- DocumentScheduler.cpp - open documents and when they are analyzed ===//

#include "lsp/DocumentScheduler.h"
#include "lsp/TextPositions.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/LSP/Logging.h"
#include "llvm/Support/Path.h"

namespace lsp = llvm::lsp;
using Clock = std::chrono::steady_clock;

namespace untangle {

namespace {

/// Past this, an analysis reports work-done progress.
constexpr std::chrono::seconds SlowAnalysis(1);

std::string crashMessage(llvm::StringRef How) {
  return ("untangle's analysis of this document crashed (the analysis worker " + How +
          "). The server keeps running and analyzes the document again on its next "
          "change. Please report it with this document, its compile command and the "
          "server's log (stderr of `untangle lsp`), which holds the stack trace.")
      .str();
}

/// Whether a change of \p Path can change the findings of every document.
bool configurationFile(llvm::StringRef Path) {
  llvm::StringRef Name = llvm::sys::path::filename(Path);
  return Name == ".untangle" || Name == "compile_commands.json" ||
         Name == "compile_flags.txt";
}

/// Whether the whole reply adds nothing to the early one: then it is not published again.
bool sameFindings(const std::vector<Finding> &A, const std::vector<Finding> &B) {
  return std::equal(A.begin(), A.end(), B.begin(), B.end(),
                    [](const Finding &X, const Finding &Y) { return toJSON(X) == toJSON(Y); });
}

} // namespace

DocumentScheduler::DocumentScheduler(WorkerProcess &Worker,
                                     std::chrono::milliseconds Debounce,
                                     SchedulerEvents Events)
    : Worker(Worker), Debounce(Debounce), Events(std::move(Events)),
      Thread([this] { run(); }) {}

DocumentScheduler::~DocumentScheduler() { stop(); }

void DocumentScheduler::stop() {
  std::vector<llvm::unique_function<void(AnalysisPtr)>> Abandoned;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    if (Stopping && !Thread.joinable())
      return;
    Stopping = true;
    for (auto &[Path, Document] : Documents)
      for (auto &Then : Document.Waiting)
        Abandoned.push_back(std::move(Then));
    Documents.clear();
  }
  Wake.notify_all();
  Worker.abort();
  if (Thread.joinable())
    Thread.join();
  for (auto &Then : Abandoned)
    Then(nullptr);
}

void DocumentScheduler::schedule(Entry &Document, Clock::duration Delay) {
  Document.Due = Clock::now() + Delay;
  Wake.notify_all();
}

void DocumentScheduler::open(const lsp::URIForFile &URI, int64_t Version,
                             std::string Text) {
  const std::string Path = URI.file().str();
  std::lock_guard<std::mutex> Lock(Mutex);
  Entry &Document = Documents[Path];
  Document.URI = URI;
  Document.Version = Version;
  Document.Text = std::move(Text);
  if (Running == Path)
    Worker.cancel();
  schedule(Document, Clock::duration::zero());
}

bool DocumentScheduler::change(const lsp::DidChangeTextDocumentParams &Params) {
  const std::string Path = Params.textDocument.uri.file().str();
  std::lock_guard<std::mutex> Lock(Mutex);
  auto It = Documents.find(Path);
  if (It == Documents.end())
    return false;
  Entry &Document = It->second;
  // The server asks for whole documents (TextDocumentSyncKind::Full), but ranged
  // changes are applied too, with UTF-16 columns (the library's applyTo counts bytes).
  for (const lsp::TextDocumentContentChangeEvent &Change : Params.contentChanges) {
    if (!Change.range) {
      Document.Text = Change.text;
      continue;
    }
    size_t Begin = offsetAt(Document.Text, Change.range->start);
    size_t End = std::max(Begin, offsetAt(Document.Text, Change.range->end));
    Document.Text.replace(Begin, End - Begin, Change.text);
  }
  Document.Version = Params.textDocument.version;
  // The analysis of the older text is worthless now.
  if (Running == Path)
    Worker.cancel();
  schedule(Document, Debounce);
  return true;
}

void DocumentScheduler::close(const std::string &Path) {
  std::vector<llvm::unique_function<void(AnalysisPtr)>> Abandoned;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    auto It = Documents.find(Path);
    if (It == Documents.end())
      return;
    Abandoned = std::move(It->second.Waiting);
    Documents.erase(It);
    if (Running == Path)
      Worker.cancel();
  }
  for (auto &Then : Abandoned)
    Then(nullptr);
}

void DocumentScheduler::filesChanged(llvm::ArrayRef<std::string> Paths) {
  std::lock_guard<std::mutex> Lock(Mutex);
  for (const std::string &Changed : Paths) {
    llvm::SmallString<256> RealPath(Changed);
    llvm::sys::fs::real_path(Changed, RealPath);
    const bool Everything = configurationFile(Changed);
    for (auto &[Path, Document] : Documents) {
      // The editor's text of an open document is what its analysis reads, saved or not.
      const bool Reads = Document.Last && Path != Changed &&
                         (Document.Last->Dependencies.contains(RealPath) ||
                          Document.Last->Dependencies.contains(Changed));
      if (Everything || Reads)
        schedule(Document, Clock::duration::zero());
    }
  }
}

AnalysisPtr DocumentScheduler::currentAnalysis(const std::string &Path) const {
  std::lock_guard<std::mutex> Lock(Mutex);
  auto It = Documents.find(Path);
  if (It == Documents.end() || !It->second.Last || It->second.Last->Text != It->second.Text)
    return nullptr;
  return It->second.Last;
}

void DocumentScheduler::whenAnalyzed(const std::string &Path,
                                     llvm::unique_function<void(AnalysisPtr)> Then) {
  AnalysisPtr Current;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    auto It = Documents.find(Path);
    if (It != Documents.end()) {
      Entry &Document = It->second;
      const bool UpToDate = Document.Last && !Document.Due && Running != Path &&
                            Document.Last->Text == Document.Text;
      if (!UpToDate) {
        Document.Waiting.push_back(std::move(Then));
        return;
      }
      Current = Document.Last;
    }
  }
  Then(std::move(Current));
}

void DocumentScheduler::run() {
  std::unique_lock<std::mutex> Lock(Mutex);
  while (!Stopping) {
    std::optional<Clock::time_point> Next;
    for (const auto &[Path, Document] : Documents)
      if (Document.Due && (!Next || *Document.Due < *Next))
        Next = Document.Due;
    if (!Next)
      Wake.wait(Lock);
    else if (*Next > Clock::now())
      Wake.wait_until(Lock, *Next);
    else
      analyzeDue(Lock);
  }
}

void DocumentScheduler::analyzeDue(std::unique_lock<std::mutex> &Lock) {
  auto Due = Documents.end();
  for (auto It = Documents.begin(); It != Documents.end(); ++It)
    if (It->second.Due && (Due == Documents.end() || *It->second.Due < *Due->second.Due))
      Due = It;
  const std::string Path = Due->first;
  Entry &Document = Due->second;
  Document.Due.reset();
  AnalysisRequest Request;
  for (const auto &[OpenPath, Open] : Documents) {
    if (OpenPath == Path)
      Request.Main = Request.Documents.size();
    Request.Documents.push_back({OpenPath, Open.URI.uri().str(), Open.Text});
  }
  const int64_t Version = Document.Version;
  const std::string URI = Document.URI.uri().str();
  Running = Path;
  // A change from now on cancels this analysis, even before it reaches the worker.
  Worker.prepare();
  Lock.unlock();

  // Closed, or changed while analyzed: a newer analysis is due instead.
  auto Outdated = [&](std::map<std::string, Entry>::iterator It) {
    return It == Documents.end() || It->second.Version != Version ||
           It->second.Text != Request.Documents[Request.Main].Text;
  };
  // The checks' findings, before the library's instantiations: published at once, and
  // what code actions see; the whole reply replaces them if it adds to them.
  AnalysisPtr Early;
  auto WhenEarly = [&](AnalysisReply Reply) {
    std::unique_lock<std::mutex> Relock(Mutex);
    auto It = Documents.find(Path);
    if (Outdated(It))
      return;
    auto Analysis = std::make_shared<DocumentAnalysis>();
    Analysis->Version = Version;
    Analysis->Text = Request.Documents[Request.Main].Text;
    Analysis->ResultId = std::to_string(++Analyses);
    Analysis->Findings = std::move(Reply.Findings);
    for (const std::string &Dependency : Reply.Dependencies)
      Analysis->Dependencies.insert(Dependency);
    It->second.Last = Early = Analysis;
    Relock.unlock();
    Events.Analyzed(URI, *Analysis);
  };
  std::string ProgressToken;
  WorkerProcess::Outcome Outcome = Worker.analyze(
      Request, SlowAnalysis, [&] { ProgressToken = Events.SlowAnalysisStarted(URI); },
      WhenEarly);
  if (!ProgressToken.empty())
    Events.SlowAnalysisEnded(ProgressToken);

  Lock.lock();
  Running.clear();
  auto It = Documents.find(Path);
  if (Outcome.Kind == WorkerProcess::Outcome::Cancelled || Outdated(It))
    return;
  const bool SameAsEarly = Early && Outcome.Kind == WorkerProcess::Outcome::Analyzed &&
                           sameFindings(Early->Findings, Outcome.Reply.Findings);
  auto Analysis = std::make_shared<DocumentAnalysis>();
  Analysis->Version = Version;
  Analysis->Text = std::move(Request.Documents[Request.Main].Text);
  Analysis->ResultId = SameAsEarly ? Early->ResultId : std::to_string(++Analyses);
  if (Outcome.Kind == WorkerProcess::Outcome::Crashed) {
    lsp::Logger::error("the analysis of {0} crashed: the worker {1}", Path, Outcome.Crash);
    Analysis->Findings.push_back(
        documentProblem(crashMessage(Outcome.Crash), lsp::DiagnosticSeverity::Error));
    // What it read before is the best guess of what it reads.
    if (It->second.Last)
      Analysis->Dependencies = It->second.Last->Dependencies;
  } else {
    Analysis->Findings = std::move(Outcome.Reply.Findings);
    for (const std::string &Dependency : Outcome.Reply.Dependencies)
      Analysis->Dependencies.insert(Dependency);
  }
  It->second.Last = Analysis;
  std::vector<llvm::unique_function<void(AnalysisPtr)>> Waiting;
  if (!It->second.Due)
    Waiting = std::move(It->second.Waiting);
  Lock.unlock();
  if (!SameAsEarly)
    Events.Analyzed(URI, *Analysis);
  for (auto &Then : Waiting)
    Then(Analysis);
  Lock.lock();
}

} // namespace untangle
