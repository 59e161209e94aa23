//===--- PointerTargets.cpp - what a pointer place may hold ---------------===//

#include "race/PointerTargets.h"
#include "race/KnownTypes.h"
#include "clang/AST/DeclCXX.h"
#include "race/UserCodeParents.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::untangle {

namespace {

// A function pointer, a reference to a function, or an array of them.
bool holdsFunctions(QualType T) {
  while (const ArrayType *Array = T->getAsArrayTypeUnsafe())
    T = Array->getElementType();
  return T->isFunctionPointerType() || T->isFunctionReferenceType();
}

// A pointer (to data or a function), or an array of them.
bool holdsPointers(QualType T) {
  while (const ArrayType *Array = T->getAsArrayTypeUnsafe())
    T = Array->getElementType();
  return T->isPointerType() || T->isFunctionReferenceType();
}

} // namespace

/// Every store of a function into a place, in code whose findings may be shown and
/// the headers it includes (not system headers: a library's tables are its own).
class FunctionPointerStores : public UserCodeVisitor<FunctionPointerStores> {
public:
  FunctionPointerStores(PointerTargets &Table, const SourceManager &SM)
      : UserCodeVisitor(SM), Table(Table) {}

  bool VisitVarDecl(VarDecl *V) {
    if (const Expr *Init = V->getInit())
      initialize(V, Init);
    return true;
  }
  bool VisitCXXConstructorDecl(CXXConstructorDecl *Ctor) {
    // `Worker() : on_done_(report) {}`
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (const FieldDecl *Field = Init->getMember(); Field && Init->getInit())
        initialize(Field, Init->getInit());
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *Assign) {
    // A store into the place itself (`ops.run = f`, `table[i] = f`), not through it
    // (`*args->sum = 3`).
    const auto *Through = dyn_cast<UnaryOperator>(Assign->getLHS()->IgnoreParens());
    if (Assign->getOpcode() == BO_Assign && holdsPointers(Assign->getLHS()->getType()) &&
        !(Through && Through->getOpcode() == UO_Deref))
      if (const ValueDecl *Place = PointerTargets::placeOf(Assign->getLHS());
          Place && holdsPointers(Place->getType()))
        Table.assign(Place, Assign->getRHS());
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *AddrOf) {
    if (AddrOf->getOpcode() == UO_AddrOf && Enclosing)
      if (const VarDecl *V = threadLocalOf(AddrOf->getSubExpr()))
        Table.HandedOut.insert({Enclosing, V});
    // `&p` of a data pointer: it may be written through the address (`*pp = &h`).
    if (AddrOf->getOpcode() != UO_AddrOf ||
        !AddrOf->getSubExpr()->getType()->isPointerType() ||
        AddrOf->getSubExpr()->getType()->isFunctionPointerType())
      return true;
    if (const ValueDecl *Place = PointerTargets::placeOf(AddrOf->getSubExpr())) {
      PointerTargets::Contents &Into = Table.Places[Place];
      Into.Opaque = true;
      ++Into.Assignments;
    }
    return true;
  }
  bool VisitCallExpr(CallExpr *Call) {
    // `apply(square, x)`: `apply`'s parameter holds `square`.
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee)
      return true;
    const unsigned First = isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Callee);
    for (unsigned I = First; I < Call->getNumArgs() && I - First < Callee->getNumParams();
         ++I) {
      const ParmVarDecl *Param = Callee->getParamDecl(I - First);
      if (holdsFunctions(Param->getType()))
        Table.store(Param, Call->getArg(I));
    }
    return true;
  }

private:
  // An initializer of \p Place: a struct's initializer list gives each field its
  // element (designated initializers are in the semantic form already), an array's
  // gives its one place every element.
  void initialize(const ValueDecl *Place, const Expr *Init) {
    const auto *List = dyn_cast<InitListExpr>(Init->IgnoreParenImpCasts());
    if (!List) {
      if (holdsPointers(Place->getType()))
        Table.store(Place, Init);
      return;
    }
    if (const InitListExpr *Semantic = List->getSemanticForm())
      List = Semantic;
    QualType T = List->getType();
    if (const RecordDecl *Record = T->getAsRecordDecl()) {
      if (Record->isUnion()) {
        if (const FieldDecl *Field = List->getInitializedFieldInUnion();
            Field && List->getNumInits() > 0)
          initialize(Field, List->getInit(0));
        return;
      }
      unsigned Index = 0;
      for (const FieldDecl *Field : Record->fields())
        if (Index < List->getNumInits())
          initialize(Field, List->getInit(Index++));
      return;
    }
    for (const Expr *Element : List->inits())
      initialize(Place, Element);
  }

  // The thread_local `&tls`, `&tls.f`, `&tls[i]` is the address of, if any.
  static const VarDecl *threadLocalOf(const Expr *E) {
    while (true) {
      E = E->IgnoreParenImpCasts();
      const auto *Member = dyn_cast<MemberExpr>(E);
      const auto *Subscript = dyn_cast<ArraySubscriptExpr>(E);
      if (Member && !Member->isArrow())
        E = Member->getBase();
      else if (Subscript &&
               Subscript->getBase()->IgnoreParenImpCasts()->getType()->isArrayType())
        E = Subscript->getBase();
      else
        break;
    }
    const auto *Ref = dyn_cast<DeclRefExpr>(E);
    const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    return V && V->getTLSKind() != VarDecl::TLS_None ? V : nullptr;
  }

  PointerTargets &Table;
};

const ValueDecl *PointerTargets::placeOf(const Expr *E) {
  while (E) {
    E = E->IgnoreParenCasts();
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<VarDecl>(Ref->getDecl());
    if (const auto *Member = dyn_cast<MemberExpr>(E))
      return isa<FieldDecl, VarDecl>(Member->getMemberDecl()) ? Member->getMemberDecl()
                                                              : nullptr;
    if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(E))
      E = Subscript->getBase(); // any element: the array
    else if (const auto *Deref = dyn_cast<UnaryOperator>(E);
             Deref && Deref->getOpcode() == UO_Deref)
      E = Deref->getSubExpr(); // `(*f)(x)`
    else
      return nullptr;
  }
  return nullptr;
}

void PointerTargets::store(const ValueDecl *Place, const Expr *Value) {
  const Expr *E = Value->IgnoreParenCasts();
  if (E->isNullPointerConstant(Place->getASTContext(), Expr::NPC_ValueDependentIsNotNull))
    return;
  if (const auto *Choice = dyn_cast<ConditionalOperator>(E)) {
    store(Place, Choice->getTrueExpr());
    store(Place, Choice->getFalseExpr());
    return;
  }
  if (const auto *AddrOf = dyn_cast<UnaryOperator>(E); AddrOf && AddrOf->getOpcode() == UO_AddrOf)
    E = AddrOf->getSubExpr()->IgnoreParenCasts();
  // `g1 = g2 = &g`: what the inner assignment stores.
  if (const auto *Chained = dyn_cast<BinaryOperator>(E);
      Chained && Chained->getOpcode() == BO_Assign) {
    store(Place, Chained->getRHS());
    return;
  }
  Contents &Into = Places[Place];
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *Function = dyn_cast<FunctionDecl>(Ref->getDecl())) {
      if (!llvm::is_contained(Into.Functions, Function))
        Into.Functions.push_back(Function);
      return;
    }
  // `args->sum = &sum;`, an array decaying to its first element.
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  const auto *Object = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (Object && (E != Value->IgnoreParenCasts() || Object->getType()->isArrayType())) {
    if (!llvm::is_contained(Into.Objects, Object))
      Into.Objects.push_back(Object);
    return;
  }
  // `current = fallback;`: whatever the other place holds.
  if (const ValueDecl *From = placeOf(E); From && From != Place) {
    if (!llvm::is_contained(Into.CopiedFrom, From))
      Into.CopiedFrom.push_back(From);
    return;
  }
  Into.Opaque = true;
}

llvm::SmallVector<const VarDecl *, 2>
PointerTargets::objectsOf(const ValueDecl *Place) const {
  llvm::SmallVector<const VarDecl *, 2> Objects;
  llvm::SmallVector<const ValueDecl *, 4> Work{Place};
  llvm::SmallPtrSet<const ValueDecl *, 4> Seen{Place};
  while (!Work.empty()) {
    // A data pointer parameter holds what callers pass, which is not collected.
    const ValueDecl *Next = Work.pop_back_val();
    auto It = Places.find(Next);
    if (It == Places.end() || isa<ParmVarDecl>(Next))
      return {};
    const Contents &C = It->second;
    if (C.Opaque || !C.Functions.empty())
      return {};
    for (const VarDecl *Object : C.Objects)
      if (!llvm::is_contained(Objects, Object))
        Objects.push_back(Object);
    for (const ValueDecl *From : C.CopiedFrom)
      if (Seen.insert(From).second)
        Work.push_back(From);
  }
  return Objects;
}

const VarDecl *PointerTargets::onlyObjectOf(const ValueDecl *Place) const {
  llvm::SmallVector<const VarDecl *, 2> Objects = objectsOf(Place);
  return Objects.size() == 1 ? Objects.front() : nullptr;
}

bool PointerTargets::reassigned(const ValueDecl *Place) const {
  auto It = Places.find(Place);
  return It != Places.end() && It->second.Assignments > 0;
}

const Expr *PointerTargets::soleAssignment(const ValueDecl *Place) const {
  auto It = Places.find(Place);
  return It != Places.end() && It->second.Assignments == 1 ? It->second.Assigned : nullptr;
}

void PointerTargets::build(ASTContext &Ctx) {
  if (Built)
    return;
  Built = true;
  FunctionPointerStores(*this, Ctx.getSourceManager()).TraverseAST(Ctx);
}

llvm::SmallVector<const FunctionDecl *, 2>
PointerTargets::targetsOf(const Expr *Callee, ASTContext &Ctx) {
  llvm::SmallVector<const FunctionDecl *, 2> Targets;
  const ValueDecl *Place = placeOf(Callee);
  if (!Place || !holdsFunctions(Place->getType()))
    return Targets;
  if (!Built)
    build(Ctx);
  // Everything stored into the place or into a place copied into it.
  llvm::SmallVector<const ValueDecl *, 4> Work{Place};
  llvm::SmallPtrSet<const ValueDecl *, 4> Seen{Place};
  while (!Work.empty()) {
    auto It = Places.find(Work.pop_back_val());
    if (It == Places.end())
      continue;
    for (const FunctionDecl *Function : It->second.Functions)
      if (!llvm::is_contained(Targets, Function))
        Targets.push_back(Function);
    if (Targets.size() > MaxTargets)
      return {};
    for (const ValueDecl *From : It->second.CopiedFrom)
      if (Seen.insert(From).second)
        Work.push_back(From);
  }
  return Targets;
}

void PointerTargets::clear() {
  Built = false;
  Places.clear();
  HandedOut.clear();
}

} // namespace clang::tidy::untangle
