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

std::string untangleResultBinding(llvm::ArrayRef<ParmVarDecl *> Params,
                                  llvm::ArrayRef<std::string> Names,
                                  llvm::StringRef FirstType, bool Reuse) {
  const auto NamedCount =
      llvm::count_if(Params, [](const ParmVarDecl *P) { return P->getIdentifier(); });
  if (Reuse && Names.size() == 1)
    return Names.front() + " = ";
  if (Reuse) {
    // An unnamed result still has to go somewhere: std::ignore.
    std::string Prefix = "std::tie(";
    for (size_t I = 0; I < Names.size(); ++I)
      Prefix += (I ? ", " : "") + (Params[I]->getIdentifier() ? Names[I] : "std::ignore");
    return Prefix + ") = ";
  }
  if (NamedCount == 1 && Names.size() == 1) {
    // A result taken by non-const reference is not of the type as written.
    const QualType Type = Params.front()->getType();
    const bool MutableRef =
        Type->isLValueReferenceType() && !Type.getNonReferenceType().isConstQualified();
    return (MutableRef ? "auto" : FirstType.str()) + " " + Names.front() + " = ";
  }
  if (NamedCount == 0)
    return "";
  std::string Prefix = "auto [";
  for (size_t I = 0; I < Names.size(); ++I)
    Prefix += (I ? ", " : "") + Names[I];
  return Prefix + "] = ";
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
