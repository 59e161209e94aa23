//===--- ElementRanges.cpp - which elements of a handle array -------------===//
//
// See race/ElementRanges.h. A `for` loop's range is read from its three clauses
// (`i = A` or `int i = A`; `i < B`, `i <= B` or `i != B`; `i++`, `++i` or `i += 1`);
// a body that writes `i` or takes its address makes the range unknown.
//
//===----------------------------------------------------------------------===//

#include "race/ElementRanges.h"
#include "race/KnownTypes.h"
#include "race/PathFacts.h"
#include "clang/AST/Stmt.h"

namespace clang::tidy::untangle {
namespace {

const VarDecl *variableOf(const Expr *E) {
  const auto *Ref = dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

// Anything in \p S that may change \p Var: a store, an increment, its address taken.
bool changes(const Stmt *S, const VarDecl *Var, ASTContext &Ctx) {
  if (!S)
    return false;
  if (llvm::any_of(variableWrites(*S, Ctx),
                   [&](const VariableWrite &W) { return W.Variable == Var; }))
    return true;
  for (const Stmt *Child : S->children())
    if (changes(Child, Var, Ctx))
      return true;
  return false;
}

std::optional<std::int64_t> startOf(const Stmt *Init, const VarDecl *Var, ASTContext &Ctx) {
  if (const auto *Decl = dyn_cast_or_null<DeclStmt>(Init))
    return Decl->isSingleDecl() && Decl->getSingleDecl() == Var ? integerConstant(Var->getInit(), Ctx)
                                                                : std::nullopt;
  const auto *Assign = dyn_cast_or_null<BinaryOperator>(Init);
  if (Assign && Assign->getOpcode() == BO_Assign && variableOf(Assign->getLHS()) == Var)
    return integerConstant(Assign->getRHS(), Ctx);
  return std::nullopt;
}

bool stepsByOne(const Expr *Inc, const VarDecl *Var, ASTContext &Ctx) {
  Inc = Inc ? Inc->IgnoreParenImpCasts() : nullptr;
  if (const auto *Op = dyn_cast_or_null<UnaryOperator>(Inc))
    return Op->isIncrementOp() && variableOf(Op->getSubExpr()) == Var;
  if (const auto *Op = dyn_cast_or_null<CompoundAssignOperator>(Inc))
    return Op->getOpcode() == BO_AddAssign && variableOf(Op->getLHS()) == Var &&
           integerConstant(Op->getRHS(), Ctx) == 1;
  return false;
}

// The indices `for (i = A; i < B; i++)` gives its variable \p Var.
std::optional<ElementRange> rangeOf(const ForStmt &Loop, const VarDecl *Var, ASTContext &Ctx) {
  std::optional<std::int64_t> Low = startOf(Loop.getInit(), Var, Ctx);
  const auto *Cond = dyn_cast_or_null<BinaryOperator>(
      Loop.getCond() ? Loop.getCond()->IgnoreParenImpCasts() : nullptr);
  if (!Low || !Cond || variableOf(Cond->getLHS()) != Var ||
      !stepsByOne(Loop.getInc(), Var, Ctx) || changes(Loop.getBody(), Var, Ctx))
    return std::nullopt;
  std::optional<std::int64_t> Bound = integerConstant(Cond->getRHS(), Ctx);
  if (!Bound)
    return std::nullopt;
  switch (Cond->getOpcode()) {
  case BO_LT:
  case BO_NE:
    return ElementRange{*Low, std::max(*Low, *Bound)};
  case BO_LE:
    return ElementRange{*Low, std::max(*Low, *Bound + 1)};
  default:
    return std::nullopt;
  }
}

} // namespace

std::optional<ElementRange> elementsNamed(const Expr *Handle, ASTContext &Ctx) {
  if (!Handle)
    return std::nullopt;
  Handle = Handle->IgnoreParenImpCasts();
  if (const auto *AddrOf = dyn_cast<UnaryOperator>(Handle);
      AddrOf && AddrOf->getOpcode() == UO_AddrOf)
    Handle = AddrOf->getSubExpr()->IgnoreParenImpCasts();
  const auto *Element = dyn_cast<ArraySubscriptExpr>(Handle);
  // One level only: `t[i][j]` would need both loops' ranges.
  if (!Element || !variableOf(Element->getBase()))
    return std::nullopt;
  if (std::optional<std::int64_t> Index = integerConstant(Element->getIdx(), Ctx))
    return ElementRange{*Index, *Index + 1};
  const VarDecl *Index = variableOf(Element->getIdx());
  if (!Index)
    return std::nullopt;
  // The innermost `for` loop that steps the index.
  DynTypedNode Node = DynTypedNode::create(*Handle);
  for (unsigned Steps = 0; Steps < 64; ++Steps) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return std::nullopt;
    Node = Parents[0];
    if (const auto *Loop = Node.get<ForStmt>()) {
      if (std::optional<ElementRange> Range = rangeOf(*Loop, Index, Ctx))
        return Range;
      // A loop that changes the index in another way makes it unknown.
      if (changes(Loop->getInit(), Index, Ctx) || changes(Loop->getInc(), Index, Ctx))
        return std::nullopt;
    }
    if (Node.get<Decl>())
      return std::nullopt; // left the function
  }
  return std::nullopt;
}

} // namespace clang::tidy::untangle
