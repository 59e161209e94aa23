//===--- LanguageServer.cpp - `untangle lsp`, a Language Server ----------===//
//
// The protocol: the messages the server takes and what it answers. The thread that
// reads the messages never analyzes: documents go to the DocumentScheduler, whose thread
// hands them to a worker process, so requests are answered while clang parses.
//
//===----------------------------------------------------------------------===//

#include "lsp/LanguageServer.h"
#include "lsp/DocumentScheduler.h"
#include "lsp/WorkerProcess.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/LSP/Logging.h"
#include "llvm/Support/LSP/Protocol.h"
#include "llvm/Support/LSP/Transport.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <optional>
#include <unistd.h>

namespace cl = llvm::cl;
namespace json = llvm::json;
namespace lsp = llvm::lsp;

namespace untangle {

namespace {

cl::OptionCategory LspCategory("untangle lsp options");

cl::opt<lsp::Logger::Level> LogLevel(
    "log", cl::desc("What the server logs on stderr"), cl::init(lsp::Logger::Level::Error),
    cl::values(clEnumValN(lsp::Logger::Level::Error, "error", "errors only (default)"),
               clEnumValN(lsp::Logger::Level::Info, "info", "each message's method"),
               clEnumValN(lsp::Logger::Level::Debug, "verbose", "each message in full")),
    cl::sub(languageServerCommand()), cl::cat(LspCategory));

cl::opt<unsigned> DebounceMs(
    "debounce",
    cl::desc("Milliseconds a document waits after a change before it is analyzed, so that "
             "typing starts one analysis, not one per keystroke (default 200)"),
    cl::init(200), cl::sub(languageServerCommand()), cl::cat(LspCategory));

cl::opt<bool> AnalysisWorker(
    "analysis-worker",
    cl::desc("Internal: serve analyses to the server over stdin/stdout (WorkerProcess.h)"),
    cl::Hidden, cl::sub(languageServerCommand()), cl::cat(LspCategory));

//===----------------------------------------------------------------------===//
// Parameters LLVM's library does not model
//===----------------------------------------------------------------------===//

struct InitializeRequest {
  lsp::InitializeParams Params;
  /// workspace.didChangeWatchedFiles.dynamicRegistration
  bool WatchesFilesOnRequest = false;
};

bool fromJSON(const json::Value &Value, InitializeRequest &Request, json::Path Path) {
  if (!lsp::fromJSON(Value, Request.Params, Path))
    return false;
  if (const json::Object *Object = Value.getAsObject())
    if (const json::Object *Capabilities = Object->getObject("capabilities"))
      if (const json::Object *Workspace = Capabilities->getObject("workspace"))
        if (const json::Object *Watched = Workspace->getObject("didChangeWatchedFiles"))
          Request.WatchesFilesOnRequest =
              Watched->getBoolean("dynamicRegistration").value_or(false);
  return true;
}

struct DidSaveParams {
  lsp::TextDocumentIdentifier textDocument;
};

bool fromJSON(const json::Value &Value, DidSaveParams &Params, json::Path Path) {
  json::ObjectMapper Map(Value, Path);
  return Map && Map.map("textDocument", Params.textDocument);
}

struct DidChangeWatchedFilesParams {
  std::vector<lsp::URIForFile> Changed;
};

bool fromJSON(const json::Value &Value, DidChangeWatchedFilesParams &Params,
              json::Path Path) {
  const json::Object *Object = Value.getAsObject();
  const json::Array *Changes = Object ? Object->getArray("changes") : nullptr;
  if (!Changes) {
    Path.report("expected changes");
    return false;
  }
  for (const json::Value &Change : *Changes) {
    const json::Object *Event = Change.getAsObject();
    const json::Value *URI = Event ? Event->get("uri") : nullptr;
    lsp::URIForFile File;
    if (!URI || !lsp::fromJSON(*URI, File, Path.field("changes")))
      return false;
    Params.Changed.push_back(std::move(File));
  }
  return true;
}

/// textDocument/diagnostic (LSP 3.17).
struct DocumentDiagnosticParams {
  lsp::TextDocumentIdentifier textDocument;
  std::optional<std::string> previousResultId;
};

bool fromJSON(const json::Value &Value, DocumentDiagnosticParams &Params, json::Path Path) {
  json::ObjectMapper Map(Value, Path);
  return Map && Map.map("textDocument", Params.textDocument) &&
         Map.mapOptional("previousResultId", Params.previousResultId);
}

/// JSONTransport::run ends the session on a message that is JSON but not JSON-RPC (no
/// "jsonrpc": "2.0", or neither a method nor an id). A client's bad message must not
/// take the server down: such messages, and text that is not JSON, are dropped here
/// with a log line.
class CheckedInput : public lsp::JSONTransportInput {
public:
  explicit CheckedInput(std::FILE *In) : In(In) {}
  bool hasError() const override { return In.hasError(); }
  bool isEndOfInput() const override { return In.isEndOfInput(); }
  llvm::LogicalResult readDelimitedMessage(std::string &Json) override {
    return keepValid(In.readDelimitedMessage(Json), Json);
  }
  llvm::LogicalResult readStandardMessage(std::string &Json) override {
    return keepValid(In.readStandardMessage(Json), Json);
  }

private:
  static llvm::LogicalResult keepValid(llvm::LogicalResult Read, const std::string &Json) {
    if (llvm::failed(Read))
      return Read;
    llvm::Expected<json::Value> Message = json::parse(Json);
    if (!Message) {
      lsp::Logger::error("dropped a message that is not JSON: {0}",
                         llvm::toString(Message.takeError()));
      return llvm::failure();
    }
    const json::Object *Object = Message->getAsObject();
    const bool Valid =
        Object && Object->getString("jsonrpc") == "2.0" &&
        (Object->getString("method") || (!Object->get("method") && Object->get("id")));
    if (!Valid) {
      lsp::Logger::error("dropped a message that is not JSON-RPC 2.0: {0}", Json);
      return llvm::failure();
    }
    return llvm::success();
  }

  lsp::JSONTransportInputOverFile In;
};

//===----------------------------------------------------------------------===//
// The server
//===----------------------------------------------------------------------===//

class LanguageServer {
public:
  LanguageServer(lsp::JSONTransport &Transport, std::vector<std::string> WorkerCommand)
      : Handler(Transport), Worker(std::move(WorkerCommand)),
        PublishDiagnostics(Handler.outgoingNotification<json::Value>(
            "textDocument/publishDiagnostics")),
        CreateProgress(Handler.outgoingRequest<json::Value, lsp::NoParams>(
            "window/workDoneProgress/create",
            [this](json::Value Id, llvm::Expected<lsp::NoParams> Result) {
              onProgressCreated(Id, std::move(Result));
            })),
        ReportProgress(Handler.outgoingNotification<json::Value>("$/progress")),
        RegisterCapability(Handler.outgoingRequest<json::Value, lsp::NoParams>(
            "client/registerCapability",
            [](json::Value, llvm::Expected<lsp::NoParams> Result) {
              if (!Result)
                lsp::Logger::error("the client did not watch the files: {0}",
                                   llvm::toString(Result.takeError()));
            })),
        Scheduler(Worker, std::chrono::milliseconds(DebounceMs), schedulerEvents()) {
    Handler.method("initialize", this, &LanguageServer::onInitialize);
    Handler.notification("initialized", this, &LanguageServer::onInitialized);
    Handler.method("shutdown", this, &LanguageServer::onShutdown);
    Handler.notification("textDocument/didOpen", this, &LanguageServer::onDidOpen);
    Handler.notification("textDocument/didChange", this, &LanguageServer::onDidChange);
    Handler.notification("textDocument/didSave", this, &LanguageServer::onDidSave);
    Handler.notification("textDocument/didClose", this, &LanguageServer::onDidClose);
    Handler.notification("workspace/didChangeWatchedFiles", this,
                         &LanguageServer::onDidChangeWatchedFiles);
    Handler.method("textDocument/codeAction", this, &LanguageServer::onCodeAction);
    Handler.method("textDocument/diagnostic", this, &LanguageServer::onDiagnostic);
    Handler.method("textDocument/hover", this, &LanguageServer::onHover);
  }

  ~LanguageServer() { Scheduler.stop(); }

  lsp::MessageHandler &handler() { return Handler; }
  bool shutdownRequested() const { return ShutdownRequested; }

private:
  SchedulerEvents schedulerEvents() {
    SchedulerEvents Events;
    Events.Analyzed = [this](const std::string &URI, const DocumentAnalysis &Analysis) {
      json::Array Diagnostics;
      for (const Finding &F : Analysis.Findings)
        Diagnostics.push_back(F.Diagnostic);
      PublishDiagnostics(json::Object{{"uri", URI},
                                      {"version", Analysis.Version},
                                      {"diagnostics", std::move(Diagnostics)}});
    };
    Events.SlowAnalysisStarted = [this](const std::string &URI) {
      return beginProgress(URI);
    };
    Events.SlowAnalysisEnded = [this](const std::string &Token) { endProgress(Token); };
    return Events;
  }

  void onInitialize(const InitializeRequest &Request, lsp::Callback<json::Value> Reply) {
    ClientShowsProgress = Request.Params.capabilities.workDoneProgress;
    WatchesFilesOnRequest = Request.WatchesFilesOnRequest;
    json::Object Capabilities{
        {"textDocumentSync",
         json::Object{{"openClose", true},
                      {"change", static_cast<int>(lsp::TextDocumentSyncKind::Full)},
                      {"save", json::Object{{"includeText", false}}}}},
        {"hoverProvider", true},
        {"codeActionProvider",
         json::Object{{"codeActionKinds", json::Array{lsp::CodeAction::kQuickFix}}}},
        // Findings depend on headers and configuration, not only on the document.
        {"diagnosticProvider",
         json::Object{{"interFileDependencies", true}, {"workspaceDiagnostics", false}}}};
    Reply(json::Object{
        {"capabilities", std::move(Capabilities)},
        {"serverInfo", json::Object{{"name", "untangle"}, {"version", UNTANGLE_VERSION}}}});
  }

  void onInitialized(const lsp::InitializedParams &) {
    if (!WatchesFilesOnRequest)
      return;
    // Headers, because documents read them; the configuration and compile databases,
    // because every document depends on them.
    json::Array Watchers;
    for (const char *Glob : {"**/.untangle", "**/compile_commands.json",
                             "**/compile_flags.txt", "**/*.{h,hh,hpp,hxx,inc,ipp,tpp}"})
      Watchers.push_back(json::Object{{"globPattern", Glob}});
    RegisterCapability(
        json::Object{{"registrations",
                      json::Array{json::Object{
                          {"id", "untangle-watched-files"},
                          {"method", "workspace/didChangeWatchedFiles"},
                          {"registerOptions",
                           json::Object{{"watchers", std::move(Watchers)}}}}}}},
        "untangle-register-watchers");
  }

  void onShutdown(const lsp::NoParams &, lsp::Callback<std::nullptr_t> Reply) {
    ShutdownRequested = true;
    // An analysis under way is not waited for.
    Scheduler.stop();
    Reply(nullptr);
  }

  void onDidOpen(const lsp::DidOpenTextDocumentParams &Params) {
    Scheduler.open(Params.textDocument.uri, Params.textDocument.version,
                   Params.textDocument.text);
  }

  void onDidChange(const lsp::DidChangeTextDocumentParams &Params) {
    if (!Scheduler.change(Params))
      lsp::Logger::error("didChange for a document that is not open: {0}",
                         Params.textDocument.uri.uri());
  }

  void onDidSave(const DidSaveParams &Params) {
    Scheduler.filesChanged({Params.textDocument.uri.file().str()});
  }

  void onDidChangeWatchedFiles(const DidChangeWatchedFilesParams &Params) {
    std::vector<std::string> Paths;
    for (const lsp::URIForFile &File : Params.Changed)
      Paths.push_back(File.file().str());
    Scheduler.filesChanged(Paths);
  }

  void onDidClose(const lsp::DidCloseTextDocumentParams &Params) {
    Scheduler.close(Params.textDocument.uri.file().str());
    PublishDiagnostics(json::Object{{"uri", Params.textDocument.uri.uri()},
                                    {"diagnostics", json::Array()}});
  }

  /// From the last analysis, and only if it was made on the document's current text:
  /// an edit computed on another text would land in the wrong place. While a newer
  /// text is analyzed, there are none.
  void onCodeAction(const lsp::CodeActionParams &Params, lsp::Callback<json::Value> Reply) {
    json::Array Actions;
    const std::vector<std::string> &Only = Params.context.only;
    const bool QuickFixWanted =
        Only.empty() || llvm::any_of(Only, [](llvm::StringRef Kind) {
          return llvm::StringRef(lsp::CodeAction::kQuickFix).starts_with(Kind);
        });
    AnalysisPtr Analysis = Scheduler.currentAnalysis(Params.textDocument.uri.file().str());
    if (!Analysis || !QuickFixWanted)
      return Reply(std::move(Actions));
    for (const Finding &F : Analysis->Findings) {
      if (F.Edits.empty() || !(F.Range.start <= Params.range.end) ||
          !(Params.range.start <= F.Range.end))
        continue;
      Actions.push_back(json::Object{
          {"title", F.ActionTitle},
          {"kind", lsp::CodeAction::kQuickFix},
          {"isPreferred", true},
          {"diagnostics", json::Array{F.Diagnostic}},
          {"edit", json::Object{{"changes", json::Object(F.Edits)}}}});
    }
    Reply(std::move(Actions));
  }

  /// The findings under the cursor, from the last analysis if it was made on the
  /// current text; null otherwise.
  void onHover(const lsp::TextDocumentPositionParams &Params,
               lsp::Callback<json::Value> Reply) {
    AnalysisPtr Analysis = Scheduler.currentAnalysis(Params.textDocument.uri.file().str());
    std::string Markdown;
    std::optional<lsp::Range> Range;
    for (const Finding &F : Analysis ? Analysis->Findings : std::vector<Finding>()) {
      if (!(F.Range.start <= Params.position) || !(Params.position <= F.Range.end))
        continue;
      const json::Object *Diagnostic = F.Diagnostic.getAsObject();
      if (!Markdown.empty())
        Markdown += "\n\n";
      if (std::optional<llvm::StringRef> Code = Diagnostic->getString("code"))
        Markdown += ("**" + *Code + "**: ").str();
      Markdown += Diagnostic->getString("message").value_or("").str();
      Range = F.Range;
    }
    if (!Range)
      return Reply(nullptr);
    Reply(json::Object{{"contents", json::Object{{"kind", "markdown"}, {"value", Markdown}}},
                       {"range", lsp::toJSON(*Range)}});
  }

  /// Pull diagnostics: the findings of the document's current text, once analyzed.
  void onDiagnostic(const DocumentDiagnosticParams &Params,
                    lsp::Callback<json::Value> Reply) {
    Scheduler.whenAnalyzed(
        Params.textDocument.uri.file().str(),
        [Previous = Params.previousResultId,
         Reply = std::move(Reply)](AnalysisPtr Analysis) mutable {
          if (!Analysis)
            return Reply(json::Object{{"kind", "full"}, {"items", json::Array()}});
          if (Previous == Analysis->ResultId)
            return Reply(json::Object{{"kind", "unchanged"}, {"resultId", *Previous}});
          json::Array Items;
          for (const Finding &F : Analysis->Findings)
            Items.push_back(F.Diagnostic);
          Reply(json::Object{{"kind", "full"},
                             {"resultId", Analysis->ResultId},
                             {"items", std::move(Items)}});
        });
  }

  //===--------------------------------------------------------------------===//
  // Work-done progress: created by the server, begun once the client agreed.
  //===--------------------------------------------------------------------===//

  std::string beginProgress(const std::string &URI) {
    if (!ClientShowsProgress)
      return "";
    const std::string Token = "untangle-analysis-" + std::to_string(++ProgressTokens);
    {
      std::lock_guard<std::mutex> Lock(ProgressMutex);
      Progress[Token].Title = "analyzing " + llvm::StringRef(URI).rsplit('/').second.str();
    }
    CreateProgress(json::Object{{"token", Token}}, Token);
    return Token;
  }

  void onProgressCreated(const json::Value &Id, llvm::Expected<lsp::NoParams> Result) {
    std::optional<llvm::StringRef> Token = Id.getAsString();
    std::lock_guard<std::mutex> Lock(ProgressMutex);
    auto It = Token ? Progress.find(Token->str()) : Progress.end();
    if (It == Progress.end())
      return;
    if (!Result) {
      lsp::Logger::error("the client refused a progress token: {0}",
                         llvm::toString(Result.takeError()));
      Progress.erase(It);
      return;
    }
    if (It->second.Ended) {
      Progress.erase(It);
      return;
    }
    It->second.Begun = true;
    ReportProgress(json::Object{
        {"token", It->first},
        {"value", json::Object{{"kind", "begin"}, {"title", "untangle"},
                               {"message", It->second.Title}}}});
  }

  void endProgress(const std::string &Token) {
    std::lock_guard<std::mutex> Lock(ProgressMutex);
    auto It = Progress.find(Token);
    if (It == Progress.end())
      return;
    if (!It->second.Begun) {
      It->second.Ended = true; // Nothing to end before the client agreed.
      return;
    }
    ReportProgress(json::Object{{"token", Token}, {"value", json::Object{{"kind", "end"}}}});
    Progress.erase(It);
  }

  struct ProgressState {
    std::string Title;
    bool Begun = false;
    bool Ended = false;
  };

  lsp::MessageHandler Handler;
  WorkerProcess Worker;
  lsp::OutgoingNotification<json::Value> PublishDiagnostics;
  lsp::OutgoingRequest<json::Value> CreateProgress;
  lsp::OutgoingNotification<json::Value> ReportProgress;
  lsp::OutgoingRequest<json::Value> RegisterCapability;
  std::atomic<bool> ClientShowsProgress = false;
  bool WatchesFilesOnRequest = false;
  std::atomic<uint64_t> ProgressTokens = 0;
  std::mutex ProgressMutex;
  std::map<std::string, ProgressState> Progress;
  bool ShutdownRequested = false;
  /// Last: its thread calls into the members above.
  DocumentScheduler Scheduler;
};

int runLanguageServer(std::vector<std::string> WorkerCommand) {
  // The protocol owns stdout. Whatever else would print there (clang with `-v` in a
  // compile command, say) goes to stderr instead, not into the message stream. The
  // workers do not inherit it (F_DUPFD_CLOEXEC).
  llvm::outs().flush();
  const int ProtocolFD = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
  if (ProtocolFD < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    lsp::Logger::error("cannot set stdout aside for the protocol: {0}",
                       std::strerror(errno));
    return 1;
  }
  // A worker that died leaves a pipe without reader: writing to it must fail, not
  // end the server.
  std::signal(SIGPIPE, SIG_IGN);
  llvm::raw_fd_ostream ProtocolOut(ProtocolFD, /*shouldClose=*/true);
  lsp::JSONTransport Transport(std::make_unique<CheckedInput>(stdin), ProtocolOut);
  LanguageServer Server(Transport, std::move(WorkerCommand));
  if (llvm::Error Ended = Transport.run(Server.handler())) {
    // The input ended before `exit`: the client is gone.
    lsp::Logger::error("input ended without an exit notification: {0}",
                       llvm::toString(std::move(Ended)));
    return 1;
  }
  return Server.shutdownRequested() ? 0 : 1;
}

} // namespace

int languageServerMain(int argc, const char **argv) {
  // The worker runs this same command line, with --analysis-worker after `lsp`.
  std::vector<std::string> WorkerCommand{
      llvm::sys::fs::getMainExecutable(argv[0], reinterpret_cast<void *>(&languageServerMain)),
      "lsp", "--analysis-worker"};
  WorkerCommand.insert(WorkerCommand.end(), argv + 2, argv + argc);
  // Flags after `--` are the compile command of every document, as on the command line.
  std::optional<std::vector<std::string>> CompilerArgs;
  for (int I = 1; I < argc; ++I)
    if (llvm::StringRef(argv[I]) == "--") {
      CompilerArgs.emplace(argv + I + 1, argv + argc);
      argc = I;
      break;
    }
  cl::HideUnrelatedOptions({&LspCategory, &configurationCategory()},
                           languageServerCommand());
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "untangle lsp [options] [-- <compiler args>]: a Language Server over "
          "stdin/stdout (docs/editors.md)\n",
          &llvm::errs()))
    return 2;
  lsp::Logger::setLogLevel(LogLevel);

  auto Error = []() -> llvm::raw_ostream & {
    return llvm::WithColor::error(llvm::errs(), "untangle lsp");
  };
  llvm::StringRef BuildPath = buildPathFlag();
  if (!BuildPath.empty() && !llvm::sys::fs::is_directory(BuildPath)) {
    Error() << "build directory '" << BuildPath << "' does not exist\n";
    return 2;
  }
  ConfigurationFlags Flags = configurationFlags();
  // A malformed --config is the command's mistake, not a document's: stop here.
  auto Provider =
      createOptionsProvider(Flags, std::make_shared<std::vector<std::string>>());
  if (!Provider) {
    Error() << llvm::toString(Provider.takeError()) << "\n";
    return 2;
  }
  if (!AnalysisWorker)
    return runLanguageServer(std::move(WorkerCommand));

  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmParsers();
  llvm::SmallString<256> Absolute(BuildPath);
  if (!Absolute.empty())
    llvm::sys::fs::make_absolute(Absolute);
  return runAnalysisWorker(
      ServerSettings{std::move(Flags), std::string(Absolute), std::move(CompilerArgs)});
}

} // namespace untangle
