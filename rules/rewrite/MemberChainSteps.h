//===--- MemberChainSteps.h - the steps of a chain of members --*- C++ -*-===//
//
// What the member-chain rewrite (MemberChainRewriter.h) reads from the code: which member
// a handler continues in (bind_front_handler, std::bind_front, std::bind with
// placeholders, a lambda capturing shared_from_this() that calls it, any of these bound
// to an executor with bind_executor), the steps (an asynchronous operation, a net::post or
// net::dispatch of the next member, a plain call), every use of a member in the file, and
// the facts of a member body the rewrite edits.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_MEMBERCHAINSTEPS_H
#define UNTANGLE_RULES_MEMBERCHAINSTEPS_H

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/DenseMap.h"
#include <vector>

namespace clang::tidy::untangle {

/// Through what the compiler adds around an argument: temporaries, casts, the copy or
/// move into a by-value parameter, an implicit converting construction (a handler
/// passed as a std::function).
const Expr *peel(const Expr *E);

/// A reference to the next member, where the handler names it.
struct NextMember {
  const CXXMethodDecl *Method = nullptr;
  SourceLocation RefLoc;
  /// `X` of `bind_executor(X, <handler>)`: the handler runs on X, not on the executor
  /// of the operation's I/O object.
  const Expr *BoundExecutor = nullptr;
};

/// The member a handler continues in, when the handler is one of the forms the rewrite
/// knows to keep the object alive with shared_from_this() and to pass the completion's
/// arguments on unchanged.
NextMember handlerTarget(const Expr *Arg, const CXXRecordDecl &Class);

/// How a step hands the next member to an executor instead of an operation:
/// `net::dispatch(ex, h)` (the executor may run h at once or queue it), `net::post(ex, h)`
/// (always queued).
enum class ExecutorHop { None, Dispatch, Post };

/// \p Call is Asio's dispatch or post taking (executor or context, handler), with the
/// handler at \p TokenIndex: which of the two, or None.
ExecutorHop executorHopOf(const CallExpr &Call, unsigned TokenIndex);

/// One member of the chain and how it continues: an asynchronous operation (of Asio or
/// another callback API) whose handler is the next member, a dispatch or post of the next
/// member (Hop), a plain call of the next member, or nothing (the chain ends).
struct Step {
  const CXXMethodDecl *Member = nullptr;
  const Stmt *Continuation = nullptr; ///< the last statement of the body
  const CallExpr *Operation = nullptr;
  unsigned TokenIndex = 0;
  ExecutorHop Hop = ExecutorHop::None;
  NextMember Next;
};

/// Every use of the chain's members in the file, to find those used elsewhere.
struct MemberUses : RecursiveASTVisitor<MemberUses> {
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    Uses[E->getDecl()->getCanonicalDecl()].push_back(E->getLocation());
    return true;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    Uses[E->getMemberDecl()->getCanonicalDecl()].push_back(E->getMemberLoc());
    return true;
  }
  llvm::DenseMap<const Decl *, std::vector<SourceLocation>> Uses;
};

/// In one member body: returns (not those of nested lambdas), top-level locals, and uses
/// of names declared outside it (class members through implicit `this`, functions,
/// globals), which an enclosing step's local of the same name would now hide.
struct BodyFacts : RecursiveASTVisitor<BodyFacts> {
  explicit BodyFacts(const CXXMethodDecl &Member) : Member(Member) {}
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool TraverseLambdaExpr(LambdaExpr *L) {
    ++LambdaDepth;
    bool Result = RecursiveASTVisitor::TraverseLambdaExpr(L);
    --LambdaDepth;
    return Result;
  }
  bool VisitReturnStmt(ReturnStmt *R) {
    if (!LambdaDepth)
      Returns.push_back(R);
    return true;
  }
  bool VisitGotoStmt(GotoStmt *S) {
    Goto = true;
    return true;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    if (const auto *This = dyn_cast<CXXThisExpr>(E->getBase()->IgnoreImpCasts());
        This && This->isImplicit() && E->getMemberDecl()->getIdentifier())
      ImplicitMembers.push_back(E);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    const ValueDecl *D = E->getDecl();
    const auto *Var = dyn_cast<VarDecl>(D);
    bool Local = (Var && Var->isLocalVarDeclOrParm()) || isa<BindingDecl>(D);
    if (!Local && D->getIdentifier() && !E->getQualifierLoc())
      Outside.push_back(E);
    return true;
  }
  const CXXMethodDecl &Member;
  unsigned LambdaDepth = 0;
  bool Goto = false;
  std::vector<const ReturnStmt *> Returns;
  std::vector<const MemberExpr *> ImplicitMembers;
  std::vector<const DeclRefExpr *> Outside;
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_MEMBERCHAINSTEPS_H
