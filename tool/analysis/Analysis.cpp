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
    for (const auto &Entry : llvm::make_range(SM.fileinfo_begin(), SM.fileinfo_end())) {
      llvm::StringRef RealPath = Entry.first.getFileEntry().tryGetRealPathName();
      Record.Dependencies.insert(RealPath.empty() ? Entry.first.getName() : RealPath);
    }
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

class AnalysisActionFactory : public tooling::FrontendActionFactory {
public:
  AnalysisActionFactory(ClangTidyContext &Context,
                        IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS,
                        const FatalErrorRecorder &FatalErrors, RunRecord &Record)
      : ConsumerFactory(Context, std::move(BaseFS)), FatalErrors(FatalErrors),
        Record(Record) {}

  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<Action>(ConsumerFactory, FatalErrors, Record);
  }

  bool runInvocation(std::shared_ptr<CompilerInvocation> Invocation,
                     FileManager *Files,
                     std::shared_ptr<PCHContainerOperations> PCHContainerOps,
                     DiagnosticConsumer *DiagConsumer) override {
    // Same as clang-tidy: code guarded by __clang_analyzer__ is seen.
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    return FrontendActionFactory::runInvocation(std::move(Invocation), Files,
                                                std::move(PCHContainerOps),
                                                DiagConsumer);
  }

private:
  class Action : public ASTFrontendAction {
  public:
    Action(ClangTidyASTConsumerFactory &Factory, const FatalErrorRecorder &FatalErrors,
           RunRecord &Record)
        : Factory(Factory), FatalErrors(FatalErrors), Record(Record) {}
    std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &Compiler,
                                                   StringRef File) override {
      std::vector<std::unique_ptr<ASTConsumer>> Consumers;
      Consumers.push_back(Factory.createASTConsumer(Compiler, File));
      Consumers.push_back(
          std::make_unique<AnalyzedFileRecorder>(Compiler, FatalErrors, Record));
      return std::make_unique<MultiplexConsumer>(std::move(Consumers));
    }

  private:
    ClangTidyASTConsumerFactory &Factory;
    const FatalErrorRecorder &FatalErrors;
    RunRecord &Record;
  };

  ClangTidyASTConsumerFactory ConsumerFactory;
  const FatalErrorRecorder &FatalErrors;
  RunRecord &Record;
};

} // namespace

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
                           bool Quiet) {
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
  AnalysisActionFactory Factory(Context, std::move(BaseFS), FatalErrors, Record);
  Tool.run(&Factory);

  Result.Errors = DiagConsumer.take();
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
