//===--- LanguageServer.cpp - `untangle lsp`, a Language Server ----------===//
//
// The documents are analyzed synchronously, on the thread reading the messages: one
// translation unit takes about a second, and analyzing in order keeps the published
// diagnostics and the code actions on the same text as the client.
//
//===----------------------------------------------------------------------===//

#include "lsp/LanguageServer.h"
#include "analysis/Analysis.h"
#include "inputs/Inputs.h"
#include "reports/Output.h"
#include "analysis/SourceLocations.h"
#include "clang-tidy/ClangTidy.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/LSP/Logging.h"
#include "llvm/Support/LSP/Protocol.h"
#include "llvm/Support/LSP/Transport.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/WithColor.h"
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <unistd.h>

using namespace clang;
using namespace clang::tidy;
namespace cl = llvm::cl;
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

//===----------------------------------------------------------------------===//
// Positions: LSP counts lines from 0 and columns in UTF-16 code units.
//===----------------------------------------------------------------------===//

/// The UTF-16 length of UTF-8 text: code points above U+FFFF (4-byte sequences) take
/// two units, every other code point one; continuation bytes add nothing.
int utf16Length(llvm::StringRef UTF8) {
  int Units = 0;
  for (unsigned char C : UTF8)
    if ((C & 0xC0) != 0x80)
      Units += C >= 0xF0 ? 2 : 1;
  return Units;
}

lsp::Position positionAt(llvm::StringRef Text, size_t Offset) {
  llvm::StringRef Before = Text.take_front(Offset);
  size_t LineStart = Before.rfind('\n');
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  return lsp::Position(static_cast<int>(Before.count('\n')),
                       utf16Length(Before.drop_front(LineStart)));
}

/// Positions past the end of a line or of the text are clamped, as LSP asks.
size_t offsetAt(llvm::StringRef Text, lsp::Position Position) {
  size_t Offset = 0;
  for (int Line = 0; Line < Position.line; ++Line) {
    size_t NewLine = Text.find('\n', Offset);
    if (NewLine == llvm::StringRef::npos)
      return Text.size();
    Offset = NewLine + 1;
  }
  for (int Units = 0;
       Offset < Text.size() && Text[Offset] != '\n' && Units < Position.character;) {
    const unsigned char Lead = Text[Offset];
    const size_t Length = Lead < 0xC0 ? 1 : Lead < 0xE0 ? 2 : Lead < 0xF0 ? 3 : 4;
    Units += Length == 4 ? 2 : 1;
    Offset = std::min(Text.size(), Offset + Length);
  }
  return Offset;
}

lsp::Range rangeAt(llvm::StringRef Text, size_t Offset, size_t Length) {
  return lsp::Range(positionAt(Text, Offset), positionAt(Text, Offset + Length));
}

//===----------------------------------------------------------------------===//
// Documents and findings
//===----------------------------------------------------------------------===//

/// One published diagnostic, with the fix-it it offers as a code action.
struct Finding {
  lsp::Range Range;
  /// As published: lsp::Diagnostic has no `code`, which carries the check name here.
  llvm::json::Value Diagnostic = nullptr;
  std::string ActionTitle;
  /// URI -> edits; empty when the finding has no fix-it.
  std::map<std::string, std::vector<lsp::TextEdit>> Edits;
};

struct Document {
  lsp::URIForFile URI;
  int64_t Version = 0;
  std::string Text;
  std::vector<Finding> Findings;
};

/// The code action of each check; a check without a title of its own gets one from
/// its finding.
std::string actionTitle(const ClangTidyError &Error, const ClangTidyOptions &Options) {
  llvm::StringRef Check = Error.DiagnosticName;
  if (Check == "untangle-callback-nesting") {
    auto Style = Options.CheckOptions.find("untangle-callback-nesting.RewriteStyle");
    return Style != Options.CheckOptions.end() && Style->getValue().Value == "promise"
               ? "Convert callback chain to promise chain"
               : "Convert callback chain to coroutine";
  }
  if (Check == "untangle-data-race")
    return "Make the counter std::atomic";
  return "Apply fix: " + Error.Message.Message;
}

lsp::DiagnosticSeverity severityFor(const ClangTidyError &Error) {
  llvm::StringRef Severity = severityOf(Error);
  if (Severity == "error")
    return lsp::DiagnosticSeverity::Error;
  if (Severity == "remark")
    return lsp::DiagnosticSeverity::Information;
  return lsp::DiagnosticSeverity::Warning;
}

/// A deep copy of \p Value that owns its strings. The library's toJSON functions refer
/// to some strings of the structure they convert (URIs, as StringRef), and the findings'
/// diagnostics outlive those structures.
llvm::json::Value owned(const llvm::json::Value &Value) {
  if (std::optional<llvm::StringRef> String = Value.getAsString())
    return String->str();
  if (const llvm::json::Array *Array = Value.getAsArray()) {
    llvm::json::Array Copy;
    for (const llvm::json::Value &Element : *Array)
      Copy.push_back(owned(Element));
    return Copy;
  }
  if (const llvm::json::Object *Object = Value.getAsObject()) {
    llvm::json::Object Copy;
    for (const auto &[Key, Element] : *Object)
      Copy[Key.str()] = owned(Element);
    return Copy;
  }
  return Value;
}

/// Findings about the document as a whole (configuration, compile database) sit on its
/// first character.
Finding documentProblem(std::string Message, lsp::DiagnosticSeverity Severity) {
  lsp::Diagnostic Diagnostic;
  Diagnostic.range = lsp::Range(lsp::Position(0, 0), lsp::Position(0, 1));
  Diagnostic.severity = Severity;
  Diagnostic.source = "untangle";
  Diagnostic.message = std::move(Message);
  Finding Result;
  Result.Range = Diagnostic.range;
  Result.Diagnostic = owned(lsp::toJSON(Diagnostic));
  return Result;
}

bool sameFile(llvm::StringRef A, llvm::StringRef B) {
  if (A == B)
    return true;
  llvm::SmallString<256> RealA, RealB;
  return !llvm::sys::fs::real_path(A, RealA) && !llvm::sys::fs::real_path(B, RealB) &&
         RealA == RealB;
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
    llvm::Expected<llvm::json::Value> Message = llvm::json::parse(Json);
    if (!Message) {
      lsp::Logger::error("dropped a message that is not JSON: {0}",
                         llvm::toString(Message.takeError()));
      return llvm::failure();
    }
    const llvm::json::Object *Object = Message->getAsObject();
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
  LanguageServer(lsp::JSONTransport &Transport, const ConfigurationFlags &Flags,
                 llvm::StringRef BuildPath,
                 std::optional<std::vector<std::string>> CompilerArgs)
      : Handler(Transport), Flags(Flags), BuildPath(BuildPath),
        CompilerArgs(std::move(CompilerArgs)),
        PublishDiagnostics(Handler.outgoingNotification<llvm::json::Value>(
            "textDocument/publishDiagnostics")) {
    Handler.method("initialize", this, &LanguageServer::onInitialize);
    Handler.notification("initialized", this, &LanguageServer::onInitialized);
    Handler.method("shutdown", this, &LanguageServer::onShutdown);
    Handler.notification("textDocument/didOpen", this, &LanguageServer::onDidOpen);
    Handler.notification("textDocument/didChange", this, &LanguageServer::onDidChange);
    Handler.notification("textDocument/didClose", this, &LanguageServer::onDidClose);
    Handler.method("textDocument/codeAction", this, &LanguageServer::onCodeAction);
  }

  lsp::MessageHandler &handler() { return Handler; }
  bool shutdownRequested() const { return ShutdownRequested; }

private:
  void onInitialize(const lsp::InitializeParams &, lsp::Callback<llvm::json::Value> Reply) {
    llvm::json::Object Capabilities{
        {"textDocumentSync",
         llvm::json::Object{{"openClose", true},
                            {"change", static_cast<int>(lsp::TextDocumentSyncKind::Full)}}},
        {"codeActionProvider",
         llvm::json::Object{
             {"codeActionKinds", llvm::json::Array{lsp::CodeAction::kQuickFix}}}}};
    Reply(llvm::json::Object{
        {"capabilities", std::move(Capabilities)},
        {"serverInfo",
         llvm::json::Object{{"name", "untangle"}, {"version", UNTANGLE_VERSION}}}});
  }

  void onInitialized(const lsp::InitializedParams &) {}

  void onShutdown(const lsp::NoParams &, lsp::Callback<std::nullptr_t> Reply) {
    ShutdownRequested = true;
    Reply(nullptr);
  }

  void onDidOpen(const lsp::DidOpenTextDocumentParams &Params) {
    Document &Doc = Documents[Params.textDocument.uri.file().str()];
    Doc.URI = Params.textDocument.uri;
    Doc.Version = Params.textDocument.version;
    Doc.Text = Params.textDocument.text;
    analyzeAndPublish(Doc);
  }

  void onDidChange(const lsp::DidChangeTextDocumentParams &Params) {
    auto It = Documents.find(Params.textDocument.uri.file().str());
    if (It == Documents.end()) {
      lsp::Logger::error("didChange for a document that is not open: {0}",
                         Params.textDocument.uri.uri());
      return;
    }
    Document &Doc = It->second;
    // The server asks for whole documents (TextDocumentSyncKind::Full), but ranged
    // changes are applied too, with UTF-16 columns (the library's applyTo counts bytes).
    for (const lsp::TextDocumentContentChangeEvent &Change : Params.contentChanges) {
      if (!Change.range) {
        Doc.Text = Change.text;
        continue;
      }
      size_t Begin = offsetAt(Doc.Text, Change.range->start);
      size_t End = std::max(Begin, offsetAt(Doc.Text, Change.range->end));
      Doc.Text.replace(Begin, End - Begin, Change.text);
    }
    Doc.Version = Params.textDocument.version;
    analyzeAndPublish(Doc);
  }

  void onDidClose(const lsp::DidCloseTextDocumentParams &Params) {
    Documents.erase(Params.textDocument.uri.file().str());
    PublishDiagnostics(llvm::json::Object{{"uri", Params.textDocument.uri.uri()},
                                          {"diagnostics", llvm::json::Array()}});
  }

  void onCodeAction(const lsp::CodeActionParams &Params,
                    lsp::Callback<llvm::json::Value> Reply) {
    llvm::json::Array Actions;
    auto It = Documents.find(Params.textDocument.uri.file().str());
    const std::vector<std::string> &Only = Params.context.only;
    const bool QuickFixWanted =
        Only.empty() || llvm::any_of(Only, [](llvm::StringRef Kind) {
          return llvm::StringRef(lsp::CodeAction::kQuickFix).starts_with(Kind);
        });
    if (It == Documents.end() || !QuickFixWanted)
      return Reply(std::move(Actions));
    for (const Finding &F : It->second.Findings) {
      if (F.Edits.empty() || !(F.Range.start <= Params.range.end) ||
          !(Params.range.start <= F.Range.end))
        continue;
      lsp::CodeAction Action;
      Action.title = F.ActionTitle;
      Action.kind = lsp::CodeAction::kQuickFix.str();
      Action.isPreferred = true;
      Action.edit = lsp::WorkspaceEdit{F.Edits};
      llvm::json::Value JSON = lsp::toJSON(Action);
      (*JSON.getAsObject())["diagnostics"] = llvm::json::Array{F.Diagnostic};
      Actions.push_back(std::move(JSON));
    }
    Reply(std::move(Actions));
  }

  void analyzeAndPublish(Document &Doc) {
    Doc.Findings = analyze(Doc);
    llvm::json::Array Diagnostics;
    for (const Finding &F : Doc.Findings)
      Diagnostics.push_back(F.Diagnostic);
    PublishDiagnostics(llvm::json::Object{{"uri", Doc.URI.uri()},
                                          {"version", Doc.Version},
                                          {"diagnostics", std::move(Diagnostics)}});
  }

  /// The flags after `--`, as a database the way the command line reads them.
  std::unique_ptr<tooling::CompilationDatabase> commandLineDatabase() const {
    if (!CompilerArgs)
      return nullptr;
    std::vector<const char *> Argv{"untangle", "--"};
    for (const std::string &Arg : *CompilerArgs)
      Argv.push_back(Arg.c_str());
    int Argc = static_cast<int>(Argv.size());
    std::string Error;
    return tooling::FixedCompilationDatabase::loadFromCommandLine(Argc, Argv.data(), Error);
  }

  /// The compile command comes as for `untangle <file>` (Inputs.h): the flags after
  /// `--`, -p, or the database found upwards from the file. A header or a new file the
  /// database does not list borrows the command of its closest listed neighbour, as in
  /// clangd. Without a database, C++20.
  llvm::Expected<std::unique_ptr<tooling::CompilationDatabase>>
  compilationsFor(llvm::StringRef File) const {
    if (llvm::sys::fs::exists(File)) {
      llvm::Expected<Inputs> In =
          resolveInputs({std::string(File)}, BuildPath, commandLineDatabase());
      if (!In)
        return In.takeError();
      if (!In->UsingDefaultFlags)
        return tooling::inferMissingCompileCommands(std::move(In->Compilations));
    } else if (CompilerArgs) {
      // Not saved yet: no database can list it.
      return commandLineDatabase();
    }
    llvm::StringRef Extension = llvm::sys::path::extension(File);
    std::vector<std::string> Defaults;
    if (Extension != ".c") {
      if (Extension == ".h")
        Defaults.push_back("-xc++");
      Defaults.push_back("-std=c++20");
    }
    return std::make_unique<tooling::FixedCompilationDatabase>(".", Defaults);
  }

  std::vector<Finding> analyze(const Document &Doc) {
    const std::string File = Doc.URI.file().str();
    auto ConfigFileErrors = std::make_shared<std::vector<std::string>>();
    // A new provider per analysis: edits of .untangle files apply on the next change.
    auto ProviderOrError = createOptionsProvider(Flags, ConfigFileErrors);
    if (!ProviderOrError)
      return {documentProblem(llvm::toString(ProviderOrError.takeError()),
                              lsp::DiagnosticSeverity::Error)};
    std::unique_ptr<ClangTidyOptionsProvider> Provider = std::move(*ProviderOrError);

    std::vector<Finding> Problems;
    for (std::string &Problem : verifyConfiguration(*Provider, File))
      Problems.push_back(
          documentProblem(std::move(Problem), lsp::DiagnosticSeverity::Error));
    for (const std::string &Problem : *ConfigFileErrors)
      Problems.push_back(documentProblem(Problem, lsp::DiagnosticSeverity::Error));
    if (!Problems.empty())
      return Problems;
    if (getCheckNames(Provider->getOptions(File), false, false).empty())
      return {documentProblem("no checks enabled (see --checks)",
                              lsp::DiagnosticSeverity::Warning)};

    auto Compilations = compilationsFor(File);
    if (!Compilations)
      return {documentProblem(llvm::toString(Compilations.takeError()),
                              lsp::DiagnosticSeverity::Error)};

    // The unsaved text of every open document shadows the file on disk: an edited
    // header is analyzed as the editor shows it, so the offsets of findings and fixes
    // in it match the text textOf() converts them with.
    auto Unsaved = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
    for (const auto &[Path, Open] : Documents)
      Unsaved->addFile(Path, /*ModificationTime=*/0,
                       llvm::MemoryBuffer::getMemBufferCopy(Open.Text, Path));
    auto FS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
        llvm::vfs::getRealFileSystem());
    FS->pushOverlay(Unsaved);

    ClangTidyContext Context(std::move(Provider),
                             /*AllowEnablingAnalyzerAlphaCheckers=*/false,
                             /*EnableModuleHeadersParsing=*/false,
                             /*ExperimentalCustomChecks=*/false);
    AnalysisResult Result =
        runAnalysis(Context, **Compilations, {File}, FS, /*Quiet=*/true);
    std::vector<Finding> Findings = findingsOf(Doc, Result, Context.getOptionsForFile(File));
    for (std::string &Problem : Result.Problems)
      Findings.push_back(documentProblem(std::move(Problem), lsp::DiagnosticSeverity::Error));
    return Findings;
  }

  /// The text a replacement or a note refers to: an open document's, else the file's.
  const std::string *textOf(llvm::StringRef File,
                            llvm::StringMap<std::string> &FromDisk) const {
    for (const auto &Entry : Documents)
      if (sameFile(Entry.first, File))
        return &Entry.second.Text;
    auto It = FromDisk.find(File);
    if (It == FromDisk.end()) {
      auto Buffer = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                                /*RequiresNullTerminator=*/false);
      if (!Buffer)
        return nullptr;
      It = FromDisk.try_emplace(File, (*Buffer)->getBuffer().str()).first;
    }
    return &It->getValue();
  }

  std::string uriOf(const Document &Doc, llvm::StringRef File) const {
    // An open document's URI is spelled as the client spells it.
    if (sameFile(Doc.URI.file(), File))
      return Doc.URI.uri().str();
    for (const auto &Entry : Documents)
      if (sameFile(Entry.first, File))
        return Entry.second.URI.uri().str();
    llvm::Expected<lsp::URIForFile> URI = lsp::URIForFile::fromFile(File);
    if (!URI) {
      llvm::consumeError(URI.takeError());
      return "";
    }
    return URI->uri().str();
  }

  std::vector<Finding> findingsOf(const Document &Doc, const AnalysisResult &Result,
                                  const ClangTidyOptions &Options) const {
    llvm::StringMap<std::string> FromDisk;
    std::vector<Finding> Findings;
    for (const ClangTidyError &Error : Result.Errors) {
      const tooling::DiagnosticMessage &Message = Error.Message;
      const std::string File =
          SourceLocations::absolutePath(Message.FilePath, Error.BuildDirectory);
      const bool InDocument = !Message.FilePath.empty() && sameFile(Doc.URI.file(), File);
      // Findings in headers are the headers' own; an error there is shown on the
      // document, since it is why the document's analysis may be incomplete.
      if (!InDocument && Error.DiagLevel != ClangTidyError::Error)
        continue;

      lsp::Diagnostic Diagnostic;
      Diagnostic.severity = severityFor(Error);
      Diagnostic.source = "untangle";
      Diagnostic.message = Message.Message;
      std::vector<lsp::DiagnosticRelatedInformation> Related;
      auto Relate = [&](llvm::StringRef NoteFile, unsigned Offset, std::string Text) {
        const std::string *Source = textOf(NoteFile, FromDisk);
        std::string URI = uriOf(Doc, NoteFile);
        if (!Source || URI.empty())
          return;
        llvm::Expected<lsp::URIForFile> Location = lsp::URIForFile::fromURI(URI);
        if (!Location) {
          llvm::consumeError(Location.takeError());
          return;
        }
        Related.emplace_back(
            lsp::Location(*Location,
                          rangeAt(*Source, Offset, markedTokenLength(*Source, Offset))),
            std::move(Text));
      };
      if (InDocument) {
        size_t Length = markedTokenLength(Doc.Text, Message.FileOffset);
        for (const tooling::FileByteRange &Range : Message.Ranges)
          if (Range.FileOffset == Message.FileOffset &&
              sameFile(SourceLocations::absolutePath(Range.FilePath, Error.BuildDirectory),
                       File)) {
            Length = Range.Length;
            break;
          }
        Diagnostic.range = rangeAt(Doc.Text, Message.FileOffset, Length);
      } else {
        Diagnostic.range = lsp::Range(lsp::Position(0, 0), lsp::Position(0, 1));
        Diagnostic.message = "in included file '" + File + "': " + Message.Message;
        if (!Message.FilePath.empty())
          Relate(File, Message.FileOffset, Message.Message);
      }
      for (const tooling::DiagnosticMessage &Note : Error.Notes)
        if (!Note.FilePath.empty())
          Relate(SourceLocations::absolutePath(Note.FilePath, Error.BuildDirectory),
                 Note.FileOffset, Note.Message);
      if (!Related.empty())
        Diagnostic.relatedInformation = std::move(Related);

      Finding F;
      F.Range = Diagnostic.range;
      F.Diagnostic = owned(lsp::toJSON(Diagnostic));
      (*F.Diagnostic.getAsObject())["code"] = Error.DiagnosticName;
      F.ActionTitle = actionTitle(Error, Options);
      bool Complete = true;
      for (const auto &[FixFile, Replacements] : Message.Fix)
        for (const tooling::Replacement &R : Replacements) {
          const std::string Target =
              SourceLocations::absolutePath(R.getFilePath(), Error.BuildDirectory);
          const std::string *Source = textOf(Target, FromDisk);
          std::string URI = uriOf(Doc, Target);
          if (!Source || URI.empty()) {
            Complete = false;
            continue;
          }
          F.Edits[URI].push_back(
              lsp::TextEdit{rangeAt(*Source, R.getOffset(), R.getLength()),
                            R.getReplacementText().str()});
        }
      // Half a fix-it would leave the code broken: none is offered then.
      if (!Complete)
        F.Edits.clear();
      Findings.push_back(std::move(F));
    }
    return Findings;
  }

  lsp::MessageHandler Handler;
  const ConfigurationFlags Flags;
  const std::string BuildPath;
  const std::optional<std::vector<std::string>> CompilerArgs;
  lsp::OutgoingNotification<llvm::json::Value> PublishDiagnostics;
  /// Open documents, by absolute path.
  std::map<std::string, Document> Documents;
  bool ShutdownRequested = false;
};

} // namespace

int runLanguageServer(const ConfigurationFlags &Flags, llvm::StringRef BuildPath,
                      std::optional<std::vector<std::string>> CompilerArgs) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmParsers();

  // The protocol owns stdout. Whatever else would print there (clang with `-v` in a
  // compile command, say) goes to stderr instead, not into the message stream.
  llvm::outs().flush();
  const int ProtocolFD = ::dup(STDOUT_FILENO);
  if (ProtocolFD < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    lsp::Logger::error("cannot set stdout aside for the protocol: {0}",
                       std::strerror(errno));
    return 1;
  }
  llvm::raw_fd_ostream ProtocolOut(ProtocolFD, /*shouldClose=*/true);
  lsp::JSONTransport Transport(std::make_unique<CheckedInput>(stdin), ProtocolOut);
  LanguageServer Server(Transport, Flags, BuildPath, std::move(CompilerArgs));
  if (llvm::Error Ended = Transport.run(Server.handler())) {
    // The input ended before `exit`: the client is gone.
    lsp::Logger::error("input ended without an exit notification: {0}",
                       llvm::toString(std::move(Ended)));
    return 1;
  }
  return Server.shutdownRequested() ? 0 : 1;
}

int languageServerMain(int argc, const char **argv) {
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
  llvm::SmallString<256> Absolute(BuildPath);
  if (!Absolute.empty())
    llvm::sys::fs::make_absolute(Absolute);
  return runLanguageServer(Flags, Absolute, std::move(CompilerArgs));
}

} // namespace untangle
