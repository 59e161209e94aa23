//===--- UserCodeParents.h - a parent map of the user's code only -*- C++ -*-===//
//
// clang builds the AST's parent map (ASTContext::getParents, the `hasAncestor` that
// ExprMutationAnalyzer asks for every use it classifies) over the traversal scope, by
// default the whole translation unit: every declaration and template instantiation of
// the standard library's headers. On the bench files that one walk was most of what
// untangle-data-race cost (a quarter of clang's own parse). The race analysis asks for
// the parents of nodes of code it analyzes, which never lies in a system header (it
// follows no call into one; see race/KnownTypes.h), so while it runs the scope is the
// translation unit's top-level declarations outside system headers.
//
// What a narrower scope can change, and how it is kept out: the parents of nodes inside
// a system header's declarations are unknown while it is limited. A query that may reach
// such nodes (the atomic fix's walk over every use of a variable) calls widen() first.
// Left: ExprMutationAnalyzer follows a forwarding reference (`std::make_shared<T>(x)`)
// into the library's function body and asks whether the uses there are unevaluated
// (`decltype`, `sizeof`); inside a system header that answer is "no" while the scope is
// limited, which differs only for a use both unevaluated and written as a mutation.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_USERCODEPARENTS_H
#define UNTANGLE_RULES_RACE_USERCODEPARENTS_H

#include "race/KnownTypes.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include <vector>

namespace clang::tidy::untangle {

/// A walk over the user's code: declarations in system headers (a library's own code,
/// never analyzed, see race/KnownTypes.h) are skipped.
template <typename Derived> class UserCodeVisitor : public RecursiveASTVisitor<Derived> {
public:
  explicit UserCodeVisitor(const SourceManager &SM) : SM(SM) {}
  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && isInSystemHeader(D, SM))
      return true;
    const FunctionDecl *Outer = Enclosing;
    if (const auto *F = dyn_cast_or_null<FunctionDecl>(D))
      Enclosing = F;
    const bool Continue = RecursiveASTVisitor<Derived>::TraverseDecl(D);
    Enclosing = Outer;
    return Continue;
  }

protected:
  const SourceManager &SM;
  /// The function whose body is being walked, if any.
  const FunctionDecl *Enclosing = nullptr;
};

/// While alive, limits the traversal scope (and so the parent map) to the top-level
/// declarations outside system headers; restores the previous scope when destroyed.
/// Only between AST traversals: a traversal iterates over the scope it started with.
class UserCodeParents {
public:
  /// \p SystemHeadersAnalyzed: findings in system headers are shown, so their code is
  /// analyzed and keeps its parents. A scope a host already limited (clangd limits it
  /// to the main file) is left as it is.
  UserCodeParents(ASTContext &Ctx, bool SystemHeadersAnalyzed);
  ~UserCodeParents() { widen(); }
  UserCodeParents(const UserCodeParents &) = delete;
  UserCodeParents &operator=(const UserCodeParents &) = delete;

  /// The previous scope again, for a query that may reach into system headers.
  void widen();

private:
  ASTContext &Ctx;
  std::vector<Decl *> Saved;
  bool Limited = false;
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_RACE_USERCODEPARENTS_H
