//===--- AtomicOrdering.cpp - atomics as message passing ------------------===//

#include "race/AtomicOrdering.h"
#include "race/KnownTypes.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::untangle {

namespace {

// std::memory_order and the __ATOMIC_* constants share their numbering.
enum Order { Relaxed = 0, Consume, Acquire, Release, AcquireRelease, SequentiallyConsistent };

bool isMemoryOrder(const Expr *E) {
  const auto *Enum = E->getType()->getAs<EnumType>();
  return Enum && Enum->getDecl()->getName().contains("memory_order");
}

// The order a std::atomic member call was given: its memory_order argument, or the
// default, seq_cst.
int64_t memberOrder(const CXXMemberCallExpr &Call, ASTContext &Ctx) {
  for (const Expr *Arg : Call.arguments())
    if (isMemoryOrder(Arg))
      return integerConstant(Arg, Ctx).value_or(Relaxed);
  return SequentiallyConsistent;
}

bool isStdAtomic(QualType T) {
  return recordName(T) == "std::atomic";
}

bool releases(int64_t O) { return O >= Release; }
bool acquires(int64_t O) {
  return O == Consume || O == Acquire || O == AcquireRelease || O == SequentiallyConsistent;
}

bool isLoad(const AtomicExpr &A) {
  switch (A.getOp()) {
  case AtomicExpr::AO__c11_atomic_load:
  case AtomicExpr::AO__atomic_load:
  case AtomicExpr::AO__atomic_load_n:
    return true;
  default:
    return false;
  }
}

// The atomic a condition loads: under `!`, comparisons and conversions.
const Expr *loadedAtomic(const Expr *E, ASTContext &Ctx) {
  while (true) {
    E = E->IgnoreParens();
    if (const auto *Cast = dyn_cast<ImplicitCastExpr>(E)) {
      // A C11 `_Atomic` read is a seq_cst load.
      if (Cast->getCastKind() == CK_AtomicToNonAtomic ||
          (Cast->getCastKind() == CK_LValueToRValue &&
           Cast->getSubExpr()->getType()->isAtomicType()))
        return Cast->getSubExpr();
      E = Cast->getSubExpr();
      continue;
    }
    if (const auto *Not = dyn_cast<UnaryOperator>(E); Not && Not->getOpcode() == UO_LNot) {
      E = Not->getSubExpr();
      continue;
    }
    if (const auto *Compare = dyn_cast<BinaryOperator>(E);
        Compare && (Compare->isComparisonOp() || Compare->isLogicalOp())) {
      if (const Expr *L = loadedAtomic(Compare->getLHS(), Ctx))
        return L;
      E = Compare->getRHS();
      continue;
    }
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = Member->getMethodDecl();
      if (!M || !isStdAtomic(objectType(*Member)))
        return nullptr;
      const bool Converts = isa<CXXConversionDecl>(M);
      if (!Converts && !(M->getIdentifier() && M->getName() == "load"))
        return nullptr;
      return acquires(memberOrder(*Member, Ctx))
                 ? Member->getImplicitObjectArgument()->IgnoreParenBaseCasts()
                 : nullptr;
    }
    if (const auto *Atomic = dyn_cast<AtomicExpr>(E)) {
      std::optional<int64_t> O = integerConstant(Atomic->getOrder(), Ctx);
      return isLoad(*Atomic) && O && acquires(*O) ? Atomic->getPtr() : nullptr;
    }
    return nullptr;
  }
}

} // namespace

const Expr *releasedAtomic(const Stmt &S, ASTContext &Ctx) {
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&S)) {
    const CXXMethodDecl *M = Member->getMethodDecl();
    if (!M || !M->getIdentifier() || !isStdAtomic(objectType(*Member)))
      return nullptr;
    llvm::StringRef Name = M->getName();
    const bool Writes = Name == "store" || Name == "exchange" ||
                        Name.starts_with("fetch_") || Name.starts_with("compare_exchange");
    return Writes && releases(memberOrder(*Member, Ctx))
               ? Member->getImplicitObjectArgument()->IgnoreParenBaseCasts()
               : nullptr;
  }
  // `ready = true`, `++count` on a std::atomic: seq_cst.
  // (The operators are declared in a base class of std::atomic.)
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&S);
      Op && Op->getNumArgs() > 0 &&
      isStdAtomic(Op->getArg(0)->IgnoreParenBaseCasts()->getType()) &&
      (Op->isAssignmentOp() || Op->getOperator() == OO_PlusPlus ||
       Op->getOperator() == OO_MinusMinus))
    return Op->getArg(0)->IgnoreParenBaseCasts();
  if (const auto *Atomic = dyn_cast<AtomicExpr>(&S)) {
    std::optional<int64_t> O = integerConstant(Atomic->getOrder(), Ctx);
    return !isLoad(*Atomic) && Atomic->getOp() != AtomicExpr::AO__c11_atomic_init && O &&
                   releases(*O)
               ? Atomic->getPtr()
               : nullptr;
  }
  // C11 `_Atomic`: a plain store or `++` is seq_cst.
  if (const auto *Assign = dyn_cast<BinaryOperator>(&S);
      Assign && Assign->isAssignmentOp() && Assign->getLHS()->getType()->isAtomicType())
    return Assign->getLHS();
  if (const auto *Unary = dyn_cast<UnaryOperator>(&S);
      Unary && Unary->isIncrementDecrementOp() &&
      Unary->getSubExpr()->getType()->isAtomicType())
    return Unary->getSubExpr();
  return nullptr;
}

const Expr *acquiredAtomic(const Expr &Condition, ASTContext &Ctx) {
  return loadedAtomic(&Condition, Ctx);
}

} // namespace clang::tidy::untangle
