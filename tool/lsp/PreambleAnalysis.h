//===--- PreambleAnalysis.h - a document's includes parsed once -*- C++ -*-===//
//
// An edit below a document's includes must not parse the includes again: the analysis
// worker (WorkerProcess.h) keeps, per document, clang's PrecompiledPreamble of the
// lines up to the last directive of the file's head (as clangd does). It decides:
// - when a preamble is reused: the same preamble text, the same compile command, and
//   no file it read changed (size and modification time; open documents get a
//   modification time from a hash of their text, so an edited header counts);
// - when none is used: the build failed, reported an error anywhere or a warning in
//   the document (a reused preamble would not report them again; the analysis without
//   one does);
// - what the checks see: the top-level declarations outside system headers
//   (ASTContext::setTraversalScope). untangle's rules skip system headers anyway, and
//   walking Boost's declarations, parsed or deserialized, was most of a warm analysis.
//   The document's #include directives, which the preamble holds, are replayed to the
//   checks' preprocessor callbacks (untangle-data-race places `#include <atomic>`);
// - what comes after the findings: the instantiations of the library's function
//   templates (system headers) that the document asks for, the bulk of an edit's parse
//   on an Asio or Beast file, are set aside while the document is parsed. The checks
//   run without them and their findings are sent at once (EarlyFindings::Send); then
//   the instantiations are performed, one at a time until EarlyFindings::Abandoned,
//   and only an error inside them can add to the findings of the run's result.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_TOOL_LSP_PREAMBLEANALYSIS_H
#define UNTANGLE_TOOL_LSP_PREAMBLEANALYSIS_H

#include "analysis/Analysis.h"
#include "clang/Frontend/PrecompiledPreamble.h"
#include "clang/Sema/Sema.h"
#include <functional>
#include <list>
#include <string>
#include <vector>

namespace untangle {

/// The preambles the worker keeps, the most recently used first.
class PreambleStore {
public:
  /// \p Capacity: how many documents keep a preamble (each is tens of megabytes for
  /// a file that includes Boost).
  explicit PreambleStore(size_t Capacity) : Capacity(Capacity) {}

  /// An #include of the document's preamble, as its preprocessor callbacks saw it.
  struct Inclusion {
    unsigned HashOffset = 0;
    std::string FileName;
    bool IsAngled = false;
    unsigned FileNameBegin = 0, FileNameEnd = 0;
    /// The file it resolved to; empty when not found.
    std::string File;
    std::string SearchPath, RelativePath;
    clang::SrcMgr::CharacteristicKind FileType = clang::SrcMgr::C_User;
  };

private:
  friend class PreambleRun;

  struct Entry {
    std::string MainFile;
    std::string Command;
    clang::PrecompiledPreamble Preamble;
    bool Usable = false;
    std::vector<Inclusion> Inclusions;
    /// Every file the preamble read: the analysis that reuses it does not see them.
    std::vector<std::string> Dependencies;
  };

  const size_t Capacity;
  std::list<Entry> Entries;
};

/// How an analysis hands over its findings before the library's instantiations run.
struct EarlyFindings {
  /// Without it, nothing is set aside: the run is a whole one.
  std::function<void(const std::vector<clang::tidy::ClangTidyError> &)> Send;
  /// Polled between instantiations: a newer text makes the rest useless.
  std::function<bool()> Abandoned;
};

/// One analysis with the store's preamble of its document (RunCustomizer).
class PreambleRun : public RunCustomizer {
public:
  explicit PreambleRun(PreambleStore &Store, EarlyFindings Early = {})
      : Store(Store), Early(std::move(Early)) {}

  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>
  adjustInvocation(clang::CompilerInvocation &Invocation, clang::FileManager &Files,
                   std::shared_ptr<clang::PCHContainerOperations> PCHContainerOps) override;
  std::unique_ptr<clang::ASTConsumer>
  createConsumer(clang::CompilerInstance &Compiler) override;
  void checksDone(clang::CompilerInstance &Compiler,
                  llvm::function_ref<const std::vector<clang::tidy::ClangTidyError> &()>
                      FindingsSoFar) override;

  enum class Use { None, Built, Reused };
  /// What the analysis did with a preamble.
  Use use() const { return Used; }
  /// The files the preamble read, when one was used.
  std::vector<std::string> dependencies() const;

private:
  PreambleStore::Entry *build(const clang::CompilerInvocation &Invocation,
                              clang::FileManager &Files, const llvm::MemoryBuffer &Main,
                              clang::PreambleBounds Bounds, std::string Command,
                              std::shared_ptr<clang::PCHContainerOperations> PCHContainerOps);

  PreambleStore &Store;
  EarlyFindings Early;
  /// The library's instantiations the document asked for, set aside (createConsumer).
  std::vector<clang::Sema::PendingImplicitInstantiation> Deferred;
  Use Used = Use::None;
  const PreambleStore::Entry *Active = nullptr;
};

} // namespace untangle

#endif // UNTANGLE_TOOL_LSP_PREAMBLEANALYSIS_H
