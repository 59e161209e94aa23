//===--- RunCounts.cpp - code that runs at most once ----------------------===//
//
// Decides whether a statement runs at most once per call of its function, and counts
// how often each function is named; see race/RunCounts.h for who relies on it.
//
//===----------------------------------------------------------------------===//

#include "race/RunCounts.h"
#include "race/KnownTypes.h"
#include "clang/AST/ParentMapContext.h"
#include "race/UserCodeParents.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::untangle {

namespace {

/// A label makes a loop of any `goto` back to it.
bool hasLabel(const Stmt *S) {
  if (!S)
    return false;
  if (isa<LabelStmt>(S))
    return true;
  return llvm::any_of(S->children(), hasLabel);
}

} // namespace

const FunctionDecl *runsOnceIn(const Stmt &S, ASTContext &Ctx) {
  for (DynTypedNode Node = DynTypedNode::create(S);;) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty() || Parents[0].get<LambdaExpr>())
      return nullptr;
    Node = Parents[0];
    if (const auto *F = Node.get<FunctionDecl>())
      return hasLabel(F->getBody()) ? nullptr : F;
    if (const auto *Loop = Node.get<Stmt>(); Loop && isLoopStmt(Loop))
      return nullptr;
  }
}

unsigned FunctionMentions::count(const FunctionDecl &F, ASTContext &Ctx) {
  if (!Counted) {
    struct Counter : UserCodeVisitor<Counter> {
      llvm::DenseMap<const FunctionDecl *, unsigned> &Counts;
      Counter(const SourceManager &SM, llvm::DenseMap<const FunctionDecl *, unsigned> &C)
          : UserCodeVisitor(SM), Counts(C) {}
      bool VisitDeclRefExpr(DeclRefExpr *Ref) {
        if (const auto *Named = dyn_cast<FunctionDecl>(Ref->getDecl()))
          ++Counts[Named->getCanonicalDecl()];
        return true;
      }
    } Walk(Ctx.getSourceManager(), Counts);
    Walk.TraverseDecl(Ctx.getTranslationUnitDecl());
    Counted = true;
  }
  return Counts.lookup(F.getCanonicalDecl());
}

} // namespace clang::tidy::untangle
