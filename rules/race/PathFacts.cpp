//===--- PathFacts.cpp - conditions known on a path -----------------------===//

#include "race/PathFacts.h"
#include "race/KnownTypes.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/FoldingSet.h"

namespace clang::tidy::untangle {

namespace {

bool isFalseConstant(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E))
    return true;
  if (const auto *I = dyn_cast<IntegerLiteral>(E))
    return I->getValue() == 0;
  if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(E))
    return !B->getValue();
  return false;
}

// Strips what does not change which value is tested: `!` and `== 0` flip the sense,
// `!= 0`, `!= NULL` and a conversion to bool (`if (ptr)` on a unique_ptr) keep it.
const Expr *normalize(const Expr *E, bool &Truthy) {
  while (true) {
    E = stripImplicit(E);
    if (const auto *Not = dyn_cast<UnaryOperator>(E); Not && Not->getOpcode() == UO_LNot) {
      Truthy = !Truthy;
      E = Not->getSubExpr();
      continue;
    }
    if (const auto *Compare = dyn_cast<BinaryOperator>(E); Compare && Compare->isEqualityOp()) {
      const Expr *Other = nullptr;
      if (isFalseConstant(Compare->getRHS()))
        Other = Compare->getLHS();
      else if (isFalseConstant(Compare->getLHS()))
        Other = Compare->getRHS();
      if (!Other)
        return E;
      if (Compare->getOpcode() == BO_EQ)
        Truthy = !Truthy;
      E = Other;
      continue;
    }
    // `(rc = pthread_create(...)) != 0` tests what was stored.
    if (const auto *Assign = dyn_cast<BinaryOperator>(E);
        Assign && Assign->getOpcode() == BO_Assign) {
      E = Assign->getLHS();
      continue;
    }
    if (const auto *Conversion = dyn_cast<CXXMemberCallExpr>(E);
        Conversion && isa_and_nonnull<CXXConversionDecl>(Conversion->getMethodDecl())) {
      E = Conversion->getImplicitObjectArgument();
      continue;
    }
    return E;
  }
}

const ValueDecl *variableOf(const Expr *E) {
  E = stripImplicit(E);
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<VarDecl>(Ref->getDecl());
  if (const auto *Member = dyn_cast<MemberExpr>(E))
    return Member->getMemberDecl();
  return nullptr;
}

// The variables a side-effect-free expression reads: writing one of them ends a fact
// on it. A call could read (and a later call change) anything, so a condition with
// calls is no fact -- except `pthread_create(...)` itself, whose result says whether
// the thread was started, and a call \p StatusCall says the same of (a helper that
// starts a thread and returns 0 then).
bool collectReads(const Expr *E, ASTContext &Ctx,
                  llvm::SmallVectorImpl<const ValueDecl *> &Reads,
                  llvm::function_ref<bool(const CallExpr &)> StatusCall) {
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    return (Callee && Callee->getIdentifier() && Callee->getName() == "pthread_create") ||
           (StatusCall && StatusCall(*Call));
  }
  if (E->HasSideEffects(Ctx))
    return false;
  struct Reader : RecursiveASTVisitor<Reader> {
    llvm::SmallVectorImpl<const ValueDecl *> &Reads;
    explicit Reader(llvm::SmallVectorImpl<const ValueDecl *> &Reads) : Reads(Reads) {}
    bool VisitDeclRefExpr(DeclRefExpr *Ref) {
      if (isa<VarDecl>(Ref->getDecl()) && !llvm::is_contained(Reads, Ref->getDecl()))
        Reads.push_back(Ref->getDecl());
      return true;
    }
    bool VisitMemberExpr(MemberExpr *Member) {
      if (!llvm::is_contained(Reads, Member->getMemberDecl()))
        Reads.push_back(Member->getMemberDecl());
      return true;
    }
  } R(Reads);
  R.TraverseStmt(const_cast<Expr *>(E));
  return Reads.size() <= 4;
}

bool isScalarVariable(const ValueDecl *V) {
  return V && V->getType()->isScalarType();
}

} // namespace

std::optional<bool> constantTruth(const Expr *E, ASTContext &Ctx) {
  E = E->IgnoreParenCasts();
  if (isFalseConstant(E))
    return false;
  // An address or a fresh allocation is never null (a failed allocation would crash
  // the program before any thread matters).
  if (isa<CXXNewExpr>(E))
    return true;
  if (const auto *Unary = dyn_cast<UnaryOperator>(E); Unary && Unary->getOpcode() == UO_AddrOf)
    return true;
  bool Result = false;
  if (!E->isValueDependent() && !E->isTypeDependent() &&
      E->EvaluateAsBooleanCondition(Result, Ctx))
    return Result;
  return std::nullopt;
}

std::optional<Fact> factOf(const Expr *Condition, bool Taken, ASTContext &Ctx,
                           llvm::function_ref<bool(const CallExpr &)> StatusCall) {
  if (!Condition)
    return std::nullopt;
  Fact F;
  F.Truthy = Taken;
  const Expr *E = normalize(Condition, F.Truthy);
  if ((F.Variable = variableOf(E)))
    return F;
  if (!collectReads(E, Ctx, F.Reads, StatusCall))
    return std::nullopt;
  llvm::FoldingSetNodeID ID;
  E->Profile(ID, Ctx, /*Canonical=*/true);
  F.Shape = ID.ComputeHash();
  return F;
}

const ValueDecl *testedVariable(const Expr *Condition, bool &TrueWhenSet) {
  if (!Condition)
    return nullptr;
  TrueWhenSet = true;
  const Expr *E = normalize(Condition, TrueWhenSet);
  // `t.joinable()` is false once a thread was joined or never started.
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = Member->getMethodDecl();
    if (!M || !M->getIdentifier() || M->getName() != "joinable" ||
        !isOneOf(recordName(objectType(*Member)), ThreadTypes))
      return nullptr;
    E = Member->getImplicitObjectArgument();
  }
  return variableOf(E);
}

bool contradicts(const FactList &Facts, const Fact &F) {
  return llvm::any_of(Facts, [&](const Fact &G) { return G.sameKey(F) && G.Truthy != F.Truthy; });
}

void addFact(FactList &Facts, const Fact &F, unsigned Max) {
  for (Fact &G : Facts)
    if (G.sameKey(F)) {
      G.Truthy = F.Truthy;
      return;
    }
  if (Max == 0)
    return;
  if (Facts.size() >= Max)
    Facts.erase(Facts.begin(), Facts.begin() + (Facts.size() - Max + 1));
  Facts.push_back(F);
}

void intersectFacts(FactList &Facts, const FactList &Other) {
  llvm::erase_if(Facts, [&](const Fact &F) { return !llvm::is_contained(Other, F); });
}

void killFacts(FactList &Facts, const ValueDecl *V) {
  llvm::erase_if(Facts, [&](const Fact &F) {
    return F.Variable == V || llvm::is_contained(F.Reads, V);
  });
}

llvm::SmallVector<VariableWrite, 1> variableWrites(const Stmt &S, ASTContext &Ctx) {
  llvm::SmallVector<VariableWrite, 1> Writes;
  if (const auto *Assign = dyn_cast<BinaryOperator>(&S); Assign && Assign->isAssignmentOp()) {
    const ValueDecl *V = variableOf(Assign->getLHS());
    if (!V)
      return Writes;
    VariableWrite W{V, nullptr, std::nullopt};
    if (Assign->getOpcode() == BO_Assign && isScalarVariable(V)) {
      W.Value = Assign->getRHS();
      W.ConstantTruthy = constantTruth(W.Value, Ctx);
    }
    Writes.push_back(W);
  } else if (const auto *Unary = dyn_cast<UnaryOperator>(&S);
             Unary && (Unary->isIncrementDecrementOp() || Unary->getOpcode() == UO_AddrOf)) {
    if (const ValueDecl *V = variableOf(Unary->getSubExpr()))
      Writes.push_back({V, nullptr, std::nullopt});
  } else if (const auto *Decls = dyn_cast<DeclStmt>(&S)) {
    for (const Decl *D : Decls->decls())
      if (const auto *V = dyn_cast<VarDecl>(D); V && isScalarVariable(V) && V->getInit())
        Writes.push_back({V, V->getInit(), constantTruth(V->getInit(), Ctx)});
  }
  return Writes;
}

} // namespace clang::tidy::untangle
