//===--- TreeRun.cpp - whole-tree runs: parallel, cached, merged ----------===//

#include "inputs/TreeRun.h"
#include "analysis/SourceLocations.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

using namespace clang;
using namespace clang::tidy;

namespace untangle {

namespace {

/// The compilation databases are not documented as thread-safe (the JSON one builds
/// its interpolation index lazily), and workers ask for commands concurrently.
class SerializedCompilationDatabase : public tooling::CompilationDatabase {
public:
  explicit SerializedCompilationDatabase(const tooling::CompilationDatabase &Inner)
      : Inner(Inner) {}
  std::vector<tooling::CompileCommand> getCompileCommands(StringRef File) const override {
    std::lock_guard<std::mutex> Lock(Mutex);
    return Inner.getCompileCommands(File);
  }
  std::vector<std::string> getAllFiles() const override {
    std::lock_guard<std::mutex> Lock(Mutex);
    return Inner.getAllFiles();
  }
  std::vector<tooling::CompileCommand> getAllCompileCommands() const override {
    std::lock_guard<std::mutex> Lock(Mutex);
    return Inner.getAllCompileCommands();
  }

private:
  const tooling::CompilationDatabase &Inner;
  mutable std::mutex Mutex;
};

class Progress {
public:
  Progress(size_t Total, bool Enabled)
      : Total(Total), Enabled(Enabled && Total > 1),
        OnTerminal(llvm::sys::Process::StandardErrIsDisplayed()) {}

  void finished(StringRef File, bool FromCache) {
    if (!Enabled)
      return;
    std::lock_guard<std::mutex> Lock(Mutex);
    ++Done;
    std::string Line = ("[" + llvm::Twine(Done) + "/" + llvm::Twine(Total) + "] " +
                        llvm::sys::path::filename(File) + (FromCache ? " (cached)" : ""))
                           .str();
    if (OnTerminal) {
      // A bar redrawn in place; the findings are printed after the last file.
      constexpr size_t Width = 30;
      const size_t Filled = Done * Width / Total;
      llvm::errs() << "\r\x1b[K[" << std::string(Filled, '#')
                   << std::string(Width - Filled, '-') << "] " << Line;
      if (Done == Total)
        llvm::errs() << "\r\x1b[K";
    } else {
      llvm::errs() << Line << "\n";
    }
  }

private:
  const size_t Total;
  const bool Enabled;
  const bool OnTerminal;
  size_t Done = 0;
  std::mutex Mutex;
};

ClangTidyStats operator-(const ClangTidyStats &After, const ClangTidyStats &Before) {
  return {After.ErrorsDisplayed - Before.ErrorsDisplayed,
          After.ErrorsIgnoredCheckFilter - Before.ErrorsIgnoredCheckFilter,
          After.ErrorsIgnoredNOLINT - Before.ErrorsIgnoredNOLINT,
          After.ErrorsIgnoredNonUserCode - Before.ErrorsIgnoredNonUserCode,
          After.ErrorsIgnoredLineFilter - Before.ErrorsIgnoredLineFilter};
}

void add(ClangTidyStats &Into, const ClangTidyStats &Stats) {
  Into.ErrorsDisplayed += Stats.ErrorsDisplayed;
  Into.ErrorsIgnoredCheckFilter += Stats.ErrorsIgnoredCheckFilter;
  Into.ErrorsIgnoredNOLINT += Stats.ErrorsIgnoredNOLINT;
  Into.ErrorsIgnoredNonUserCode += Stats.ErrorsIgnoredNonUserCode;
  Into.ErrorsIgnoredLineFilter += Stats.ErrorsIgnoredLineFilter;
}

FileResult analyzeFile(const std::string &File, ClangTidyContext &Context,
                       const tooling::CompilationDatabase &Compilations,
                       IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS,
                       const TreeRunOptions &Options) {
  std::optional<ResultCache::Key> Key;
  if (Options.Cache) {
    Key = Options.Cache->keyFor(File, Context, Compilations, FS);
    if (Key)
      if (std::optional<FileResult> Cached = Options.Cache->lookup(Key->Hash))
        return std::move(*Cached);
  }
  const ClangTidyStats Before = Context.getStats();
  // Workers do not print clang's "Error while processing": they would write over each
  // other and the progress line; the main thread names the files not analyzed.
  AnalysisResult Analysis = runAnalysis(Context, Compilations, {File}, FS, /*Quiet=*/true);
  FileResult Result;
  Result.Errors = std::move(Analysis.Errors);
  Result.Stats = Context.getStats() - Before;
  Result.Analyzed = !Analysis.Analyzed.empty();
  Result.Problems = std::move(Analysis.Problems);
  if (Key)
    Options.Cache->store(*Key, Result);
  return Result;
}

} // namespace

TreeRunResult analyzeTree(ContextFactory MakeContext,
                          const tooling::CompilationDatabase &Compilations,
                          llvm::ArrayRef<std::string> Files, const TreeRunOptions &Options) {
  const SerializedCompilationDatabase SharedCompilations(Compilations);
  unsigned Jobs = Options.Jobs ? Options.Jobs : std::max(1u, std::thread::hardware_concurrency());
  Jobs = std::max<size_t>(1, std::min<size_t>(Jobs, Files.size()));

  std::vector<std::unique_ptr<ClangTidyContext>> Contexts;
  for (unsigned I = 0; I < Jobs; ++I)
    Contexts.push_back(MakeContext());

  std::vector<FileResult> Results(Files.size());
  std::atomic<size_t> Next{0};
  Progress Shown(Files.size(), Options.ShowProgress && !Options.Quiet);
  auto Work = [&](ClangTidyContext &Context) {
    // Each worker has its own file system: ClangTool sets the working directory of
    // the command on it, and the process-wide one would be shared by all workers.
    auto FS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
        llvm::vfs::createPhysicalFileSystem());
    for (size_t I; (I = Next++) < Files.size();) {
      Results[I] = analyzeFile(Files[I], Context, SharedCompilations, FS, Options);
      Shown.finished(Files[I], Results[I].FromCache);
    }
  };
  std::vector<std::thread> Workers;
  for (unsigned I = 1; I < Jobs; ++I)
    Workers.emplace_back(Work, std::ref(*Contexts[I]));
  Work(*Contexts[0]);
  for (std::thread &Worker : Workers)
    Worker.join();

  TreeRunResult Merged;
  for (auto [File, Result] : llvm::zip_equal(Files, Results)) {
    (Result.Analyzed ? Merged.Analyzed : Merged.NotAnalyzed).push_back(File);
    Merged.Cached += Result.FromCache;
    add(Merged.Stats, Result.Stats);
    llvm::append_range(Merged.Errors, std::move(Result.Errors));
    llvm::append_range(Merged.Problems, std::move(Result.Problems));
  }
  removeDuplicateFindings(Merged.Errors);
  return Merged;
}

void removeDuplicateFindings(std::vector<ClangTidyError> &Errors) {
  // Paths in findings may be relative to their command's directory; two files in
  // different directories name the same header differently.
  auto Identity = [](const ClangTidyError &Error) {
    std::string Path =
        SourceLocations::absolutePath(Error.Message.FilePath, Error.BuildDirectory);
    return (Error.DiagnosticName + "\n" + Path + "\n" + llvm::Twine(Error.Message.FileOffset) +
            "\n" + Error.Message.Message)
        .str();
  };
  // The copy kept is the first, but a finding that any of its reporters promoted to an
  // error stays promoted: a header included from directories whose configurations
  // disagree must not get its level from the order the reports come in.
  llvm::StringMap<size_t> Kept;
  std::vector<bool> Duplicate(Errors.size());
  for (size_t I = 0; I < Errors.size(); ++I) {
    auto [It, New] = Kept.try_emplace(Identity(Errors[I]), I);
    if (New)
      continue;
    Duplicate[I] = true;
    ClangTidyError &First = Errors[It->second];
    First.IsWarningAsError |= Errors[I].IsWarningAsError;
    First.DiagLevel = std::max(First.DiagLevel, Errors[I].DiagLevel);
  }
  // remove_if tests each element where it stood before any was moved.
  llvm::erase_if(Errors,
                 [&](const ClangTidyError &E) { return Duplicate[&E - Errors.data()]; });
}

std::vector<std::string> shardOf(llvm::ArrayRef<std::string> Files, unsigned Index,
                                 unsigned Count) {
  std::vector<std::string> Sorted(Files.begin(), Files.end());
  llvm::sort(Sorted);
  std::vector<std::string> Shard;
  for (size_t I = Index - 1; I < Sorted.size(); I += Count)
    Shard.push_back(Sorted[I]);
  return Shard;
}

} // namespace untangle
