//===--- ReportScope.cpp - where findings can be reported -----------------===//

#include "ReportScope.h"

namespace clang::tidy::untangle {

bool ReportScope::contains(SourceLocation Loc, const SourceManager &SM) {
  if (Loc.isInvalid())
    return false;
  if (!Loaded) {
    Loaded = true;
    const ClangTidyOptions &Options = Context.getOptions();
    // An empty filter matches nothing, as in clang-tidy.
    auto Compile = [](const std::optional<std::string> &Pattern) {
      return Pattern && !Pattern->empty() ? std::optional<llvm::Regex>(std::in_place, *Pattern)
                                          : std::nullopt;
    };
    HeaderFilter = Compile(Options.HeaderFilterRegex);
    ExcludeHeaderFilter = Compile(Options.ExcludeHeaderFilterRegex);
  }
  const FileID File = SM.getFileID(SM.getExpansionLoc(Loc));
  auto [It, Inserted] = Reported.try_emplace(File, false);
  if (!Inserted)
    return It->second;
  if (File == SM.getMainFileID())
    return It->second = true;
  // The same rule as clang-tidy's diagnostic consumer: system headers only on request,
  // then the header filter minus the exclusion filter, on the file's name as spelled.
  const SrcMgr::CharacteristicKind Kind = SM.getFileCharacteristic(SM.getLocForStartOfFile(File));
  if (SrcMgr::isSystem(Kind) && !Context.getOptions().SystemHeaders.value_or(false))
    return It->second = false;
  OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File);
  if (!Entry)
    return It->second = false;
  const llvm::StringRef Name = Entry->getName();
  return It->second = HeaderFilter && HeaderFilter->match(Name) &&
                      !(ExcludeHeaderFilter && ExcludeHeaderFilter->match(Name));
}

} // namespace clang::tidy::untangle
