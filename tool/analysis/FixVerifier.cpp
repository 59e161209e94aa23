//===--- FixVerifier.cpp - apply fixes only where the result compiles ----===//

#include "analysis/FixVerifier.h"
#include "analysis/SourceLocations.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Core/Replacement.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;
using namespace clang::tidy;

namespace untangle {

namespace {

/// Counts errors and keeps the first one's text.
class FirstError : public DiagnosticConsumer {
public:
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Error || !Message.empty())
      return;
    llvm::SmallString<128> Text;
    Info.FormatDiagnostic(Text);
    Message = std::string(Text);
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      PresumedLoc P = Info.getSourceManager().getPresumedLoc(Info.getLocation());
      if (P.isValid())
        Message = (llvm::sys::path::filename(P.getFilename()) + ":" +
                   llvm::Twine(P.getLine()) + ": " + Message)
                      .str();
    }
  }
  std::string Message;
};

/// Parses \p MainFile with the files in \p NewContents replacing those on disk.
bool compiles(const std::string &MainFile, const llvm::StringMap<std::string> &NewContents,
              ClangTidyContext &Context,
              const tooling::CompilationDatabase &Compilations, std::string &Error) {
  auto Overlay = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
      llvm::vfs::getRealFileSystem());
  auto Memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  Overlay->pushOverlay(Memory);
  for (const auto &Entry : NewContents)
    Memory->addFile(Entry.getKey(), 0, llvm::MemoryBuffer::getMemBufferCopy(Entry.getValue()));

  tooling::ClangTool Tool(Compilations, {MainFile},
                          std::make_shared<PCHContainerOperations>(), Overlay);
  Tool.setPrintErrorMessage(false);
  // The same flags as the analysis: ExtraArgs / ExtraArgsBefore of the configuration.
  Tool.appendArgumentsAdjuster(
      [&Context](const tooling::CommandLineArguments &Args, llvm::StringRef File) {
        ClangTidyOptions Opts = Context.getOptionsForFile(File);
        tooling::CommandLineArguments Adjusted = Args;
        if (Opts.ExtraArgsBefore) {
          auto I = Adjusted.begin();
          if (I != Adjusted.end() && !llvm::StringRef(*I).starts_with("-"))
            ++I;
          Adjusted.insert(I, Opts.ExtraArgsBefore->begin(), Opts.ExtraArgsBefore->end());
        }
        if (Opts.ExtraArgs)
          Adjusted.insert(Adjusted.end(), Opts.ExtraArgs->begin(), Opts.ExtraArgs->end());
        return Adjusted;
      });
  Tool.appendArgumentsAdjuster(tooling::getClangSyntaxOnlyAdjuster());
  Tool.appendArgumentsAdjuster(tooling::getStripPluginsAdjuster());
  // Quiet: the first error is reported in the rollback note ("N errors generated" off).
  Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
      "-fno-caret-diagnostics", tooling::ArgumentInsertPosition::END));
  FirstError Consumer;
  Tool.setDiagnosticConsumer(&Consumer);
  int Status = Tool.run(tooling::newFrontendActionFactory<SyntaxOnlyAction>().get());
  Error = Consumer.Message;
  return Status == 0 && Consumer.getNumErrors() == 0;
}

} // namespace

FixOutcome applyVerifiedFixes(llvm::ArrayRef<ClangTidyError> Errors,
                              ClangTidyContext &Context,
                              const tooling::CompilationDatabase &Compilations,
                              llvm::ArrayRef<std::string> MainFiles, bool Quiet) {
  FixOutcome Outcome;
  // Merge the fixes per file; a finding whose fix conflicts with an earlier one is
  // skipped whole (its replacements belong together).
  llvm::StringMap<tooling::Replacements> PerFile;
  for (const ClangTidyError &Error : Errors) {
    const llvm::StringMap<tooling::Replacements> &Fix = Error.Message.Fix;
    if (Fix.empty())
      continue;
    llvm::StringMap<tooling::Replacements> Candidate = PerFile;
    bool Conflict = false;
    for (const auto &[Path, Replacements] : Fix) {
      std::string File = SourceLocations::absolutePath(Path, Error.BuildDirectory);
      for (const tooling::Replacement &R : Replacements) {
        tooling::Replacement Absolute(File, R.getOffset(), R.getLength(),
                                      R.getReplacementText());
        if (llvm::Error E = Candidate[File].add(Absolute)) {
          llvm::consumeError(std::move(E));
          Conflict = true;
        }
      }
    }
    if (Conflict) {
      if (!Quiet)
        llvm::WithColor::note(llvm::errs(), "untangle")
            << "the fix of the finding at " << Error.Message.FilePath << ":"
            << Error.Message.FileOffset
            << " overlaps another fix and is not applied\n";
      continue;
    }
    PerFile = std::move(Candidate);
    ++Outcome.FixesApplied;
  }
  if (PerFile.empty())
    return Outcome;

  // The new text of every file, in memory.
  llvm::StringMap<std::string> NewContents, OldContents;
  for (const auto &[File, Replacements] : PerFile) {
    auto Buffer = llvm::MemoryBuffer::getFile(File);
    if (!Buffer) {
      llvm::WithColor::error(llvm::errs(), "untangle")
          << "cannot read '" << File << "' to fix it\n";
      Outcome.WriteFailed = true;
      continue;
    }
    llvm::Expected<std::string> New =
        tooling::applyAllReplacements((*Buffer)->getBuffer(), Replacements);
    if (!New) {
      llvm::consumeError(New.takeError());
      continue;
    }
    if (*New == (*Buffer)->getBuffer())
      continue;
    OldContents[File] = (*Buffer)->getBuffer().str();
    NewContents[File] = std::move(*New);
  }

  // Each rewritten file must still compile: its own translation unit when it is one,
  // every analyzed one when it is a header.
  std::vector<std::string> Mains;
  for (const std::string &M : MainFiles)
    Mains.push_back(SourceLocations::absolutePath(M, ""));
  llvm::StringMap<std::string> Accepted;
  for (const auto &Entry : NewContents) {
    llvm::StringRef File = Entry.getKey();
    llvm::StringMap<std::string> Only;
    Only[File] = Entry.getValue();
    std::vector<std::string> Units;
    if (llvm::is_contained(Mains, File))
      Units.push_back(File.str());
    else
      Units = Mains;
    std::string Error;
    bool Ok = true;
    for (const std::string &Unit : Units)
      if (!compiles(Unit, Only, Context, Compilations, Error)) {
        Ok = false;
        break;
      }
    if (Ok) {
      Accepted[File] = Entry.getValue();
      continue;
    }
    ++Outcome.FilesRolledBack;
    llvm::WithColor::note(llvm::errs(), "untangle")
        << "fixes to '" << File << "' rolled back, the file is left untouched: the "
        << "rewritten code does not compile" << (Error.empty() ? "" : " (") << Error
        << (Error.empty() ? "" : ")") << "\n";
  }

  for (const auto &Entry : Accepted) {
    llvm::StringRef File = Entry.getKey();
    llvm::StringRef Text = Entry.getValue();
    // writeToOutput writes a temporary file next to the target and renames it over the
    // target: readers see the old file or the new one, never half of it.
    if (llvm::Error E = llvm::writeToOutput(File, [&](llvm::raw_ostream &OS) {
          OS << Text;
          return llvm::Error::success();
        })) {
      llvm::WithColor::error(llvm::errs(), "untangle")
          << "cannot write '" << File << "': " << llvm::toString(std::move(E)) << "\n";
      Outcome.WriteFailed = true;
      continue;
    }
    ++Outcome.FilesWritten;
    if (!Quiet)
      llvm::WithColor::note(llvm::errs(), "untangle")
          << "fixed '" << File << "' (it still compiles)\n";
  }
  return Outcome;
}

} // namespace untangle
