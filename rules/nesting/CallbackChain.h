//===--- CallbackChain.h - the chain both rewriters read --------*- C++ -*-===//
//
// A chain is the tree of nested asynchronous calls that starts at one outermost call:
// each level is an asynchronous call whose callback is a lambda, and the levels below
// it are the asynchronous calls in tail position of that lambda's body (one per branch
// of an if/else that ends the body). buildChain() also checks the preconditions every
// rewrite shares (RewritePreconditions.h) and records the first that fails.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_CALLBACKCHAIN_H
#define UNTANGLE_RULES_CALLBACKCHAIN_H

#include "nesting/AsyncCallModel.h"
#include "rewrite/RewritePreconditions.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include <memory>
#include <optional>
#include <vector>

namespace clang::tidy::untangle {

struct ChainLevel {
  const CallExpr *Call = nullptr;      ///< The asynchronous call.
  const FunctionDecl *Callee = nullptr;
  unsigned CallbackIndex = 0;          ///< Which argument of Call is the callback.
  const LambdaExpr *Lambda = nullptr;  ///< The callback.
  /// Where the call's statement ends: the location of its `;`.
  SourceLocation SemiLoc;
  /// The compound statement holding the call's statement, or null when the statement is
  /// the unbraced branch of an if (the rewrite then adds braces).
  const CompoundStmt *Block = nullptr;
  ChainLevel *Parent = nullptr;
  std::vector<std::unique_ptr<ChainLevel>> Children;
  unsigned Depth = 1;

  const CompoundStmt *body() const { return Lambda->getCompoundStmtBody(); }
};

struct CallbackChain {
  std::unique_ptr<ChainLevel> Root;
  /// The function or lambda whose body holds the outermost call.
  const Decl *Enclosing = nullptr;
  std::optional<Refusal> Refused;
  unsigned levels() const;
  unsigned depth() const;
};

struct ChainOptions {
  const AsyncCallModel *Model = nullptr;
  const MultiShotModel *MultiShot = nullptr;
};

/// Builds the chain that starts at \p Outermost, and checks the shared preconditions.
CallbackChain buildChain(const CallExpr &Outermost, const ChainOptions &Options,
                         ASTContext &Context);

/// Every level, parents before children.
std::vector<const ChainLevel *> levelsInOrder(const ChainLevel &Root);

/// The statement directly holding \p E (through implicit wrappers), e.g. the
/// ExprWithCleanups around a call used as a statement.
const Stmt *statementOf(const Expr *E, ASTContext &Context);

/// True when \p S is the last thing \p Body does: the last statement of it, or of a
/// branch of an if/else (or a plain block) that is itself the last thing, or the operand
/// of a `return` in such a place, or followed by nothing but a `return;`. On false,
/// \p Blocker is what comes in the way.
bool isInTailPosition(const Stmt *S, const Stmt *Body, ASTContext &Context,
                      const Stmt **Blocker = nullptr);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_CALLBACKCHAIN_H
