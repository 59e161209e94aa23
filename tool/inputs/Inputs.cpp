//===--- Inputs.cpp - from command-line paths to compile commands --------===//

#include "inputs/Inputs.h"
#include "analysis/SourceLocations.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <algorithm>

using namespace clang::tooling;

namespace untangle {

namespace {

constexpr llvm::StringLiteral DatabaseFiles[] = {"compile_commands.json",
                                                 "compile_flags.txt"};

llvm::Error inputError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

std::string absolutePath(llvm::StringRef Path) {
  return SourceLocations::absolutePath(Path, /*BuildDirectory=*/"");
}

std::string realPath(llvm::StringRef Path) {
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Path, Real))
    return absolutePath(Path);
  return std::string(Real);
}

bool hasDatabaseFile(llvm::StringRef Directory) {
  return llvm::any_of(DatabaseFiles, [&](llvm::StringRef Name) {
    llvm::SmallString<256> Candidate(Directory);
    llvm::sys::path::append(Candidate, Name);
    return llvm::sys::fs::exists(Candidate);
  });
}

llvm::Expected<std::unique_ptr<CompilationDatabase>>
loadDatabaseIn(llvm::StringRef Directory) {
  std::string Error;
  if (std::unique_ptr<CompilationDatabase> Database =
          CompilationDatabase::loadFromDirectory(Directory, Error))
    return Database;
  return inputError("cannot load the compilation database in '" + Directory +
                    "': " + Error);
}

// Unlike CompilationDatabase::autoDetectFromDirectory, a database that exists but
// cannot be read stops the search with its error instead of being skipped silently.
llvm::Expected<std::unique_ptr<CompilationDatabase>>
findDatabaseAbove(llvm::StringRef Start) {
  for (llvm::StringRef Directory = Start; !Directory.empty();
       Directory = llvm::sys::path::parent_path(Directory))
    if (hasDatabaseFile(Directory))
      return loadDatabaseIn(Directory);
  return nullptr;
}

/// A database whose commands name their file absolutely, in the command line too.
/// Databases may name it relative to the command's directory (Meson writes
/// "../src/a.cpp"); clang's tooling hands that name to the arguments adjusters, and
/// clang-tidy takes the compiler's input name as the file whose configuration applies, so
/// the `.untangle` beside the source (its ExtraArgs, its CheckOptions) would be looked up
/// from the current directory instead. The compile itself is the same: clang resolves
/// the relative name against the command's directory.
class AbsoluteFileNames : public CompilationDatabase {
public:
  explicit AbsoluteFileNames(std::unique_ptr<CompilationDatabase> Inner)
      : Inner(std::move(Inner)) {}
  std::vector<CompileCommand> getCompileCommands(llvm::StringRef File) const override {
    return absolute(Inner->getCompileCommands(File));
  }
  std::vector<std::string> getAllFiles() const override { return Inner->getAllFiles(); }
  std::vector<CompileCommand> getAllCompileCommands() const override {
    return absolute(Inner->getAllCompileCommands());
  }

private:
  static std::vector<CompileCommand> absolute(std::vector<CompileCommand> Commands) {
    for (CompileCommand &Command : Commands) {
      if (!llvm::sys::path::is_relative(Command.Filename))
        continue;
      std::string Absolute =
          SourceLocations::absolutePath(Command.Filename, Command.Directory);
      llvm::replace(Command.CommandLine, Command.Filename, Absolute);
      Command.Filename = std::move(Absolute);
    }
    return Commands;
  }

  std::unique_ptr<CompilationDatabase> Inner;
};

// NUL bytes never occur in source text; clang would drown the user in errors.
bool looksBinary(llvm::StringRef Contents) {
  return Contents.take_front(64 * 1024).contains('\0');
}

llvm::Error checkSourceFile(llvm::StringRef Path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer =
      llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return inputError("cannot read '" + Path + "': " + Buffer.getError().message());
  if (looksBinary((*Buffer)->getBuffer()))
    return inputError("'" + Path + "' is not a source file (it contains binary data)");
  return llvm::Error::success();
}

} // namespace

llvm::Expected<Inputs>
resolveInputs(llvm::ArrayRef<std::string> Paths, llvm::StringRef BuildPath,
              std::unique_ptr<CompilationDatabase> CommandLineFlags) {
  std::vector<std::string> Absolute;
  bool AnyDirectory = false;
  for (const std::string &Path : Paths) {
    std::string Abs = absolutePath(Path);
    if (!llvm::sys::fs::exists(Abs))
      return inputError("no such file or directory: '" + Path + "'");
    AnyDirectory |= llvm::sys::fs::is_directory(Abs);
    Absolute.push_back(std::move(Abs));
  }

  Inputs Result;
  if (CommandLineFlags) {
    Result.Compilations = std::move(CommandLineFlags);
  } else if (!BuildPath.empty()) {
    if (!llvm::sys::fs::is_directory(BuildPath))
      return inputError("build directory '" + BuildPath + "' does not exist");
    auto Database = loadDatabaseIn(absolutePath(BuildPath));
    if (!Database)
      return Database.takeError();
    Result.Compilations = std::move(*Database);
  } else {
    const std::string &First = Absolute.front();
    auto Database = findDatabaseAbove(llvm::sys::fs::is_directory(First)
                                          ? llvm::StringRef(First)
                                          : llvm::sys::path::parent_path(First));
    if (!Database)
      return Database.takeError();
    Result.Compilations = std::move(*Database);
  }
  if (!Result.Compilations) {
    if (AnyDirectory)
      return inputError("no compilation database found for the directory input; "
                        "pass -p <build dir> or build with "
                        "CMAKE_EXPORT_COMPILE_COMMANDS=ON");
    // As clang-tidy: a lone file can still be parsed with the compiler's defaults.
    Result.Compilations = std::make_unique<FixedCompilationDatabase>(
        ".", std::vector<std::string>{});
    Result.UsingDefaultFlags = true;
  }
  Result.Compilations = std::make_unique<AbsoluteFileNames>(std::move(Result.Compilations));

  std::vector<std::string> DatabaseFilesReal;
  if (AnyDirectory)
    for (const std::string &File : Result.Compilations->getAllFiles())
      DatabaseFilesReal.push_back(realPath(File));

  for (const std::string &Path : Absolute) {
    if (!llvm::sys::fs::is_directory(Path)) {
      if (llvm::Error Err = checkSourceFile(Path))
        return std::move(Err);
      Result.Files.push_back(Path);
      continue;
    }
    std::string Prefix = realPath(Path);
    if (!llvm::StringRef(Prefix).ends_with("/"))
      Prefix += "/";
    size_t Before = Result.Files.size();
    for (const std::string &File : DatabaseFilesReal)
      if (llvm::StringRef(File).starts_with(Prefix))
        Result.Files.push_back(File);
    if (Result.Files.size() == Before)
      return inputError("no file of the compilation database is under '" + Path + "'");
  }
  std::sort(Result.Files.begin(), Result.Files.end());
  Result.Files.erase(std::unique(Result.Files.begin(), Result.Files.end()),
                     Result.Files.end());
  return Result;
}

} // namespace untangle
