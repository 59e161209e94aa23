//===--- JsonOutput.cpp - the JSON report ---------------------------------===//

#include "reports/Output.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

using namespace clang;
using namespace clang::tidy;

namespace untangle {

bool isCompilerDiagnostic(llvm::StringRef CheckName) {
  return CheckName.starts_with("clang-diagnostic-");
}

llvm::StringRef severityOf(const ClangTidyError &Error) {
  if (Error.DiagLevel == ClangTidyError::Error || Error.IsWarningAsError)
    return "error";
  if (Error.DiagLevel == ClangTidyError::Remark)
    return "remark";
  return "warning";
}

namespace {

/// file, line, column (1-based) and byte offset of one point.
void addPosition(llvm::json::Object &Into, llvm::StringRef File, unsigned Offset,
                 llvm::StringRef BuildDirectory, SourceLocations &Locations) {
  if (File.empty())
    return;
  Into["file"] = Locations.reportedPath(File, BuildDirectory);
  Into["offset"] = Offset;
  SourceLocation Loc = Locations.locate(File, BuildDirectory, Offset);
  if (Loc.isInvalid())
    return;
  const SourceManager &SM = Locations.sourceManager();
  Into["line"] = SM.getSpellingLineNumber(Loc);
  Into["column"] = SM.getSpellingColumnNumber(Loc);
}

llvm::json::Array fixesOf(const tooling::DiagnosticMessage &Message,
                          llvm::StringRef BuildDirectory, SourceLocations &Locations) {
  llvm::json::Array Fixes;
  for (const auto &[File, Replacements] : Message.Fix)
    for (const tooling::Replacement &R : Replacements) {
      llvm::json::Object Fix{{"length", R.getLength()},
                             {"replacement", R.getReplacementText()}};
      addPosition(Fix, R.getFilePath(), R.getOffset(), BuildDirectory, Locations);
      Fixes.push_back(std::move(Fix));
    }
  return Fixes;
}

} // namespace

void writeJson(llvm::ArrayRef<ClangTidyError> Errors, SourceLocations &Locations,
               llvm::raw_ostream &OS) {
  llvm::json::Array Diagnostics;
  for (const ClangTidyError &Error : Errors) {
    llvm::json::Object Diagnostic{{"check", Error.DiagnosticName},
                                  {"severity", severityOf(Error)},
                                  {"message", Error.Message.Message}};
    addPosition(Diagnostic, Error.Message.FilePath, Error.Message.FileOffset,
                Error.BuildDirectory, Locations);
    llvm::json::Array Notes;
    for (const tooling::DiagnosticMessage &Note : Error.Notes) {
      llvm::json::Object JsonNote{{"message", Note.Message}};
      addPosition(JsonNote, Note.FilePath, Note.FileOffset, Error.BuildDirectory,
                  Locations);
      Notes.push_back(std::move(JsonNote));
    }
    Diagnostic["notes"] = std::move(Notes);
    Diagnostic["fixes"] = fixesOf(Error.Message, Error.BuildDirectory, Locations);
    Diagnostics.push_back(std::move(Diagnostic));
  }
  llvm::json::Object Report{
      {"version", 1},
      {"tool", llvm::json::Object{{"name", "untangle"}, {"version", UNTANGLE_VERSION}}},
      {"diagnostics", std::move(Diagnostics)}};
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Report))) << "\n";
}

} // namespace untangle
