//===--- ChainScanner.h - what a coroutine rewrite edits -------*- C++ -*-===//
//
// One walk over a chain's code (CallbackChain.h) that collects everything the coroutine
// rewrite edits: uses of each variable, explicit and implicit `this`, captures of nested
// synchronous lambdas, returns of the callbacks, and what the outermost call's own
// arguments use (they run at the coroutine's start).
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_CHAINSCANNER_H
#define UNTANGLE_RULES_CHAINSCANNER_H

#include "nesting/CallbackChain.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/DenseMap.h"
#include <vector>

namespace clang::tidy::untangle {

inline bool isLocalVariable(const ValueDecl *V) {
  if (const auto *Var = dyn_cast<VarDecl>(V))
    return Var->hasLocalStorage() || isa<ParmVarDecl>(Var);
  return isa<BindingDecl>(V);
}

/// Everything in the chain's code that the rewrite edits.
class ChainScanner : public RecursiveASTVisitor<ChainScanner> {
  using Base = RecursiveASTVisitor<ChainScanner>;

public:
  ChainScanner(const llvm::DenseMap<const LambdaExpr *, const ChainLevel *> &Levels,
               const ChainLevel &Root)
      : Levels(Levels), Root(Root) {}

  bool shouldVisitTemplateInstantiations() const { return false; }

  bool TraverseLambdaExpr(LambdaExpr *Lambda) {
    auto It = Levels.find(Lambda);
    const ChainLevel *Level = It == Levels.end() ? nullptr : It->second;
    if (!Level) {
      for (const LambdaCapture &C : Lambda->explicit_captures()) {
        if (C.capturesThis()) {
          if (C.getCaptureKind() == LCK_StarThis)
            StarThis = C.getLocation();
          else
            ThisCaptures.push_back(C.getLocation());
        } else if (C.capturesVariable() && !Lambda->isInitCapture(&C)) {
          CaptureRefs[C.getCapturedVar()].push_back(C.getLocation());
        }
      }
    }
    Context.push_back(Level);
    bool Result = Base::TraverseLambdaExpr(Lambda);
    Context.pop_back();
    return Result;
  }
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }

  bool TraverseStmt(Stmt *S) {
    // The outermost call's own arguments run in the coroutine too, at its start.
    if (S == Root.Call) {
      const auto *Call = cast<CallExpr>(S);
      InOuterArgs = true;
      bool Ok = TraverseStmt(const_cast<Expr *>(Call->getCallee()));
      for (unsigned I = 0; Ok && I < Call->getNumArgs(); ++I) {
        if (I == Root.CallbackIndex)
          continue;
        Ok = TraverseStmt(const_cast<Expr *>(Call->getArg(I)));
      }
      InOuterArgs = false;
      return Ok && TraverseStmt(const_cast<Expr *>(Call->getArg(Root.CallbackIndex)));
    }
    return Base::TraverseStmt(S);
  }

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    Refs[E->getDecl()].push_back(E->getLocation());
    if (InOuterArgs && !E->isNonOdrUse())
      OuterRefs.push_back(E->getDecl());
    return true;
  }
  bool VisitCXXThisExpr(CXXThisExpr *E) {
    if (!E->isImplicit())
      ExplicitThis.push_back(E->getLocation());
    if (InOuterArgs)
      OuterThis = true;
    return true;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    if (const auto *This = dyn_cast<CXXThisExpr>(E->getBase()->IgnoreImpCasts());
        This && This->isImplicit())
      ImplicitThis.push_back(E->getMemberLoc());
    return true;
  }
  bool VisitCXXDependentScopeMemberExpr(CXXDependentScopeMemberExpr *E) {
    if (E->isImplicitAccess()) {
      ImplicitThis.push_back(E->getMemberLoc());
      OuterThis |= InOuterArgs;
    }
    return true;
  }
  bool VisitUnresolvedMemberExpr(UnresolvedMemberExpr *E) {
    if (E->isImplicitAccess()) {
      ImplicitThis.push_back(E->getMemberLoc());
      OuterThis |= InOuterArgs;
    }
    return true;
  }
  bool VisitReturnStmt(ReturnStmt *R) {
    if (!Context.empty() && Context.back())
      Returns.push_back(R);
    return true;
  }

  llvm::DenseMap<const ValueDecl *, std::vector<SourceLocation>> Refs;
  llvm::DenseMap<const ValueDecl *, std::vector<SourceLocation>> CaptureRefs;
  std::vector<SourceLocation> ImplicitThis, ExplicitThis, ThisCaptures;
  std::vector<const ReturnStmt *> Returns;
  std::vector<const ValueDecl *> OuterRefs;
  bool OuterThis = false;
  SourceLocation StarThis;

private:
  const llvm::DenseMap<const LambdaExpr *, const ChainLevel *> &Levels;
  const ChainLevel &Root;
  std::vector<const ChainLevel *> Context;
  bool InOuterArgs = false;
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_CHAINSCANNER_H
