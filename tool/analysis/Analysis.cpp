//===--- Analysis.cpp - run the rules over translation units -------------===//

#include "analysis/Analysis.h"
#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringSet.h"

using namespace clang;
using namespace clang::tidy;

namespace untangle {

namespace {

/// Sits between clang and clang-tidy's diagnostic consumer to see fatal errors
/// (a missing #include, too many errors): with clang-tidy's consumer installed, the
/// DiagnosticsEngine's own fatal-error flag stays unset.
class FatalErrorRecorder : public DiagnosticConsumer {
public:
  explicit FatalErrorRecorder(DiagnosticConsumer &Next) : Next(Next) {}
  void BeginSourceFile(const LangOptions &LangOpts, const Preprocessor *PP) override {
    HadFatalError = false;
    Next.BeginSourceFile(LangOpts, PP);
  }
  void EndSourceFile() override { Next.EndSourceFile(); }
  void finish() override { Next.finish(); }
  bool IncludeInDiagnosticCounts() const override {
    return Next.IncludeInDiagnosticCounts();
  }
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    HadFatalError |= Level == DiagnosticsEngine::Fatal;
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    Next.HandleDiagnostic(Level, Info);
  }
  bool HadFatalError = false;

private:
  DiagnosticConsumer &Next;
};

/// What a translation unit read and whether it was analyzed, shared by the files of one
/// run.
struct RunRecord {
  llvm::StringSet<> Analyzed;
  llvm::StringSet<> Dependencies;
};

/// Runs last in the consumer chain: the file was analyzed unless clang gave up on it.
class AnalyzedFileRecorder : public ASTConsumer {
public:
  AnalyzedFileRecorder(CompilerInstance &Compiler, const FatalErrorRecorder &FatalErrors,
                       RunRecord &Record)
      : Compiler(Compiler), FatalErrors(FatalErrors), Record(Record) {}
  void HandleTranslationUnit(ASTContext &) override {
    // The compile command may name the file relative to its own directory; the real
    // path is what the inputs are compared with.
    const SourceManager &SM = Compiler.getSourceManager();
    // Even after a fatal error: saving the header that caused it calls for a new run.
    addFilesRead(SM, Record.Dependencies);
    if (FatalErrors.HadFatalError)
      return;
    if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
      Record.Analyzed.insert(Main->getFileEntry().tryGetRealPathName());
  }

private:
  CompilerInstance &Compiler;
  const FatalErrorRecorder &FatalErrors;
  RunRecord &Record;
};

/// Runs after the checks: hands the customizer the findings so far, which are taken
/// from clang-tidy's consumer into \p Taken (the run's result puts them first).
class ChecksDoneNotifier : public ASTConsumer {
public:
  ChecksDoneNotifier(CompilerInstance &Compiler, RunCustomizer &Customizer,
                     ClangTidyDiagnosticConsumer &Diagnostics,
                     std::vector<ClangTidyError> &Taken)
      : Compiler(Compiler), Customizer(Customizer), Diagnostics(Diagnostics),
        Taken(Taken) {}
  void HandleTranslationUnit(ASTContext &) override {
    Customizer.checksDone(Compiler, [&]() -> const std::vector<ClangTidyError> & {
      for (ClangTidyError &Error : Diagnostics.take())
        Taken.push_back(std::move(Error));
      return Taken;
    });
  }

private:
  CompilerInstance &Compiler;
  RunCustomizer &Customizer;
  ClangTidyDiagnosticConsumer &Diagnostics;
  std::vector<ClangTidyError> &Taken;
};

class AnalysisActionFactory : public tooling::FrontendActionFactory {
public:
  AnalysisActionFactory(ClangTidyContext &Context,
                        IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS,
                        const FatalErrorRecorder &FatalErrors, RunRecord &Record,
                        RunCustomizer *Customizer, ClangTidyDiagnosticConsumer &Diagnostics,
                        std::vector<ClangTidyError> &Taken)
      : ConsumerFactory(Context, std::move(BaseFS)), FatalErrors(FatalErrors),
        Record(Record), Customizer(Customizer), Diagnostics(Diagnostics), Taken(Taken) {}

  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<Action>(*this);
  }

  bool runInvocation(std::shared_ptr<CompilerInvocation> Invocation,
                     FileManager *Files,
                     std::shared_ptr<PCHContainerOperations> PCHContainerOps,
                     DiagnosticConsumer *DiagConsumer) override {
    // Same as clang-tidy: code guarded by __clang_analyzer__ is seen.
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    IntrusiveRefCntPtr<FileManager> Adjusted(Files);
    if (Customizer) {
      IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS =
          Customizer->adjustInvocation(*Invocation, *Files, PCHContainerOps);
      if (FS != Files->getVirtualFileSystemPtr())
        Adjusted = llvm::makeIntrusiveRefCnt<FileManager>(Files->getFileSystemOpts(),
                                                          std::move(FS));
    }
    return FrontendActionFactory::runInvocation(std::move(Invocation), Adjusted.get(),
                                                std::move(PCHContainerOps),
                                                DiagConsumer);
  }

private:
  class Action : public ASTFrontendAction {
  public:
    explicit Action(AnalysisActionFactory &Run) : Run(Run) {}
    std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &Compiler,
                                                   StringRef File) override {
      std::vector<std::unique_ptr<ASTConsumer>> Consumers;
      // The checks register their preprocessor callbacks here, before the
      // customizer's consumer is made: it may replay directives to them.
      std::unique_ptr<ASTConsumer> Checks =
          Run.ConsumerFactory.createASTConsumer(Compiler, File);
      if (Run.Customizer)
        Consumers.push_back(Run.Customizer->createConsumer(Compiler));
      Consumers.push_back(std::move(Checks));
      Consumers.push_back(
          std::make_unique<AnalyzedFileRecorder>(Compiler, Run.FatalErrors, Run.Record));
      if (Run.Customizer)
        Consumers.push_back(std::make_unique<ChecksDoneNotifier>(
            Compiler, *Run.Customizer, Run.Diagnostics, Run.Taken));
      return std::make_unique<MultiplexConsumer>(std::move(Consumers));
    }

  private:
    AnalysisActionFactory &Run;
  };

  ClangTidyASTConsumerFactory ConsumerFactory;
  const FatalErrorRecorder &FatalErrors;
  RunRecord &Record;
  RunCustomizer *Customizer;
  ClangTidyDiagnosticConsumer &Diagnostics;
  std::vector<ClangTidyError> &Taken;
};

} // namespace

void addFilesRead(const SourceManager &SM, llvm::StringSet<> &Files) {
  for (const auto &Entry : llvm::make_range(SM.fileinfo_begin(), SM.fileinfo_end())) {
    llvm::StringRef RealPath = Entry.first.getFileEntry().tryGetRealPathName();
    Files.insert(RealPath.empty() ? Entry.first.getName() : RealPath);
  }
}

tooling::ArgumentsAdjuster configuredArgumentsAdjuster(ClangTidyContext &Context) {
  // ExtraArgs / ExtraArgsBefore from the configuration, per file, as clang-tidy does.
  tooling::ArgumentsAdjuster FromConfiguration =
      [&Context](const tooling::CommandLineArguments &Args, StringRef File) {
        ClangTidyOptions Opts = Context.getOptionsForFile(File);
        tooling::CommandLineArguments Adjusted = Args;
        if (Opts.ExtraArgsBefore) {
          auto I = Adjusted.begin();
          if (I != Adjusted.end() && !StringRef(*I).starts_with("-"))
            ++I; // Skip the compiler name.
          Adjusted.insert(I, Opts.ExtraArgsBefore->begin(), Opts.ExtraArgsBefore->end());
        }
        if (Opts.ExtraArgs)
          Adjusted.insert(Adjusted.end(), Opts.ExtraArgs->begin(), Opts.ExtraArgs->end());
        return Adjusted;
      };
  return tooling::combineAdjusters(std::move(FromConfiguration),
                                   tooling::getStripPluginsAdjuster());
}

std::optional<std::string>
missingCommandDirectory(const tooling::CompilationDatabase &Compilations, StringRef File) {
  for (const tooling::CompileCommand &Command : Compilations.getCompileCommands(File))
    if (!llvm::sys::fs::is_directory(Command.Directory))
      return Command.Directory;
  return std::nullopt;
}

AnalysisResult runAnalysis(ClangTidyContext &Context,
                           const tooling::CompilationDatabase &Compilations,
                           llvm::ArrayRef<std::string> AllFiles,
                           IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS,
                           bool Quiet, RunCustomizer *Customizer) {
  AnalysisResult Result;
  std::vector<std::string> Files;
  for (const std::string &File : AllFiles) {
    if (std::optional<std::string> Missing = missingCommandDirectory(Compilations, File)) {
      Result.NotAnalyzed.push_back(File);
      Result.Problems.push_back("the compile command of '" + File + "' runs in '" +
                                *Missing + "', which does not exist");
      continue;
    }
    Files.push_back(File);
  }
  tooling::ClangTool Tool(Compilations, Files,
                          std::make_shared<PCHContainerOperations>(), BaseFS);
  Tool.setPrintErrorMessage(!Quiet);

  Tool.appendArgumentsAdjuster(configuredArgumentsAdjuster(Context));

  ClangTidyDiagnosticConsumer DiagConsumer(Context, nullptr,
                                           /*RemoveIncompatibleErrors=*/true,
                                           /*GetFixesFromNotes=*/false);
  auto DiagOpts = std::make_unique<DiagnosticOptions>();
  DiagnosticsEngine Diags(llvm::makeIntrusiveRefCnt<DiagnosticIDs>(), *DiagOpts,
                          &DiagConsumer, /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(std::move(DiagOpts), &Diags);
  FatalErrorRecorder FatalErrors(DiagConsumer);
  Tool.setDiagnosticConsumer(&FatalErrors);

  RunRecord Record;
  std::vector<ClangTidyError> TakenEarly;
  AnalysisActionFactory Factory(Context, std::move(BaseFS), FatalErrors, Record,
                                Customizer, DiagConsumer, TakenEarly);
  Tool.run(&Factory);

  Result.Errors = std::move(TakenEarly);
  for (ClangTidyError &Error : DiagConsumer.take())
    Result.Errors.push_back(std::move(Error));
  for (const std::string &File : Files) {
    llvm::SmallString<256> RealPath(File);
    llvm::sys::fs::real_path(File, RealPath);
    (Record.Analyzed.contains(RealPath) ? Result.Analyzed : Result.NotAnalyzed)
        .push_back(File);
  }
  for (const auto &Dependency : Record.Dependencies)
    Result.Dependencies.push_back(Dependency.getKey().str());
  llvm::sort(Result.Dependencies);
  return Result;
}

} // namespace untangle
