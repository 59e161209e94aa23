//===--- Baseline.cpp - adopt the tool without fixing everything first -----===//

#include "reports/Baseline.h"
#include "reports/Output.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace clang;
using namespace clang::tidy;

namespace untangle {

namespace {

struct Identity {
  std::string Check, File, Context, Message;
  std::string key() const { return Check + "\n" + File + "\n" + Context + "\n" + Message; }
};

std::string directoryOf(llvm::StringRef Path) {
  return llvm::sys::path::parent_path(SourceLocations::absolutePath(Path, "")).str();
}

/// The text of the finding's line with runs of spaces made one: re-indenting is not
/// a new finding.
std::string contextOf(const ClangTidyError &Error, SourceLocations &Locations) {
  SourceLocation Loc =
      Locations.locate(Error.Message.FilePath, Error.BuildDirectory, Error.Message.FileOffset);
  if (Loc.isInvalid())
    return "";
  const SourceManager &SM = Locations.sourceManager();
  auto [File, Offset] = SM.getDecomposedLoc(Loc);
  llvm::StringRef Text = SM.getBufferData(File);
  size_t Begin = Text.rfind('\n', Offset);
  Begin = Begin == llvm::StringRef::npos ? 0 : Begin + 1;
  llvm::StringRef Line = Text.slice(Begin, Text.find('\n', Offset));
  llvm::SmallVector<llvm::StringRef> Words;
  llvm::SplitString(Line, Words);
  return llvm::join(Words, " ");
}

Identity identityOf(const ClangTidyError &Error, llvm::StringRef Directory,
                    SourceLocations &Locations) {
  // Inside the baseline's directory: relative, so the baseline moves with the tree.
  std::string File = SourceLocations::relativeInside(
      SourceLocations::absolutePath(Error.Message.FilePath, Error.BuildDirectory), Directory);
  return {Error.DiagnosticName, File, contextOf(Error, Locations), Error.Message.Message};
}

} // namespace

llvm::Expected<Baseline> Baseline::read(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "cannot read the baseline '%s': %s",
                                   Path.str().c_str(), Buffer.getError().message().c_str());
  auto Bad = [&](llvm::Twine Why) {
    return llvm::createStringError(std::errc::invalid_argument, "%s: not a baseline: %s",
                                   Path.str().c_str(), Why.str().c_str());
  };
  llvm::Expected<llvm::json::Value> Document = llvm::json::parse((*Buffer)->getBuffer());
  if (!Document)
    return Bad(llvm::toString(Document.takeError()));
  const llvm::json::Object *Root = Document->getAsObject();
  if (!Root || Root->getInteger("version") != 1)
    return Bad("expected an object with \"version\": 1 (written by --write-baseline)");
  const llvm::json::Array *Findings = Root->getArray("findings");
  if (!Findings)
    return Bad("no \"findings\" array");
  Baseline Result(directoryOf(Path));
  for (const llvm::json::Value &Entry : *Findings) {
    const llvm::json::Object *Finding = Entry.getAsObject();
    auto Field = [&](llvm::StringRef Name) -> std::optional<std::string> {
      if (!Finding)
        return std::nullopt;
      if (std::optional<llvm::StringRef> Value = Finding->getString(Name))
        return Value->str();
      return std::nullopt;
    };
    std::optional<std::string> Check = Field("check"), File = Field("file"),
                               Context = Field("context"), Message = Field("message");
    if (!Check || !File || !Context || !Message)
      return Bad("each finding needs \"check\", \"file\", \"context\" and \"message\"");
    ++Result.Known[Identity{*Check, *File, *Context, *Message}.key()];
  }
  return Result;
}

llvm::Error Baseline::write(llvm::StringRef Path, llvm::ArrayRef<ClangTidyError> Errors,
                            SourceLocations &Locations) {
  const std::string Directory = directoryOf(Path);
  std::vector<Identity> Identities;
  for (const ClangTidyError &Error : Errors)
    // Code that does not compile is never accepted as known.
    if (!isCompilerDiagnostic(Error.DiagnosticName))
      Identities.push_back(identityOf(Error, Directory, Locations));
  // Sorted, so that a re-written baseline diffs cleanly in review.
  llvm::sort(Identities, [](const Identity &A, const Identity &B) {
    return std::tie(A.File, A.Check, A.Context, A.Message) <
           std::tie(B.File, B.Check, B.Context, B.Message);
  });
  llvm::json::Array Findings;
  for (const Identity &I : Identities)
    Findings.push_back(llvm::json::Object{
        {"check", I.Check}, {"file", I.File}, {"context", I.Context}, {"message", I.Message}});
  llvm::json::Object Document{{"version", 1},
                              {"tool", "untangle " UNTANGLE_VERSION},
                              {"findings", std::move(Findings)}};
  std::string Text = llvm::formatv("{0:2}\n", llvm::json::Value(std::move(Document))).str();

  // Written to a temporary file and renamed: an old baseline is never half replaced.
  if (llvm::Error Failed = llvm::writeToOutput(Path, [&](llvm::raw_ostream &Out) {
        Out << Text;
        return llvm::Error::success();
      }))
    return llvm::createStringError(std::errc::io_error, "cannot write the baseline '%s': %s",
                                   Path.str().c_str(),
                                   llvm::toString(std::move(Failed)).c_str());
  return llvm::Error::success();
}

unsigned Baseline::removeKnown(std::vector<ClangTidyError> &Errors,
                               SourceLocations &Locations) {
  unsigned Removed = 0;
  llvm::erase_if(Errors, [&](const ClangTidyError &Error) {
    auto Known = this->Known.find(identityOf(Error, Directory, Locations).key());
    if (Known == this->Known.end() || Known->second == 0)
      return false;
    --Known->second;
    ++Removed;
    return true;
  });
  return Removed;
}

} // namespace untangle
