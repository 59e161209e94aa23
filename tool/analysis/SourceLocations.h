//===--- SourceLocations.h - file offsets back to source locations -*- C++ -*-===//

#ifndef UNTANGLE_TOOL_SOURCELOCATIONS_H
#define UNTANGLE_TOOL_SOURCELOCATIONS_H

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include <optional>

namespace untangle {

/// clang-tidy keeps findings as (file, byte offset) once the translation unit is
/// gone. The machine-readable formats need lines and columns, and clang's
/// SarifDocumentWriter needs SourceLocations; this re-opens the files to get them.
class SourceLocations {
public:
  /// \p ReportDirectory: reports name the files inside it relative to it
  /// (reportedPath); empty: absolutely.
  explicit SourceLocations(std::string ReportDirectory = "");

  /// \p FilePath may be relative to \p BuildDirectory, as in a ClangTidyError.
  /// Invalid if the file can no longer be read.
  clang::SourceLocation locate(llvm::StringRef FilePath, llvm::StringRef BuildDirectory,
                               unsigned Offset);

  /// The absolute path of a file, as opened by locate(): a finding's paths are
  /// relative to its compile command's directory.
  static std::string absolutePath(llvm::StringRef FilePath, llvm::StringRef BuildDirectory);

  /// \p Path relative to \p Directory if it is inside it, else \p Path: for reports
  /// and baselines that travel with a source tree.
  static std::string relativeInside(llvm::StringRef Path, llvm::StringRef Directory);

  /// How a report names a file: relative to the report directory when inside it (a
  /// Bazel action's report is read back elsewhere: its sandbox or remote executor's
  /// absolute paths would name nothing there), else absolutely.
  std::string reportedPath(llvm::StringRef FilePath, llvm::StringRef BuildDirectory) const;

  const clang::SourceManager &sourceManager() const { return SM; }

private:
  std::string ReportDirectory;
  clang::DiagnosticOptions DiagOpts;
  clang::DiagnosticsEngine Diags;
  llvm::IntrusiveRefCntPtr<clang::FileManager> Files;
  clang::SourceManager SM;
};

/// A finding is a point (a byte offset); reports and editors mark a token there so it
/// can be seen: the identifier or number at \p Offset, else the one (possibly multi-byte)
/// character, else nothing (end of line or of text).
size_t markedTokenLength(llvm::StringRef Text, size_t Offset);

} // namespace untangle

#endif // UNTANGLE_TOOL_SOURCELOCATIONS_H
