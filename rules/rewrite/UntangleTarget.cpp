//===--- UntangleTarget.cpp - rewriting to the bundled runtime ------------===//

#include "rewrite/UntangleTarget.h"
#include "rewrite/SourceEdits.h"

namespace clang::tidy::untangle {

std::string untangleFromCallback(llvm::ArrayRef<std::string> Types,
                                 llvm::StringRef CallbackName, llvm::StringRef Call) {
  std::string TypeList;
  for (const std::string &T : Types)
    TypeList += (TypeList.empty() ? "" : ", ") + T;
  return ("untangle::from_callback<" + TypeList + ">([&](auto " + CallbackName + ") { " +
          Call + "; })")
      .str();
}

std::string untangleCallbackArgument(llvm::StringRef CallbackName) {
  return ("std::move(" + CallbackName + ")").str();
}

FixItHint untangleRuntimeInclude(const SourceManager &SM, FileID File, unsigned Before) {
  return FixItHint::CreateInsertion(
      SM.getLocForStartOfFile(File).getLocWithOffset(
          includeInsertionOffset(SM.getBufferData(File), Before)),
      "#include <untangle/runtime.hpp>\n");
}

} // namespace clang::tidy::untangle
