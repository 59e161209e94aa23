//===--- UserCodeParents.cpp - a parent map of the user's code only -------===//

#include "race/UserCodeParents.h"
#include "race/KnownTypes.h"

namespace clang::tidy::untangle {

UserCodeParents::UserCodeParents(ASTContext &Ctx, bool SystemHeadersAnalyzed)
    : Ctx(Ctx), Saved(Ctx.getTraversalScope().vec()) {
  if (SystemHeadersAnalyzed || Saved.size() != 1 || !isa<TranslationUnitDecl>(Saved.front()))
    return;
  std::vector<Decl *> User;
  const SourceManager &SM = Ctx.getSourceManager();
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (!isInSystemHeader(D, SM))
      User.push_back(D);
  Ctx.setTraversalScope(User);
  Limited = true;
}

void UserCodeParents::widen() {
  if (!Limited)
    return;
  Ctx.setTraversalScope(Saved);
  Limited = false;
}

} // namespace clang::tidy::untangle
