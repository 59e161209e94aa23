//===--- PreambleAnalysis.cpp - a document's includes parsed once --------===//

#include "lsp/PreambleAnalysis.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/DiagnosticIDs.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Sema/Sema.h"
#include "clang/Sema/SemaConsumer.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/LSP/Logging.h"

using namespace clang;
namespace lsp = llvm::lsp;

namespace untangle {

namespace {

/// Whether the preamble's build said something a reused preamble would not repeat.
class BuildDiagnostics : public DiagnosticConsumer {
public:
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level >= DiagnosticsEngine::Error)
      Unrepeatable = true;
    else if (Level == DiagnosticsEngine::Warning && Info.hasSourceManager() &&
             Info.getLocation().isValid() &&
             Info.getSourceManager().isInMainFile(
                 Info.getSourceManager().getExpansionLoc(Info.getLocation())))
      Unrepeatable = true;
  }
  bool Unrepeatable = false;
};

/// Records the document's #include directives and the files the preamble read.
class BuildRecorder : public PreambleCallbacks {
public:
  void BeforeExecute(CompilerInstance &Compiler) override {
    SM = &Compiler.getSourceManager();
  }
  void AfterExecute(CompilerInstance &Compiler) override {
    addFilesRead(Compiler.getSourceManager(), Read);
  }
  std::unique_ptr<PPCallbacks> createPPCallbacks() override {
    struct Recorder : PPCallbacks {
      BuildRecorder &Build;
      explicit Recorder(BuildRecorder &Build) : Build(Build) {}
      void InclusionDirective(SourceLocation HashLoc, const Token &, StringRef FileName,
                              bool IsAngled, CharSourceRange FileNameRange,
                              OptionalFileEntryRef File, StringRef SearchPath,
                              StringRef RelativePath, const Module *, bool,
                              SrcMgr::CharacteristicKind FileType) override {
        const SourceManager &SM = *Build.SM;
        if (!SM.isWrittenInMainFile(HashLoc))
          return;
        PreambleStore::Inclusion I;
        I.HashOffset = SM.getFileOffset(HashLoc);
        I.FileName = FileName.str();
        I.IsAngled = IsAngled;
        I.FileNameBegin = SM.getFileOffset(FileNameRange.getBegin());
        I.FileNameEnd = SM.getFileOffset(FileNameRange.getEnd());
        if (File)
          I.File = File->getName().str();
        I.SearchPath = SearchPath.str();
        I.RelativePath = RelativePath.str();
        I.FileType = FileType;
        Build.Inclusions.push_back(std::move(I));
      }
    };
    return std::make_unique<Recorder>(*this);
  }

  const SourceManager *SM = nullptr;
  std::vector<PreambleStore::Inclusion> Inclusions;
  llvm::StringSet<> Read;
};

/// Sets aside the instantiations of function templates written in system headers that
/// the document asked for. clang performs them at the end of the translation unit,
/// before the checks run, and on a Beast file they are nine tenths of an edit's
/// analysis (the composed operations of a WebSocket handshake for the document's
/// handler types). The checks do not walk them (setTraversalScope below) and nothing
/// else about the document depends on their bodies; what they can add is an error
/// inside the library's code, which PreambleRun::checksDone reports after the checks'
/// findings. Sema asks its external sources, at the end of the translation unit, for
/// the pending instantiations just before it performs them, and for the functions used
/// but not defined just before it warns about them: the two moments to step in.
class LibraryInstantiationDeferral : public ExternalSemaSource {
public:
  LibraryInstantiationDeferral(Sema &S,
                               std::vector<Sema::PendingImplicitInstantiation> &Deferred)
      : S(S), Deferred(Deferred) {}

  void ReadPendingInstantiations(
      SmallVectorImpl<Sema::PendingImplicitInstantiation> &) override {
    const SourceManager &SM = S.getSourceManager();
    std::erase_if(S.PendingInstantiations, [&](const Sema::PendingImplicitInstantiation &P) {
      const auto *Function = dyn_cast<FunctionDecl>(P.first);
      const FunctionDecl *Pattern =
          Function ? Function->getTemplateInstantiationPattern() : nullptr;
      if (!Pattern || !SM.isInSystemHeader(SM.getExpansionLoc(Pattern->getLocation())))
        return false;
      Deferred.push_back(P);
      SetAside.insert(Function->getCanonicalDecl());
      return true;
    });
  }

  /// An inline function or one of a type without linkage, used but not defined, is
  /// diagnosed here (-Wundefined-inline, or an error); these will be defined.
  void ReadUndefinedButUsed(llvm::MapVector<NamedDecl *, SourceLocation> &Undefined) override {
    Undefined.remove_if([&](const std::pair<NamedDecl *, SourceLocation> &Use) {
      return SetAside.contains(Use.first);
    });
  }

private:
  Sema &S;
  std::vector<Sema::PendingImplicitInstantiation> &Deferred;
  llvm::DenseSet<const Decl *> SetAside;
};

/// Runs before the checks' consumer: replays the preamble's #include directives to
/// the checks' callbacks and limits what the checks walk.
/// With \p Deferred, it sets the library's instantiations aside there.
class ScopeConsumer : public SemaConsumer {
public:
  ScopeConsumer(CompilerInstance &Compiler,
                llvm::ArrayRef<PreambleStore::Inclusion> Replayed,
                llvm::ArrayRef<std::string> PreambleFiles,
                std::vector<Sema::PendingImplicitInstantiation> *Deferred)
      : Compiler(Compiler), Replayed(Replayed), PreambleFiles(PreambleFiles),
        Deferred(Deferred) {}

  void InitializeSema(Sema &S) override {
    if (Deferred)
      S.addExternalSource(llvm::makeIntrusiveRefCnt<LibraryInstantiationDeferral>(S, *Deferred));
  }

  void Initialize(ASTContext &) override {
    PPCallbacks *Callbacks = Compiler.getPreprocessor().getPPCallbacks();
    if (!Callbacks)
      return;
    SourceManager &SM = Compiler.getSourceManager();
    const SourceLocation Start = SM.getLocForStartOfFile(SM.getMainFileID());
    for (const PreambleStore::Inclusion &I : Replayed) {
      Token IncludeToken;
      IncludeToken.startToken();
      IncludeToken.setKind(tok::identifier);
      IncludeToken.setLocation(Start.getLocWithOffset(I.HashOffset + 1));
      OptionalFileEntryRef File;
      if (!I.File.empty())
        File = Compiler.getFileManager().getOptionalFileRef(I.File);
      Callbacks->InclusionDirective(
          Start.getLocWithOffset(I.HashOffset), IncludeToken, I.FileName, I.IsAngled,
          CharSourceRange::getCharRange(Start.getLocWithOffset(I.FileNameBegin),
                                        Start.getLocWithOffset(I.FileNameEnd)),
          File, I.SearchPath, I.RelativePath, /*SuggestedModule=*/nullptr,
          /*ModuleImported=*/false, I.FileType);
    }
  }

  void HandleTranslationUnit(ASTContext &Context) override {
    SourceManager &SM = Context.getSourceManager();
    // The SourceManager lists a file of the preamble only once something of it has
    // been read back, which depends on what the parse needed (fewer files without the
    // library's instantiations); the rules ask it whether a file is included before
    // they add an #include with a fix-it (includesFile). List them all, as a parse
    // without a preamble does: setFileIsTransient is the public way to add a file to
    // the table without reading it or giving it a FileID (transience matters only
    // when an AST is written, which this one is not).
    FileManager &Files = SM.getFileManager();
    for (const std::string &Path : PreambleFiles)
      if (OptionalFileEntryRef File = Files.getOptionalFileRef(Path))
        SM.setFileIsTransient(*File);
    std::vector<Decl *> Scope;
    for (Decl *D : Context.getTranslationUnitDecl()->decls())
      if (!SM.isInSystemHeader(SM.getExpansionLoc(D->getBeginLoc())))
        Scope.push_back(D);
    Context.setTraversalScope(Scope);
  }

private:
  CompilerInstance &Compiler;
  llvm::ArrayRef<PreambleStore::Inclusion> Replayed;
  llvm::ArrayRef<std::string> PreambleFiles;
  std::vector<Sema::PendingImplicitInstantiation> *Deferred;
};

} // namespace

llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>
PreambleRun::adjustInvocation(CompilerInvocation &Invocation, FileManager &Files,
                              std::shared_ptr<PCHContainerOperations> PCHContainerOps) {
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS = Files.getVirtualFileSystemPtr();
  const FrontendOptions &Frontend = Invocation.getFrontendOpts();
  if (Frontend.Inputs.size() != 1 || !Frontend.Inputs[0].isFile())
    return FS;
  const std::string MainFile = Frontend.Inputs[0].getFile().str();
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Main = FS->getBufferForFile(MainFile);
  if (!Main)
    return FS;
  const PreambleBounds Bounds =
      ComputePreambleBounds(Invocation.getLangOpts(), (*Main)->getMemBufferRef(), 0);
  if (Bounds.Size == 0)
    return FS;
  // Another command (a define, an include path) is another preamble, which CanReuse
  // does not check.
  std::string Command = llvm::join(Invocation.getCC1CommandLine(), "\n");

  PreambleStore::Entry *Entry = nullptr;
  auto &Entries = Store.Entries;
  for (auto It = Entries.begin(); It != Entries.end(); ++It)
    if (It->MainFile == MainFile) {
      if (It->Command == Command &&
          It->Preamble.CanReuse(Invocation, (*Main)->getMemBufferRef(), Bounds, *FS)) {
        Entries.splice(Entries.begin(), Entries, It);
        Entry = &Entries.front();
        Used = Use::Reused;
      } else {
        Entries.erase(It);
      }
      break;
    }
  if (!Entry)
    Entry = build(Invocation, Files, **Main, Bounds, std::move(Command),
                  std::move(PCHContainerOps));
  if (!Entry || !Entry->Usable) {
    Used = Use::None;
    return FS;
  }
  if (Used != Use::Reused)
    Used = Use::Built;
  Active = Entry;
  // The main file is remapped to its text, which the compiler instance then owns
  // (PreprocessorOptions::RetainRemappedFileBuffers is off).
  Entry->Preamble.AddImplicitPreamble(Invocation, FS, Main->release());
  return FS;
}

PreambleStore::Entry *
PreambleRun::build(const CompilerInvocation &Invocation, FileManager &Files,
                   const llvm::MemoryBuffer &Main, PreambleBounds Bounds,
                   std::string Command,
                   std::shared_ptr<PCHContainerOperations> PCHContainerOps) {
  DiagnosticOptions Options = Invocation.getDiagnosticOpts();
  BuildDiagnostics Diagnostics;
  auto Engine = llvm::makeIntrusiveRefCnt<DiagnosticsEngine>(
      DiagnosticIDs::create(), Options, &Diagnostics, /*ShouldOwnClient=*/false);
  BuildRecorder Recorder;
  // The headers' own pending instantiations (an inline function of a header using a
  // template) are performed once, into the preamble, rather than at the end of every
  // edit's parse: on a coroutine-heavy file they are a third of the main file's parse.
  // The AST is the same either way (the option is benign for the PCH's users), which
  // lsp-preamble.test checks by comparing findings with a run without a preamble.
  CompilerInvocation PreambleInvocation(Invocation);
  PreambleInvocation.getLangOpts().PCHInstantiateTemplates = true;
  // In memory: a worker killed by a newer text or a crash leaves no file behind.
  llvm::ErrorOr<PrecompiledPreamble> Built = PrecompiledPreamble::Build(
      PreambleInvocation, &Main, Bounds, Engine, Files.getVirtualFileSystemPtr(),
      std::move(PCHContainerOps), /*StoreInMemory=*/true, /*StoragePath=*/"", Recorder);
  if (!Built) {
    lsp::Logger::info("no preamble for {0}: {1}", Invocation.getFrontendOpts().Inputs[0].getFile(),
                      Built.getError().message());
    return nullptr;
  }
  std::vector<std::string> Read;
  for (const auto &File : Recorder.Read)
    Read.push_back(File.getKey().str());
  Store.Entries.push_front(PreambleStore::Entry{
      Invocation.getFrontendOpts().Inputs[0].getFile().str(), std::move(Command),
      std::move(*Built), !Diagnostics.Unrepeatable, std::move(Recorder.Inclusions),
      std::move(Read)});
  while (Store.Entries.size() > Store.Capacity)
    Store.Entries.pop_back();
  return &Store.Entries.front();
}

std::unique_ptr<ASTConsumer> PreambleRun::createConsumer(CompilerInstance &Compiler) {
  return std::make_unique<ScopeConsumer>(
      Compiler,
      Active ? llvm::ArrayRef(Active->Inclusions)
             : llvm::ArrayRef<PreambleStore::Inclusion>(),
      Active ? llvm::ArrayRef(Active->Dependencies) : llvm::ArrayRef<std::string>(),
      Early.Send ? &Deferred : nullptr);
}

void PreambleRun::checksDone(
    CompilerInstance &Compiler,
    llvm::function_ref<const std::vector<tidy::ClangTidyError> &()> FindingsSoFar) {
  if (Deferred.empty() || !Compiler.hasSema())
    return;
  if (Early.Abandoned && Early.Abandoned())
    return;
  Early.Send(FindingsSoFar());
  // One at a time, so that a newer text stops the rest: each may ask for many more,
  // which PerformPendingInstantiations performs before it returns.
  Sema &S = Compiler.getSema();
  for (const Sema::PendingImplicitInstantiation &Instantiation : Deferred) {
    if (Early.Abandoned && Early.Abandoned())
      break;
    S.PendingInstantiations.push_back(Instantiation);
    S.PerformPendingInstantiations();
  }
  Deferred.clear();
}

std::vector<std::string> PreambleRun::dependencies() const {
  return Active ? Active->Dependencies : std::vector<std::string>();
}

} // namespace untangle
