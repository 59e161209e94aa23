//===--- MainThreadJoins.cpp - threads that wait for main to end ----------===//
//
// `main` may store its own id (`main_id = pthread_self();`), start threads and end with
// `pthread_exit`, keeping the process alive; a thread that then joins it
// (`pthread_join(main_id, 0)`) goes on only once main has ended. Had main returned
// instead, the process would have ended and the join never returned. Either way,
// everything main did happens before what the joining thread does after the join.
// In lockset terms (as for the other happens-before edges, race/Locksets.cpp): main
// holds "the main thread's end" from its start, exclusively; a joiner holds it shared
// from the join on. Main's accesses and a joiner's later ones share it and are ordered;
// two joiners' accesses hold it shared, as readers of a lock do, and are not.
//
//===----------------------------------------------------------------------===//

#include "race/ConcurrencyModel.h"
#include "race/Locksets.h"
#include "clang/AST/RecursiveASTVisitor.h"

namespace clang::tidy::untangle {

MemoryLocation mainThreadEnd() { return MemoryLocation::hidden("the main thread's end"); }

llvm::ArrayRef<const Decl *> ConcurrencyModel::mainThreadHandles(ASTContext &Ctx) const {
  if (MainHandles)
    return *MainHandles;
  MainHandles.emplace();
  // The globals main assigns its own id to.
  struct Finder : RecursiveASTVisitor<Finder> {
    llvm::SmallVector<const Decl *, 1> &Out;
    explicit Finder(llvm::SmallVector<const Decl *, 1> &Out) : Out(Out) {}
    bool VisitBinaryOperator(BinaryOperator *B) {
      const auto *Call = dyn_cast<CallExpr>(B->getRHS()->IgnoreParenImpCasts());
      const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
      if (!B->isAssignmentOp() || !Callee || !Callee->getIdentifier() ||
          Callee->getName() != "pthread_self")
        return true;
      const auto *Handle = dyn_cast_or_null<VarDecl>(designatedDecl(B->getLHS()));
      if (Handle && Handle->hasGlobalStorage() && !llvm::is_contained(Out, Handle))
        Out.push_back(Handle);
      return true;
    }
  } F(*MainHandles);
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (const auto *Main = dyn_cast<FunctionDecl>(D);
        Main && Main->isMain() && Main->doesThisDeclarationHaveABody())
      F.TraverseStmt(Main->getBody());
  return *MainHandles;
}

} // namespace clang::tidy::untangle
