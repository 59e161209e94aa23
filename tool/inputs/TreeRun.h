//===--- TreeRun.h - whole-tree runs: parallel, cached, merged --*- C++ -*-===//
//
// `untangle <dir>` analyzes every file of the compilation database under it. Files are
// independent translation units, so they run in parallel on worker threads, each with
// a clang-tidy context of its own (ClangTidyContext is not thread-safe). Results are
// merged in input order, so the report does not depend on scheduling, and a finding
// in a header included by several files is reported, and fixed, once.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_TOOL_TREERUN_H
#define UNTANGLE_TOOL_TREERUN_H

#include "analysis/Analysis.h"
#include "inputs/ResultCache.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <memory>
#include <optional>

namespace untangle {

struct TreeRunOptions {
  /// Worker threads; 0 means one per hardware thread.
  unsigned Jobs = 0;
  /// "[3/57] file.cpp" as files finish (on stderr): redrawn in place on a terminal,
  /// one line per file otherwise. Shown only when there is more than one file.
  bool ShowProgress = true;
  /// Where results are kept between runs; none for --no-cache.
  const ResultCache *Cache = nullptr;
  bool Quiet = false;
};

struct TreeRunResult : AnalysisResult {
  clang::tidy::ClangTidyStats Stats;
  /// Files whose result came from the cache.
  unsigned Cached = 0;
};

/// Makes the context of one worker. Called on the calling thread, once per worker,
/// before any analysis starts.
using ContextFactory =
    llvm::function_ref<std::unique_ptr<clang::tidy::ClangTidyContext>()>;

TreeRunResult analyzeTree(ContextFactory MakeContext,
                          const clang::tooling::CompilationDatabase &Compilations,
                          llvm::ArrayRef<std::string> Files, const TreeRunOptions &Options);

/// Keeps the first of each finding that several translation units report (same check,
/// file, offset and message: a header included by several files), so that it is shown
/// once and its fix applied once.
void removeDuplicateFindings(std::vector<clang::tidy::ClangTidyError> &Errors);

/// The files of shard \p Index (1-based) of \p Count: every Count-th file, starting at
/// the Index-th, of the sorted list, so shards are disjoint, cover all files, and do
/// not depend on the machine.
std::vector<std::string> shardOf(llvm::ArrayRef<std::string> Files, unsigned Index,
                                 unsigned Count);

} // namespace untangle

#endif // UNTANGLE_TOOL_TREERUN_H
