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

/// Runs last in the consumer chain: the file was analyzed unless clang gave up on it.
class AnalyzedFileRecorder : public ASTConsumer {
public:
  AnalyzedFileRecorder(CompilerInstance &Compiler, const FatalErrorRecorder &FatalErrors,
                       llvm::StringSet<> &Analyzed)
      : Compiler(Compiler), FatalErrors(FatalErrors), Analyzed(Analyzed) {}
  void HandleTranslationUnit(ASTContext &) override {
    if (FatalErrors.HadFatalError)
      return;
    // The compile command may name the file relative to its own directory; the real
    // path is what the inputs are compared with.
    const SourceManager &SM = Compiler.getSourceManager();
    if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
      Analyzed.insert(Main->getFileEntry().tryGetRealPathName());
  }

private:
  CompilerInstance &Compiler;
  const FatalErrorRecorder &FatalErrors;
  llvm::StringSet<> &Analyzed;
};

class AnalysisActionFactory : public tooling::FrontendActionFactory {
public:
  AnalysisActionFactory(ClangTidyContext &Context,
                        IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS,
                        const FatalErrorRecorder &FatalErrors, llvm::StringSet<> &Analyzed)
      : ConsumerFactory(Context, std::move(BaseFS)), FatalErrors(FatalErrors),
        Analyzed(Analyzed) {}

  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<Action>(ConsumerFactory, FatalErrors, Analyzed);
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
           llvm::StringSet<> &Analyzed)
        : Factory(Factory), FatalErrors(FatalErrors), Analyzed(Analyzed) {}
    std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &Compiler,
                                                   StringRef File) override {
      std::vector<std::unique_ptr<ASTConsumer>> Consumers;
      Consumers.push_back(Factory.createASTConsumer(Compiler, File));
      Consumers.push_back(
          std::make_unique<AnalyzedFileRecorder>(Compiler, FatalErrors, Analyzed));
      return std::make_unique<MultiplexConsumer>(std::move(Consumers));
    }

  private:
    ClangTidyASTConsumerFactory &Factory;
    const FatalErrorRecorder &FatalErrors;
    llvm::StringSet<> &Analyzed;
  };

  ClangTidyASTConsumerFactory ConsumerFactory;
  const FatalErrorRecorder &FatalErrors;
  llvm::StringSet<> &Analyzed;
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

  llvm::StringSet<> Analyzed;
  AnalysisActionFactory Factory(Context, std::move(BaseFS), FatalErrors, Analyzed);
  Tool.run(&Factory);

  Result.Errors = DiagConsumer.take();
  for (const std::string &File : Files) {
    llvm::SmallString<256> RealPath(File);
    llvm::sys::fs::real_path(File, RealPath);
    (Analyzed.contains(RealPath) ? Result.Analyzed : Result.NotAnalyzed).push_back(File);
  }
  return Result;
}

} // namespace untangle
