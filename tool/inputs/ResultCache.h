//===--- ResultCache.h - per-file results kept between runs ----*- C++ -*-===//
//
// A re-run on an unchanged tree should analyze nothing. Each file's findings are stored
// under a key that covers everything they depend on:
//   - the tool: its version, the identity (size, modification time) of its binary, so a
//     rebuilt untangle with changed rules does not reuse old results, and the versions
//     of the clang and LLVM libraries it runs on (shared, upgraded on their own);
//   - the configuration that applies to the file (every option, as --dump-config shows);
//   - the compile command, after the configuration's extra arguments;
//   - the preprocessed input: the path and contents of every file the preprocessor read
//     for it. This is what the preprocessed output depends on besides the command, and
//     it is cheaper to hash than the output (no printing). A header that starts to
//     shadow another on the include path changes which file is read, so the key; the
//     answers of __has_include are part of the key too, as they need not read a file.
// Not cached: commands that read precompiled headers, modules or VFS overlays (inputs
// the preprocessor does not show), and files clang gave up on. A file edited while it
// was analyzed is not stored: the inputs are checked again before a result is.

//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_TOOL_RESULTCACHE_H
#define UNTANGLE_TOOL_RESULTCACHE_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <optional>
#include <string>
#include <vector>

namespace untangle {

/// What one file's analysis produced.
struct FileResult {
  std::vector<clang::tidy::ClangTidyError> Errors;
  clang::tidy::ClangTidyStats Stats;
  std::vector<std::string> Problems;
  bool Analyzed = false;
  bool FromCache = false;
};

class ResultCache {
public:
  /// Creates \p Directory if needed. Fails if it cannot be created or written.
  static llvm::Expected<ResultCache> open(llvm::StringRef Directory);

  /// The directory used when --cache-dir is not given: $UNTANGLE_CACHE_DIR, else
  /// $XDG_CACHE_HOME/untangle, else ~/.cache/untangle.
  static std::string defaultDirectory();

  struct Key {
    std::string Hash;
    /// What the preprocessor read, with each file's size and modification time.
    std::vector<std::tuple<std::string, uint64_t, time_t>> Inputs;
  };

  /// The key of \p File's analysis with \p Context's configuration, or nothing if the
  /// file cannot be cached (no compile command, or inputs the key cannot see). Runs
  /// the preprocessor over the file.
  std::optional<Key>
  keyFor(llvm::StringRef File, clang::tidy::ClangTidyContext &Context,
         const clang::tooling::CompilationDatabase &Compilations,
         llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS) const;

  /// The stored result, or nothing if there is none or it cannot be read (a damaged
  /// entry is a miss, never an error).
  std::optional<FileResult> lookup(llvm::StringRef Key) const;

  /// Stores \p Result atomically (a concurrent run sees the old entry or the new one),
  /// unless an input changed since the key was made. A failure to write is not an
  /// error: the next run analyzes again.
  void store(const Key &Key, const FileResult &Result) const;

private:
  explicit ResultCache(std::string Directory, std::string ToolIdentity)
      : Directory(std::move(Directory)), ToolIdentity(std::move(ToolIdentity)) {}
  std::string entryPath(llvm::StringRef Key) const;

  std::string Directory;
  std::string ToolIdentity;
};

} // namespace untangle

#endif // UNTANGLE_TOOL_RESULTCACHE_H
