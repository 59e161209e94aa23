//===--- DocumentAnalysis.cpp - one open document through the rules ------===//

#include "lsp/DocumentAnalysis.h"
#include "analysis/Analysis.h"
#include "analysis/SourceLocations.h"
#include "inputs/Inputs.h"
#include "lsp/PreambleAnalysis.h"
#include "lsp/TextPositions.h"
#include "reports/Output.h"
#include "clang-tidy/ClangTidy.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/LSP/Logging.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/xxhash.h"
#include <map>

using namespace clang;
using namespace clang::tidy;
namespace lsp = llvm::lsp;

namespace untangle {

namespace {

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

bool sameFile(llvm::StringRef A, llvm::StringRef B) {
  if (A == B)
    return true;
  llvm::SmallString<256> RealA, RealB;
  return !llvm::sys::fs::real_path(A, RealA) && !llvm::sys::fs::real_path(B, RealB) &&
         RealA == RealB;
}

class DocumentAnalyzer {
public:
  DocumentAnalyzer(const AnalysisRequest &Request, const ServerSettings &Settings,
                   PreambleStore *Preambles, const EarlyReplies *Early)
      : Documents(Request.Documents), Doc(Request.Documents[Request.Main]),
        Settings(Settings), Preambles(Preambles), Early(Early) {}

  AnalysisReply analyze() {
    AnalysisReply Reply;
    const std::string &File = Doc.Path;
    Reply.Dependencies.push_back(File);
    auto ConfigFileErrors = std::make_shared<std::vector<std::string>>();
    // A new provider per analysis: edits of .untangle files apply on the next one.
    auto ProviderOrError = createOptionsProvider(Settings.Flags, ConfigFileErrors);
    if (!ProviderOrError) {
      Reply.Findings.push_back(documentProblem(
          llvm::toString(ProviderOrError.takeError()), lsp::DiagnosticSeverity::Error));
      return Reply;
    }
    std::unique_ptr<ClangTidyOptionsProvider> Provider = std::move(*ProviderOrError);

    for (std::string &Problem : verifyConfiguration(*Provider, File))
      Reply.Findings.push_back(
          documentProblem(std::move(Problem), lsp::DiagnosticSeverity::Error));
    for (const std::string &Problem : *ConfigFileErrors)
      Reply.Findings.push_back(documentProblem(Problem, lsp::DiagnosticSeverity::Error));
    if (!Reply.Findings.empty())
      return Reply;
    if (getCheckNames(Provider->getOptions(File), false, false).empty()) {
      Reply.Findings.push_back(documentProblem("no checks enabled (see --checks)",
                                               lsp::DiagnosticSeverity::Warning));
      return Reply;
    }

    auto Compilations = compilationsFor(File);
    if (!Compilations) {
      Reply.Findings.push_back(documentProblem(llvm::toString(Compilations.takeError()),
                                               lsp::DiagnosticSeverity::Error));
      return Reply;
    }

    // The unsaved text of every open document shadows the file on disk: an edited
    // header is analyzed as the editor shows it, so the offsets of findings and fixes
    // in it match the text textOf() converts them with.
    auto Unsaved = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
    // A preamble that read an open document is stale when its text changes: the
    // modification time, which PrecompiledPreamble::CanReuse compares, is a hash of
    // the text (kept below 2^30 seconds, far from any overflow).
    for (const OpenDocument &Open : Documents)
      Unsaved->addFile(Open.Path, 1 + llvm::xxh3_64bits(Open.Text) % (1u << 30),
                       llvm::MemoryBuffer::getMemBufferCopy(Open.Text, Open.Path));
    auto FS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
        llvm::vfs::getRealFileSystem());
    FS->pushOverlay(Unsaved);

    ClangTidyContext Context(std::move(Provider),
                             /*AllowEnablingAnalyzerAlphaCheckers=*/false,
                             /*EnableModuleHeadersParsing=*/false,
                             /*ExperimentalCustomChecks=*/false);
    std::optional<PreambleRun> WithPreamble;
    if (Preambles) {
      EarlyFindings BeforeInstantiations;
      if (Early && Early->Send) {
        BeforeInstantiations.Send = [&](const std::vector<ClangTidyError> &SoFar) {
          AnalysisResult Checked;
          Checked.Errors = SoFar;
          AnalysisReply EarlyReply;
          EarlyReply.Early = true;
          EarlyReply.KeepsPreamble = WithPreamble->use() != PreambleRun::Use::None;
          EarlyReply.Findings = findingsOf(Checked, Context.getOptionsForFile(File));
          EarlyReply.Dependencies = Reply.Dependencies;
          for (std::string &Dependency : WithPreamble->dependencies())
            if (!sameFile(Dependency, File))
              EarlyReply.Dependencies.push_back(std::move(Dependency));
          Early->Send(EarlyReply);
        };
        BeforeInstantiations.Abandoned = Early->Abandoned;
      }
      WithPreamble.emplace(*Preambles, std::move(BeforeInstantiations));
    }
    AnalysisResult Result =
        runAnalysis(Context, **Compilations, {File}, FS, /*Quiet=*/true,
                    WithPreamble ? &*WithPreamble : nullptr);
    if (WithPreamble) {
      static constexpr const char *Uses[] = {"none", "built", "reused"};
      lsp::Logger::info("analysis of {0}: preamble {1}", File,
                        Uses[static_cast<int>(WithPreamble->use())]);
      Reply.KeepsPreamble = WithPreamble->use() != PreambleRun::Use::None;
      for (std::string &Dependency : WithPreamble->dependencies())
        Result.Dependencies.push_back(std::move(Dependency));
    }
    Reply.Findings = findingsOf(Result, Context.getOptionsForFile(File));
    for (std::string &Problem : Result.Problems)
      Reply.Findings.push_back(
          documentProblem(std::move(Problem), lsp::DiagnosticSeverity::Error));
    for (std::string &Dependency : Result.Dependencies)
      if (!sameFile(Dependency, File))
        Reply.Dependencies.push_back(std::move(Dependency));
    return Reply;
  }

private:
  /// The flags after `--`, as a database the way the command line reads them.
  std::unique_ptr<tooling::CompilationDatabase> commandLineDatabase() const {
    if (!Settings.CompilerArgs)
      return nullptr;
    std::vector<const char *> Argv{"untangle", "--"};
    for (const std::string &Arg : *Settings.CompilerArgs)
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
          resolveInputs({std::string(File)}, Settings.BuildPath, commandLineDatabase());
      if (!In)
        return In.takeError();
      if (!In->UsingDefaultFlags)
        return tooling::inferMissingCompileCommands(std::move(In->Compilations));
    } else if (Settings.CompilerArgs) {
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

  /// The text a replacement or a note refers to: an open document's, else the file's.
  const std::string *textOf(llvm::StringRef File) {
    for (const OpenDocument &Open : Documents)
      if (sameFile(Open.Path, File))
        return &Open.Text;
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

  std::string uriOf(llvm::StringRef File) const {
    // An open document's URI is spelled as the client spells it.
    if (sameFile(Doc.Path, File))
      return Doc.URI;
    for (const OpenDocument &Open : Documents)
      if (sameFile(Open.Path, File))
        return Open.URI;
    llvm::Expected<lsp::URIForFile> URI = lsp::URIForFile::fromFile(File);
    if (!URI) {
      llvm::consumeError(URI.takeError());
      return "";
    }
    return URI->uri().str();
  }

  std::vector<Finding> findingsOf(const AnalysisResult &Result,
                                  const ClangTidyOptions &Options) {
    std::vector<Finding> Findings;
    for (const ClangTidyError &Error : Result.Errors) {
      const tooling::DiagnosticMessage &Message = Error.Message;
      const std::string File =
          SourceLocations::absolutePath(Message.FilePath, Error.BuildDirectory);
      const bool InDocument = !Message.FilePath.empty() && sameFile(Doc.Path, File);
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
        const std::string *Source = textOf(NoteFile);
        std::string URI = uriOf(NoteFile);
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
      F.Diagnostic = ownedCopy(lsp::toJSON(Diagnostic));
      (*F.Diagnostic.getAsObject())["code"] = Error.DiagnosticName;
      F.ActionTitle = actionTitle(Error, Options);
      std::map<std::string, llvm::json::Array> Edits;
      bool Complete = true;
      for (const auto &[FixFile, Replacements] : Message.Fix)
        for (const tooling::Replacement &R : Replacements) {
          const std::string Target =
              SourceLocations::absolutePath(R.getFilePath(), Error.BuildDirectory);
          const std::string *Source = textOf(Target);
          std::string URI = uriOf(Target);
          if (!Source || URI.empty()) {
            Complete = false;
            continue;
          }
          Edits[URI].push_back(ownedCopy(lsp::toJSON(lsp::TextEdit{
              rangeAt(*Source, R.getOffset(), R.getLength()), R.getReplacementText().str()})));
        }
      // Half a fix-it would leave the code broken: none is offered then.
      if (Complete)
        for (auto &[URI, TextEdits] : Edits)
          F.Edits[URI] = std::move(TextEdits);
      Findings.push_back(std::move(F));
    }
    return Findings;
  }

  const std::vector<OpenDocument> &Documents;
  const OpenDocument &Doc;
  const ServerSettings &Settings;
  PreambleStore *Preambles;
  const EarlyReplies *Early;
  llvm::StringMap<std::string> FromDisk;
};

} // namespace

AnalysisReply analyzeDocument(const AnalysisRequest &Request,
                              const ServerSettings &Settings, PreambleStore *Preambles,
                              const EarlyReplies *Early) {
  return DocumentAnalyzer(Request, Settings, Preambles, Early).analyze();
}

} // namespace untangle
