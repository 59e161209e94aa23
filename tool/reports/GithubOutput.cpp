//===--- GithubOutput.cpp - GitHub Actions annotations ---------------------===//
//
// One workflow command per finding, `::warning file=F,line=L,col=C,title=T::message`,
// which GitHub shows on the pull request's diff. Notes are appended to the message,
// since an annotation has one location.
//
//===----------------------------------------------------------------------===//

#include "reports/Output.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

using namespace clang;
using namespace clang::tidy;

namespace untangle {

namespace {

/// Workflow commands end at a newline, so data escapes it (and '%', the escape).
std::string escapeData(llvm::StringRef Text) {
  std::string Escaped;
  for (char C : Text) {
    if (C == '%')
      Escaped += "%25";
    else if (C == '\r')
      Escaped += "%0D";
    else if (C == '\n')
      Escaped += "%0A";
    else
      Escaped += C;
  }
  return Escaped;
}

/// Property values also end at ',' and ':'.
std::string escapeProperty(llvm::StringRef Text) {
  std::string Escaped;
  for (char C : escapeData(Text)) {
    if (C == ':')
      Escaped += "%3A";
    else if (C == ',')
      Escaped += "%2C";
    else
      Escaped += C;
  }
  return Escaped;
}

/// GitHub matches annotations to the repository's files by relative path: relative
/// to the checkout ($GITHUB_WORKSPACE) in a workflow, else to the working directory.
std::string displayPath(llvm::StringRef Absolute) {
  if (std::optional<std::string> Workspace = llvm::sys::Process::GetEnv("GITHUB_WORKSPACE"))
    return SourceLocations::relativeInside(Absolute, SourceLocations::absolutePath(*Workspace, ""));
  llvm::SmallString<256> Current;
  if (llvm::sys::fs::current_path(Current))
    return Absolute.str();
  return SourceLocations::relativeInside(Absolute, Current);
}

struct Position {
  std::string File;
  unsigned Line = 0, Column = 0;
};

Position positionOf(const tooling::DiagnosticMessage &Message, llvm::StringRef BuildDirectory,
                    SourceLocations &Locations) {
  Position P;
  if (Message.FilePath.empty())
    return P;
  P.File = displayPath(Locations.absolutePath(Message.FilePath, BuildDirectory));
  SourceLocation Loc = Locations.locate(Message.FilePath, BuildDirectory, Message.FileOffset);
  if (Loc.isValid()) {
    P.Line = Locations.sourceManager().getSpellingLineNumber(Loc);
    P.Column = Locations.sourceManager().getSpellingColumnNumber(Loc);
  }
  return P;
}

} // namespace

void writeGithub(llvm::ArrayRef<ClangTidyError> Errors, SourceLocations &Locations,
                 llvm::raw_ostream &OS) {
  for (const ClangTidyError &Error : Errors) {
    llvm::StringRef Severity = severityOf(Error);
    OS << "::" << (Severity == "remark" ? "notice" : Severity);
    Position At = positionOf(Error.Message, Error.BuildDirectory, Locations);
    std::string Properties;
    if (!At.File.empty()) {
      Properties += "file=" + escapeProperty(At.File);
      if (At.Line)
        Properties += ",line=" + std::to_string(At.Line) + ",col=" + std::to_string(At.Column);
      Properties += ",";
    }
    Properties += "title=" + escapeProperty(Error.DiagnosticName);
    std::string Message = Error.Message.Message;
    for (const tooling::DiagnosticMessage &Note : Error.Notes) {
      Position NoteAt = positionOf(Note, Error.BuildDirectory, Locations);
      Message += "\nnote: " + Note.Message;
      if (!NoteAt.File.empty())
        Message += " (" + NoteAt.File + ":" + std::to_string(NoteAt.Line) + ")";
    }
    OS << " " << Properties << "::" << escapeData(Message) << "\n";
  }
}

} // namespace untangle
