//===--- Baseline.h - adopt the tool without fixing everything first -*- C++ -*-===//
//
// `--write-baseline=<file>` records today's findings; `--baseline=<file>` then reports
// only the findings not recorded. A finding is matched by its check, its file and its
// code context (the text of its line, spaces normalized, and its message), not by line
// number: code added above an old finding does not make it new. Recorded findings are
// counted, so a second copy of a recorded line is new. Files are recorded relative to
// the baseline's directory, so a baseline committed to a repository works in any clone.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_TOOL_BASELINE_H
#define UNTANGLE_TOOL_BASELINE_H

#include "analysis/SourceLocations.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

namespace untangle {

class Baseline {
public:
  /// Reads a baseline written by write(). Errors name the file and the problem.
  static llvm::Expected<Baseline> read(llvm::StringRef Path);

  /// Writes \p Errors as the baseline \p Path (atomically).
  static llvm::Error write(llvm::StringRef Path,
                           llvm::ArrayRef<clang::tidy::ClangTidyError> Errors,
                           SourceLocations &Locations);

  /// Removes the findings the baseline records; returns how many were removed.
  unsigned removeKnown(std::vector<clang::tidy::ClangTidyError> &Errors,
                       SourceLocations &Locations);

private:
  explicit Baseline(std::string Directory) : Directory(std::move(Directory)) {}
  std::string Directory;
  /// Identity of a finding -> how many the baseline records.
  llvm::StringMap<unsigned> Known;
};

} // namespace untangle

#endif // UNTANGLE_TOOL_BASELINE_H
