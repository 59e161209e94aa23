//===--- SourceLocations.cpp - file offsets back to source locations -----===//

#include "analysis/SourceLocations.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace untangle {

SourceLocations::SourceLocations(std::string ReportDirectory)
    : ReportDirectory(std::move(ReportDirectory)), Diags(llvm::makeIntrusiveRefCnt<DiagnosticIDs>(), DiagOpts),
      Files(llvm::makeIntrusiveRefCnt<FileManager>(FileSystemOptions())),
      SM(Diags, *Files) {}

std::string SourceLocations::absolutePath(llvm::StringRef FilePath,
                                          llvm::StringRef BuildDirectory) {
  llvm::SmallString<256> Path(FilePath);
  if (llvm::sys::path::is_relative(Path) && !BuildDirectory.empty()) {
    Path = BuildDirectory;
    llvm::sys::path::append(Path, FilePath);
  }
  llvm::sys::fs::make_absolute(Path);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return std::string(Path);
}

std::string SourceLocations::relativeInside(llvm::StringRef Path,
                                            llvm::StringRef Directory) {
  llvm::StringRef Relative = Path;
  if (!Directory.empty() && Relative.consume_front(Directory) &&
      (Directory.ends_with("/") || Relative.consume_front("/")))
    return Relative.str();
  return Path.str();
}

std::string SourceLocations::reportedPath(llvm::StringRef FilePath,
                                          llvm::StringRef BuildDirectory) const {
  std::string Absolute = absolutePath(FilePath, BuildDirectory);
  return ReportDirectory.empty() ? Absolute : relativeInside(Absolute, ReportDirectory);
}

size_t markedTokenLength(llvm::StringRef Text, size_t Offset) {
  if (Offset >= Text.size() || Text[Offset] == '\n')
    return 0;
  size_t End = Offset;
  while (End < Text.size() && (llvm::isAlnum(Text[End]) || Text[End] == '_'))
    ++End;
  if (End == Offset)
    do
      ++End;
    while (End < Text.size() && (Text[End] & 0xC0) == 0x80); // UTF-8 continuation bytes
  return End - Offset;
}

SourceLocation SourceLocations::locate(llvm::StringRef FilePath,
                                       llvm::StringRef BuildDirectory,
                                       unsigned Offset) {
  if (FilePath.empty())
    return {};
  llvm::Expected<FileEntryRef> File =
      Files->getFileRef(absolutePath(FilePath, BuildDirectory));
  if (!File) {
    llvm::consumeError(File.takeError());
    return {};
  }
  FileID ID = SM.getOrCreateFileID(*File, SrcMgr::C_User);
  // A report read back (--merge) or a file changed since the analysis can name an
  // offset past the end, which would compose a location in another file.
  std::optional<llvm::MemoryBufferRef> Buffer = SM.getBufferOrNone(ID);
  if (!Buffer || Offset > Buffer->getBufferSize())
    return {};
  return SM.getComposedLoc(ID, Offset);
}

} // namespace untangle
