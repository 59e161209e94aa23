//===--- ResultCache.cpp - per-file results kept between runs -------------===//

#include "inputs/ResultCache.h"
#include "analysis/Analysis.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Basic/Version.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/YAMLTraits.h"

using namespace clang;
using namespace clang::tidy;

namespace untangle {

namespace {

/// Bumped whenever the entry format changes; old entries then simply miss.
constexpr llvm::StringLiteral EntryFormat = "untangle-cache 1";

class KeyHasher {
public:
  /// Fields are separated so that ("ab", "c") and ("a", "bc") hash differently.
  void add(llvm::StringRef Field) {
    Hasher.update(Field);
    Hasher.update(llvm::StringRef("\0", 1));
  }
  std::string hex() { return llvm::toHex(Hasher.final(), /*LowerCase=*/true); }

private:
  llvm::BLAKE3 Hasher;
};

/// __has_include can answer "no" without reading anything; a header that appears
/// later flips the answer, so every answer is part of the key.
class HasIncludeRecorder : public PPCallbacks {
public:
  explicit HasIncludeRecorder(KeyHasher &Key) : Key(Key) {}
  void HasInclude(SourceLocation, StringRef FileName, bool IsAngled,
                  OptionalFileEntryRef File, SrcMgr::CharacteristicKind) override {
    Key.add(IsAngled ? "has_include <>" : "has_include \"\"");
    Key.add(FileName);
    Key.add(File ? File->getName() : "(none)");
  }

private:
  KeyHasher &Key;
};

/// Runs the preprocessor to the end of the file, then hashes every file it read. What
/// the preprocessor read, and the command, decide its output.
class InputHashingAction : public PreprocessOnlyAction {
public:
  InputHashingAction(KeyHasher &Hash, ResultCache::Key &Key) : Hash(Hash), Key(Key) {}

private:
  bool BeginSourceFileAction(CompilerInstance &Compiler) override {
    Compiler.getPreprocessor().addPPCallbacks(std::make_unique<HasIncludeRecorder>(Hash));
    return PreprocessOnlyAction::BeginSourceFileAction(Compiler);
  }

  void EndSourceFileAction() override {
    const SourceManager &SM = getCompilerInstance().getSourceManager();
    std::vector<std::pair<std::string, llvm::StringRef>> Read;
    for (const auto &[File, Content] : llvm::make_range(SM.fileinfo_begin(), SM.fileinfo_end()))
      if (std::optional<llvm::MemoryBufferRef> Buffer = Content->getBufferIfLoaded()) {
        Read.emplace_back(File.getName().str(), Buffer->getBuffer());
        llvm::StringRef RealPath = File.getFileEntry().tryGetRealPathName();
        Key.Inputs.emplace_back(RealPath.empty() ? File.getName() : RealPath,
                                File.getSize(), File.getModificationTime());
      }
    // The SourceManager's map has no stable order.
    llvm::sort(Read);
    for (const auto &[Name, Text] : Read) {
      Hash.add(Name);
      Hash.add(Text);
    }
    PreprocessOnlyAction::EndSourceFileAction();
  }

  KeyHasher &Hash;
  ResultCache::Key &Key;
};

class InputHashingActionFactory : public tooling::FrontendActionFactory {
public:
  InputHashingActionFactory(KeyHasher &Hash, ResultCache::Key &Key) : Hash(Hash), Key(Key) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<InputHashingAction>(Hash, Key);
  }
  bool runInvocation(std::shared_ptr<CompilerInvocation> Invocation, FileManager *Files,
                     std::shared_ptr<PCHContainerOperations> PCHContainerOps,
                     DiagnosticConsumer *DiagConsumer) override {
    // The analysis defines __clang_analyzer__ (as clang-tidy does), which can change
    // what is included; the preprocessing must see the same.
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    return FrontendActionFactory::runInvocation(std::move(Invocation), Files,
                                                std::move(PCHContainerOps), DiagConsumer);
  }

private:
  KeyHasher &Hash;
  ResultCache::Key &Key;
};

/// Inputs the preprocessor does not show: precompiled headers, modules, VFS overlays.
bool readsHiddenInputs(llvm::ArrayRef<std::string> CommandLine) {
  return llvm::any_of(CommandLine, [](llvm::StringRef Argument) {
    return Argument.starts_with("-include-pch") || Argument.starts_with("-fmodules") ||
           Argument.starts_with("-fmodule-file") || Argument.starts_with("-ivfsoverlay") ||
           Argument.starts_with("-fprebuilt-module-path") || Argument.ends_with(".pcm");
  });
}

/// Size and modification time of the running binary: a rebuilt tool with other rules
/// keeps its version string but not these.
std::string toolIdentity() {
  static int Anchor;
  std::string Executable = llvm::sys::fs::getMainExecutable("untangle", &Anchor);
  llvm::sys::fs::file_status Status;
  std::string Identity =
      "untangle " UNTANGLE_VERSION ", " + clang::getClangFullVersion() + ", LLVM " LLVM_VERSION_STRING;
  if (!llvm::sys::fs::status(Executable, Status))
    Identity += " " + std::to_string(Status.getSize()) + " " +
                std::to_string(Status.getLastModificationTime().time_since_epoch().count());
  return Identity;
}

std::string joinNumbers(llvm::ArrayRef<unsigned> Numbers) {
  std::string Text;
  for (unsigned N : Numbers)
    Text += (Text.empty() ? "" : ",") + std::to_string(N);
  return Text;
}

std::vector<unsigned> splitNumbers(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef> Parts;
  Text.split(Parts, ',', -1, /*KeepEmpty=*/false);
  std::vector<unsigned> Numbers;
  for (llvm::StringRef Part : Parts) {
    unsigned N;
    if (Part.getAsInteger(10, N))
      return {};
    Numbers.push_back(N);
  }
  return Numbers;
}

} // namespace

llvm::Expected<ResultCache> ResultCache::open(llvm::StringRef Directory) {
  if (Directory.empty())
    return llvm::createStringError(std::errc::no_such_file_or_directory,
                                   "no cache directory (no home directory; set "
                                   "UNTANGLE_CACHE_DIR or --cache-dir)");
  llvm::SmallString<256> Absolute(Directory);
  llvm::sys::fs::make_absolute(Absolute);
  if (std::error_code EC = llvm::sys::fs::create_directories(Absolute))
    return llvm::createStringError(EC, "cannot create the cache directory '%s': %s",
                                   Absolute.c_str(), EC.message().c_str());
  if (std::error_code EC = llvm::sys::fs::access(Absolute, llvm::sys::fs::AccessMode::Write))
    return llvm::createStringError(EC, "cannot write to the cache directory '%s': %s",
                                   Absolute.c_str(), EC.message().c_str());
  return ResultCache(std::string(Absolute), toolIdentity());
}

std::string ResultCache::defaultDirectory() {
  if (std::optional<std::string> Dir = llvm::sys::Process::GetEnv("UNTANGLE_CACHE_DIR"))
    return *Dir;
  llvm::SmallString<256> Dir;
  if (!llvm::sys::path::cache_directory(Dir))
    return ""; // No home: the tool runs uncached.
  llvm::sys::path::append(Dir, "untangle");
  return std::string(Dir);
}

std::optional<ResultCache::Key>
ResultCache::keyFor(llvm::StringRef File, ClangTidyContext &Context,
                    const tooling::CompilationDatabase &Compilations,
                    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS) const {
  std::vector<tooling::CompileCommand> Commands = Compilations.getCompileCommands(File);
  if (Commands.empty() || missingCommandDirectory(Compilations, File))
    return std::nullopt;
  KeyHasher Hash;
  Hash.add(EntryFormat);
  Hash.add(ToolIdentity);
  Hash.add(configurationAsText(Context.getOptionsForFile(File)));
  tooling::ArgumentsAdjuster Adjust = configuredArgumentsAdjuster(Context);
  for (const tooling::CompileCommand &Command : Commands) {
    tooling::CommandLineArguments Arguments = Adjust(Command.CommandLine, Command.Filename);
    if (readsHiddenInputs(Arguments))
      return std::nullopt;
    Hash.add(Command.Directory);
    for (const std::string &Argument : Arguments)
      Hash.add(Argument);
  }

  tooling::ClangTool Tool(Compilations, {File.str()},
                          std::make_shared<PCHContainerOperations>(),
                          llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(FS));
  Tool.appendArgumentsAdjuster(Adjust);
  Tool.setPrintErrorMessage(false);
  // Errors are the analysis's to report; a file that fails here fails there too, and
  // failures are not stored.
  IgnoringDiagConsumer Quiet;
  Tool.setDiagnosticConsumer(&Quiet);
  Key Result;
  InputHashingActionFactory Factory(Hash, Result);
  Tool.run(&Factory);
  Result.Hash = Hash.hex();
  return Result;
}

std::string ResultCache::entryPath(llvm::StringRef Key) const {
  llvm::SmallString<256> Path(Directory);
  llvm::sys::path::append(Path, Key.take_front(2), Key.drop_front(2));
  return std::string(Path);
}

std::optional<FileResult> ResultCache::lookup(llvm::StringRef Key) const {
  auto Buffer = llvm::MemoryBuffer::getFile(entryPath(Key), /*IsText=*/true);
  if (!Buffer)
    return std::nullopt;
  // Header line: format, then "stats=a,b,c,d,e" and "as-errors=<indexes>".
  auto [Header, Yaml] = (*Buffer)->getBuffer().split('\n');
  llvm::SmallVector<llvm::StringRef> Fields;
  Header.split(Fields, ' ');
  if (!Header.starts_with(EntryFormat) || Fields.size() != 4)
    return std::nullopt;
  std::vector<unsigned> Stats = splitNumbers(Fields[2].drop_front(strlen("stats=")));
  if (!Fields[2].starts_with("stats=") || Stats.size() != 5 ||
      !Fields[3].starts_with("as-errors="))
    return std::nullopt;
  std::vector<unsigned> AsErrors = splitNumbers(Fields[3].drop_front(strlen("as-errors=")));

  tooling::TranslationUnitDiagnostics Stored;
  llvm::yaml::Input Input(Yaml);
  Input.setAllowUnknownKeys(false);
  Input >> Stored;
  if (Input.error())
    return std::nullopt;

  FileResult Result;
  Result.Analyzed = true;
  Result.FromCache = true;
  Result.Stats = {Stats[0], Stats[1], Stats[2], Stats[3], Stats[4]};
  for (tooling::Diagnostic &D : Stored.Diagnostics) {
    ClangTidyError Error(D.DiagnosticName, D.DiagLevel, D.BuildDirectory,
                         /*IsWarningAsError=*/false);
    Error.Message = std::move(D.Message);
    Error.Notes = std::move(D.Notes);
    Result.Errors.push_back(std::move(Error));
  }
  for (unsigned Index : AsErrors) {
    if (Index >= Result.Errors.size())
      return std::nullopt;
    Result.Errors[Index].IsWarningAsError = true;
  }
  return Result;
}

void ResultCache::store(const Key &Key, const FileResult &Result) const {
  if (!Result.Analyzed)
    return;
  // Edited while analyzed: the result may be of the new text, the key is of the old.
  for (const auto &[Path, Size, ModificationTime] : Key.Inputs) {
    llvm::sys::fs::file_status Status;
    if (llvm::sys::fs::status(Path, Status) || Status.getSize() != Size ||
        llvm::sys::toTimeT(Status.getLastModificationTime()) != ModificationTime)
      return;
  }
  std::string Entry;
  llvm::raw_string_ostream OS(Entry);
  const ClangTidyStats &S = Result.Stats;
  std::vector<unsigned> AsErrors;
  for (auto [Index, Error] : llvm::enumerate(Result.Errors))
    if (Error.IsWarningAsError)
      AsErrors.push_back(Index);
  OS << EntryFormat << " stats="
     << joinNumbers({S.ErrorsDisplayed, S.ErrorsIgnoredCheckFilter, S.ErrorsIgnoredNOLINT,
                     S.ErrorsIgnoredNonUserCode, S.ErrorsIgnoredLineFilter})
     << " as-errors=" << joinNumbers(AsErrors) << "\n";
  tooling::TranslationUnitDiagnostics Stored;
  Stored.Diagnostics.assign(Result.Errors.begin(), Result.Errors.end());
  llvm::yaml::Output Yaml(OS);
  Yaml << Stored;

  const std::string Path = entryPath(Key.Hash);
  if (llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path)))
    return;
  // Written beside the entry and renamed over it: readers never see half an entry.
  llvm::consumeError(llvm::writeToOutput(Path, [&](llvm::raw_ostream &Out) {
    Out << Entry;
    return llvm::Error::success();
  }));
}

} // namespace untangle
