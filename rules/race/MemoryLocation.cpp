//===--- MemoryLocation.cpp - which bytes an lvalue names -----------------===//

#include "race/MemoryLocation.h"
#include "race/KnownTypes.h"
#include "race/PointerTargets.h"
#include "race/Publication.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"

namespace clang::tidy::untangle {

namespace {

// Is \p Inner a field of the record \p T, or of a record nested in it by value (`T t;
// t.s.data` for a field `data` of `struct S s` in `T`)? Arrays of records count.
bool recordContains(QualType T, const FieldDecl *Inner, unsigned Depth = 0) {
  const RecordDecl *Record = T->getBaseElementTypeUnsafe()->getAsRecordDecl();
  if (!Record || Depth > 4)
    return false;
  Record = Record->getDefinition();
  if (!Record)
    return false;
  if (Inner->getParent()->getCanonicalDecl() == Record->getCanonicalDecl())
    return true;
  return llvm::any_of(Record->fields(), [&](const FieldDecl *F) {
    return recordContains(F->getType(), Inner, Depth + 1);
  });
}

// The element \p Index places past where \p Array points, seen as \p Viewed: `a[i]`,
// `p + i` (`p - i` when \p Backwards).
Resolution elementOf(Resolution Array, const Expr *Index, QualType Viewed, bool Backwards) {
  const auto *Constant =
      Backwards ? nullptr : dyn_cast<IntegerLiteral>(Index->IgnoreParenImpCasts());
  MemoryLocation &L = Array.Location;
  if (!Array.isShared() || !L.Root || L.Field)
    return Constant ? Array : Resolution::unknown();
  // An object is numbered in the type it was declared with: an array's elements, or
  // the pointee type of the pointer that names an allocation (`d[2]`, `d[3]` of `d =
  // calloc(..)`). A view of other-sized elements (`(char *)&g[0] + 1`) numbers other
  // ones and may straddle two.
  QualType Elements;
  if (L.Pointee)
    Elements = L.Root->getType()->getPointeeType();
  else if (const ArrayType *Type = L.Root->getType()->getAsArrayTypeUnsafe())
    Elements = Type->getElementType();
  const bool SameView =
      !Elements.isNull() && Elements.getCanonicalType().getUnqualifiedType() ==
                                Viewed.getCanonicalType().getUnqualifiedType();
  const bool Small = Constant && Constant->getValue().ult(1u << 30);
  const int64_t Number = Small ? static_cast<int64_t>(Constant->getValue().getZExtValue()) : 0;
  if (L.Element != MemoryLocation::WholeObject) {
    // Already past an element (`&a[2] + 1`).
    L.Index = nullptr;
    if (!SameView)
      L.Element = MemoryLocation::WholeObject;
    else if (Small && L.Element >= 0)
      L.Element += Number;
    else
      L.Element = MemoryLocation::SomeElement;
    return Array;
  }
  if (!Constant) {
    // Threads usually own distinct elements (`results[i]`): a non-constant index is
    // some element, which races with a numbered one or the whole array, and with
    // another only when both read one shared index (`buf[count]`).
    if (Elements.isNull())
      return Resolution::unknown();
    L.Element = MemoryLocation::SomeElement;
    const auto *Ref = dyn_cast<DeclRefExpr>(Index->IgnoreParenImpCasts());
    if (const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
        V && V->hasGlobalStorage() && V->getTLSKind() == VarDecl::TLS_None)
      L.Index = V;
    return Array;
  }
  // A numbered element keeps its number: `a[0]` and `a[1]` are apart. Through a
  // pointer (`p[1]`) the base is not known to be the array's start, unless it is the
  // allocation the pointer names.
  if (SameView && Small && (L.Pointee || L.Root->getType()->isConstantArrayType()))
    L.Element = Number;
  return Array;
}

} // namespace

bool MemoryLocation::mayAlias(const MemoryLocation &O) const {
  if (!HiddenState.empty() || !O.HiddenState.empty())
    return HiddenState == O.HiddenState;
  if ((Heap && O.Root) || (O.Heap && Root) || Pointee != O.Pointee)
    return false;
  if (Root && Root == O.Root && Element != WholeObject && O.Element != WholeObject) {
    const bool Some = Element == SomeElement, OtherSome = O.Element == SomeElement;
    if (Some && OtherSome && !(Index && Index == O.Index))
      return false;
    if (!Some && !OtherSome && Element != O.Element)
      return false;
  }
  const bool SameObject = !Root || !O.Root || Root == O.Root;
  // A whole struct (`t.s = s2`, `s = s1`) holds the fields nested in it (`t.s.data`,
  // `p->data` of an object the analysis cannot name), which are named by their last
  // field only.
  auto Holds = [&](const MemoryLocation &Whole, const MemoryLocation &Part) {
    return Part.Field && Whole.declaration() && SameObject &&
           recordContains(Whole.declaration()->getType(), Part.Field);
  };
  if (Holds(*this, O) || Holds(O, *this))
    return true;
  if (Field && O.Field)
    return Field == O.Field && SameObject;
  if (!Field && !O.Field)
    return Root == O.Root;
  // A whole variable and one of its fields.
  return Root && Root == O.Root;
}

std::string MemoryLocation::name() const {
  if (!HiddenState.empty())
    return HiddenState.str();
  std::string Variable = Root ? Root->getNameAsString() : std::string("<unknown>");
  // `*x` for the object a pointer names; an element of it is `x[2]`, as C spells it.
  if (Pointee && Element == WholeObject)
    Variable.insert(0, "*");
  if (Root && Element == SomeElement)
    Variable += "[" + (Index ? Index->getNameAsString() : std::string("...")) + "]";
  else if (Root && Element != WholeObject)
    Variable += "[" + std::to_string(Element) + "]";
  if (!Field)
    return Variable;
  if (Root)
    return Variable + "." + Field->getNameAsString();
  if (const auto *RD = dyn_cast<RecordDecl>(Field->getDeclContext());
      RD && RD->getIdentifier())
    return RD->getNameAsString() + "::" + Field->getNameAsString();
  return Field->getNameAsString();
}

const Decl *designatedDecl(const Expr *E) {
  while (E) {
    E = stripImplicit(E);
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
      return Ref->getDecl();
    if (const auto *Member = dyn_cast<MemberExpr>(E))
      return Member->getMemberDecl();
    if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(E))
      E = Subscript->getBase();
    else if (const auto *Unary = dyn_cast<UnaryOperator>(E))
      E = Unary->getSubExpr();
    else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
             Op && Op->getOperator() == OO_Subscript)
      E = Op->getArg(0);
    else if (const auto *Call = dyn_cast<CallExpr>(E);
             Call && Call->getNumArgs() == 1 && Call->getDirectCallee() &&
             Call->getDirectCallee()->isInStdNamespace() &&
             Call->getDirectCallee()->getIdentifier() &&
             isNamed(Call->getDirectCallee()->getName(), {"move", "forward"}))
      E = Call->getArg(0);
    else if (const auto *MemberCall = dyn_cast<CXXMemberCallExpr>(E);
             MemberCall && MemberCall->getNumArgs() == 0)
      E = MemberCall->getImplicitObjectArgument(); // pool.get_executor()
    else if (const auto *Binary = dyn_cast<BinaryOperator>(E);
             Binary && Binary->isAdditiveOp())
      E = Binary->getLHS(); // tids + i
    else
      return nullptr;
  }
  return nullptr;
}

const VarDecl *pathRoot(const Expr *E) {
  while (E) {
    E = stripImplicit(E);
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<VarDecl>(Ref->getDecl());
    if (const auto *Member = dyn_cast<MemberExpr>(E))
      E = Member->getBase();
    else if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(E))
      E = Subscript->getBase();
    else if (const auto *Unary = dyn_cast<UnaryOperator>(E);
             Unary && (Unary->getOpcode() == UO_Deref || Unary->getOpcode() == UO_AddrOf))
      E = Unary->getSubExpr();
    else
      return nullptr;
  }
  return nullptr;
}

Resolution LocationResolver::variable(const VarDecl *V, const Environment &Env,
                                      unsigned Depth) const {
  // A thread_local is each thread's own, unless the function reading it hands its
  // address out (`pthread_create(.., &tls)`): then its thread's instance is shared
  // with whoever gets it, and each run has its own, as with a local of the entry.
  // Before the table is built only spawn arguments are resolved: a thread_local
  // named there is handed to the thread.
  if (V->getTLSKind() != VarDecl::TLS_None)
    return !Pointers || Pointers->handsOut(Env.Current, V)
               ? Resolution::shared({V, nullptr}, /*FrameLocal=*/true)
               : Resolution::confined();
  if (const auto *Param = dyn_cast<ParmVarDecl>(V)) {
    auto Bound = Env.Params.find(Param);
    if (Bound != Env.Params.end() && V->getType()->isReferenceType())
      return Bound->second;
  }
  if (V->getType()->isReferenceType()) {
    if (V->getInit() && !isa<ParmVarDecl>(V))
      return lvalue(V->getInit(), Env, Depth + 1);
    return Resolution::unknown();
  }
  if (V->hasGlobalStorage())
    return Resolution::shared({V, nullptr}, false);
  const auto *Owner = dyn_cast_or_null<FunctionDecl>(V->getParentFunctionOrMethod());
  // A variable of an enclosing function, seen from a lambda: a copy if any lambda on
  // the way captured it by copy.
  for (const DeclContext *DC = Env.Current; DC && DC != Owner; DC = DC->getParent()) {
    const auto *Method = dyn_cast<CXXMethodDecl>(DC);
    if (!Method || !Method->getParent()->isLambda())
      continue;
    for (const LambdaCapture &Capture : Method->getParent()->captures())
      if (Capture.capturesVariable() && Capture.getCapturedVar() == V) {
        if (Capture.getCaptureKind() == LCK_ByCopy)
          return Resolution::confined();
        break;
      }
  }
  if (Owner && llvm::is_contained(Env.PrivateFrames, Owner))
    return Resolution::confined();
  return Resolution::shared({V, nullptr}, Owner && Owner == Env.Entry);
}

bool LocationResolver::ownPointer(const Expr *Pointer, const Environment &Env) const {
  const auto *Ref = dyn_cast<DeclRefExpr>(Pointer->IgnoreParenImpCasts());
  const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!V || isa<ParmVarDecl>(V) || !V->hasLocalStorage() || !V->getInit() ||
      dyn_cast_or_null<FunctionDecl>(V->getParentFunctionOrMethod()) != Env.Entry)
    return false;
  return isa<CallExpr>(V->getInit()->IgnoreParenCasts());
}

Resolution LocationResolver::lvalue(const Expr *E, const Environment &Env,
                                    unsigned Depth) const {
  if (!E || Depth > 8)
    return Resolution::unknown();
  E = E->IgnoreParens();
  if (const auto *Cast = dyn_cast<ImplicitCastExpr>(E);
      Cast && Cast->getCastKind() == CK_NoOp)
    E = Cast->getSubExpr()->IgnoreParens();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
    if (!V)
      return Resolution::unknown();
    return variable(V, Env, Depth);
  }
  if (const auto *Member = dyn_cast<MemberExpr>(E)) {
    if (const auto *StaticMember = dyn_cast<VarDecl>(Member->getMemberDecl()))
      return variable(StaticMember, Env, Depth);
    const auto *Field = dyn_cast<FieldDecl>(Member->getMemberDecl());
    if (!Field)
      return Resolution::unknown();
    Resolution Base = Member->isArrow() ? pointee(Member->getBase(), Env, Depth + 1)
                                        : lvalue(Member->getBase(), Env, Depth + 1);
    if (Base.TheKind == Resolution::Kind::Confined)
      return Base;
    if (Base.TheKind == Resolution::Kind::Unknown) {
      // `p->count`, `this->count` with an unknown object: that field of any object.
      if (!Member->isArrow())
        return Resolution::unknown();
      return Resolution::shared({nullptr, Field}, ownPointer(Member->getBase(), Env));
    }
    MemoryLocation Location(Base.Location.Root, Field);
    Location.Element = Base.Location.Element;
    return Resolution::shared(Location, Base.FrameLocal);
  }
  if (const auto *Unary = dyn_cast<UnaryOperator>(E);
      Unary && Unary->getOpcode() == UO_Deref)
    return pointee(Unary->getSubExpr(), Env, Depth + 1);
  if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(E))
    return elementOf(pointee(Subscript->getBase(), Env, Depth + 1), Subscript->getIdx(),
                     Subscript->getType(), /*Backwards=*/false);
  return Resolution::unknown();
}

namespace {

// A pointer to a scalar (`int *`, `char *`): what it points to has no fields the
// analysis would name apart, and no class whose objects it stands for.
bool namesScalar(const VarDecl &Pointer) {
  QualType T = Pointer.getType()->getPointeeType();
  return !T.isNull() && (T->isScalarType() || T->isArrayType()) && !T->isPointerType();
}

} // namespace

Resolution LocationResolver::pointee(const Expr *E, const Environment &Env,
                                     unsigned Depth) const {
  if (!E || Depth > 8)
    return Resolution::unknown();
  E = E->IgnoreParenCasts();
  if (const auto *Unary = dyn_cast<UnaryOperator>(E);
      Unary && Unary->getOpcode() == UO_AddrOf)
    return lvalue(Unary->getSubExpr(), Env, Depth + 1);
  if (isa<CXXThisExpr>(E))
    return Env.This ? *Env.This : Resolution::unknown();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
    if (!V)
      return Resolution::unknown();
    if (V->getType()->isArrayType()) // decayed array
      return variable(V, Env, Depth);
    if (const auto *Param = dyn_cast<ParmVarDecl>(V)) {
      auto Bound = Env.Params.find(Param);
      return Bound != Env.Params.end() ? Bound->second : Resolution::unknown();
    }
    // `p = malloc(..); init(p); p->n = 0;` before `list = p`: nobody else has it yet.
    // (Only while a body is walked: a lock's name is not a point of a run.)
    if (Unpublished && Env.Current && Unpublished->at(*Ref) == UnpublishedObjects::State::Unpublished)
      return Resolution::confined();
    if (!V->getType()->isPointerType())
      return Resolution::unknown();
    // A pointer that only ever holds one variable's address (`g1 = g2 = &g`).
    if (Pointers)
      if (const VarDecl *Object = Pointers->onlyObjectOf(V))
        return variable(Object, Env, Depth);
    const Expr *Init = V->getInit();
    if (Init && Init->isNullPointerConstant(V->getASTContext(),
                                            Expr::NPC_ValueDependentIsNotNull))
      Init = nullptr;
    // A scalar allocated for the pointer (`int *q = malloc(..)`) or held by a global
    // pointer (`*x`): the object is named by its pointer, as a variable of the same
    // frame would be (race/MemoryLocation.h, MemoryLocation::Pointee).
    if ((Init ? allocates(Init) : V->hasGlobalStorage()) && namesScalar(*V))
      if (Resolution Object = variable(V, Env, Depth); Object.isShared()) {
        Object.Location.Pointee = true;
        return Object;
      }
    // A pointer initialized once (`int *p = &x;`, `struct S *s = arg;`): what it was
    // initialized with, unless something else is stored into it later (`if (i) m =
    // &other;`); the table does not know each point's value.
    if (Init && !(Pointers && Pointers->reassigned(V)))
      return pointee(Init, Env, Depth + 1);
    // A local declared without a value and assigned once (`int *z; .. z = y;`): what
    // it was assigned (a use before that reads no object).
    if (!Init && !V->hasGlobalStorage() && Pointers)
      if (const Expr *Value = Pointers->soleAssignment(V))
        return pointee(Value, Env, Depth + 1);
    return Resolution::unknown();
  }
  // `p + i`, `i + p`, `p - i`: where `p[i]` (`p[-i]`) is.
  if (const auto *Sum = dyn_cast<BinaryOperator>(E);
      Sum && Sum->isAdditiveOp() && Sum->getType()->isPointerType()) {
    const Expr *Base = Sum->getLHS(), *Offset = Sum->getRHS();
    if (!Base->getType()->isPointerType())
      std::swap(Base, Offset);
    return elementOf(pointee(Base, Env, Depth + 1), Offset,
                     Sum->getType()->getPointeeType(), Sum->getOpcode() == BO_Sub);
  }
  if (const auto *Member = dyn_cast<MemberExpr>(E);
      Member && Member->getType()->isArrayType())
    return lvalue(Member, Env, Depth + 1);
  // `thread->args` of a record the spawner filled in: what it stored there.
  if (const auto *Member = dyn_cast<MemberExpr>(E); Member && Member->isArrow())
    if (const auto *Field = dyn_cast<FieldDecl>(Member->getMemberDecl()))
      if (const FilledRecord *Record =
              pointee(Member->getBase(), Env, Depth + 1).Record)
        if (auto It = Record->Pointees.find(Field); It != Record->Pointees.end())
          return It->second;
  // `*args->sum`: a pointer field that only ever holds one variable's address.
  if (const auto *Member = dyn_cast<MemberExpr>(E); Member && Pointers)
    if (const auto *Field = dyn_cast<FieldDecl>(Member->getMemberDecl()))
      if (const VarDecl *Object = Pointers->onlyObjectOf(Field))
        return variable(Object, Env, Depth);
  return Resolution::unknown();
}

bool allocates(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (isa<CXXNewExpr>(E))
    return true;
  const auto *Call = dyn_cast<CallExpr>(E);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  return Callee && Callee->getIdentifier() &&
         isNamed(Callee->getName(), {"malloc", "calloc", "realloc"});
}

namespace {

// Does \p E (a for loop's increment) step \p V: `i++`, `--i`, `i += 2`, `i = i + 1`?
bool steps(const Expr *E, const VarDecl *V) {
  E = E ? E->IgnoreParenImpCasts() : nullptr;
  auto Names = [&](const Expr *X) {
    const auto *Ref = dyn_cast<DeclRefExpr>(X->IgnoreParenImpCasts());
    return Ref && Ref->getDecl() == V;
  };
  if (const auto *Unary = dyn_cast_or_null<UnaryOperator>(E))
    return Unary->isIncrementDecrementOp() && Names(Unary->getSubExpr());
  if (const auto *Binary = dyn_cast_or_null<BinaryOperator>(E)) {
    if (Binary->getOpcode() == BO_Comma)
      return steps(Binary->getLHS(), V) || steps(Binary->getRHS(), V);
    return Binary->isAssignmentOp() && Names(Binary->getLHS());
  }
  return false;
}

} // namespace

Resolution LocationResolver::elementPerIteration(const Expr *Pointer, const Expr &Site,
                                                 ASTContext &Ctx,
                                                 const Environment &Env) const {
  // `w = malloc(..); w->start = fn; w->args = arg; pthread_create(.., w)`: the
  // thread's own record, whose fields hold what the spawner stored.
  if (Unpublished && Pointer)
    if (const FilledRecord *Record = Unpublished->filledRecord(*Pointer, Env, *this)) {
      Resolution Own = Resolution::shared({}, true);
      Own.Record = Record;
      return Own;
    }
  const Expr *Base = nullptr, *Index = nullptr;
  const Expr *E = Pointer ? Pointer->IgnoreParenCasts() : nullptr;
  if (const auto *AddrOf = dyn_cast_or_null<UnaryOperator>(E);
      AddrOf && AddrOf->getOpcode() == UO_AddrOf)
    if (const auto *Subscript =
            dyn_cast<ArraySubscriptExpr>(AddrOf->getSubExpr()->IgnoreParens())) {
      Base = Subscript->getBase();
      Index = Subscript->getIdx();
    }
  if (const auto *Sum = dyn_cast_or_null<BinaryOperator>(E);
      Sum && Sum->getOpcode() == BO_Add && Sum->getLHS()->getType()->isPointerType()) {
    Base = Sum->getLHS();
    Index = Sum->getRHS();
  }
  const auto *IndexRef = Index ? dyn_cast<DeclRefExpr>(Index->IgnoreParenImpCasts()) : nullptr;
  const auto *Counter = IndexRef ? dyn_cast<VarDecl>(IndexRef->getDecl()) : nullptr;
  // `struct args *a = malloc(..); ...; spawn(.., a)`: a fresh object if `a` is
  // declared in the loop body (each iteration allocates anew).
  const auto *PointerRef = dyn_cast_or_null<DeclRefExpr>(E);
  const auto *Fresh = PointerRef ? dyn_cast<VarDecl>(PointerRef->getDecl()) : nullptr;
  if (Fresh && (isa<ParmVarDecl>(Fresh) || !Fresh->hasLocalStorage() || !Fresh->getInit() ||
                !allocates(Fresh->getInit())))
    Fresh = nullptr;
  if ((!Counter || !Counter->hasLocalStorage()) && !Fresh)
    return Resolution::unknown();
  // The nearest loop around the spawn must step the index: an outer loop's index is
  // the same element for every thread the inner loop starts.
  DynTypedNode Node = DynTypedNode::create(Site);
  for (unsigned Steps = 0; Steps < 32; ++Steps) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty() || Parents[0].get<Decl>())
      return Resolution::unknown();
    Node = Parents[0];
    const auto *Loop = Node.get<Stmt>();
    if (!Loop || !isLoopStmt(Loop))
      continue;
    if (Fresh) {
      // Declared inside the loop's body, so each iteration's allocation is new.
      const Stmt *Body = Loop;
      if (const auto *For = dyn_cast<ForStmt>(Loop))
        Body = For->getBody();
      else if (const auto *While = dyn_cast<WhileStmt>(Loop))
        Body = While->getBody();
      else if (const auto *Do = dyn_cast<DoStmt>(Loop))
        Body = Do->getBody();
      if (!Body || !Body->getSourceRange().fullyContains(Fresh->getSourceRange()))
        return Resolution::unknown();
      Resolution Own = Resolution::shared({}, false);
      Own.FrameLocal = true;
      return Own;
    }
    const auto *For = dyn_cast<ForStmt>(Loop);
    if (!For || !steps(For->getInc(), Counter))
      return Resolution::unknown();
    Resolution Array = pointee(Base, Env);
    if (Array.TheKind == Resolution::Kind::Confined)
      return Array;
    if (!Array.isShared())
      Array = Resolution::shared({}, false); // an unnamed object (`calloc`'d jobs)
    Array.FrameLocal = true;
    return Array;
  }
  return Resolution::unknown();
}

// A pointer-typed argument names what it points to; anything else names itself.
Resolution resolveOperand(const LocationResolver &R, const Expr *E) {
  // A lock call without an operand stands for itself (`enter_critical()`,
  // ConcurrencyModel::lockEffect): the program's one critical section. (A call that
  // returns a lock, `lock(get_lock())`, has a pointer or a mutex type.)
  if (const auto *Call = dyn_cast<CallExpr>(E); Call && Call->getNumArgs() == 0 &&
      (Call->getType()->isVoidType() || Call->getType()->isIntegerType()))
    return Resolution::shared(MemoryLocation::criticalSection(), false);
  Environment NoBindings;
  Resolution Result = E->getType()->isPointerType() ? R.pointee(E, NoBindings)
                                                    : R.lvalue(E, NoBindings);
  // One lock of an array picked at run time (`lock(&mutex[i])`) is named by the array:
  // `mutex[i]` and `mutex[j]` are taken to be one lock, as `mutex[i]` twice is.
  if (Result.isShared() && Result.Location.Element == MemoryLocation::SomeElement) {
    Result.Location.Element = MemoryLocation::WholeObject;
    Result.Location.Index = nullptr;
  }
  if (Result.isShared())
    return Result;
  // An unbound pointer parameter (a lock wrapper's `m`) still names a lock, if only
  // within its own function; so does a local pointer it initializes and nothing
  // assigns again (`pthread_mutex_t *m = (pthread_mutex_t *)arg;`): the parameter's
  // lock, which each run binds to what its caller or spawner passed.
  if (const Decl *D = designatedDecl(E)) {
    if (const auto *Local = dyn_cast<VarDecl>(D);
        Local && !isa<ParmVarDecl>(Local) && !Local->hasGlobalStorage() &&
        Local->getType()->isPointerType() && Local->getInit() &&
        !(R.Pointers && R.Pointers->reassigned(Local)))
      if (const auto *Param = dyn_cast_or_null<ParmVarDecl>(
              designatedDecl(Local->getInit()->IgnoreParenCasts())))
        D = Param;
    if (const auto *VD = dyn_cast<ValueDecl>(D))
      return Resolution::shared({VD, nullptr}, false);
  }
  return Result;
}

} // namespace clang::tidy::untangle
