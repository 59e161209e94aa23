//===--- AccessCollector.cpp - the accesses one context makes -------------===//

#include "race/AccessCollector.h"
#include "race/CalleeBodies.h"
#include "race/DataRaceCheck.h"
#include "race/KnownTypes.h"
#include "race/LibraryEffects.h"
#include "race/Publication.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/Analyses/ExprMutationAnalyzer.h"

namespace clang::tidy::untangle {

namespace {

// The stronger of two states: what the caller held plus what the callee took; the
// caller's threads still running unless the callee has joined them.
FlowState combine(const FlowState &Inherited, FlowState Local,
                  const ConcurrencyModel &Model) {
  FlowState Result = std::move(Local);
  for (const HeldLock &L : Inherited.Locks)
    if (!llvm::is_contained(Result.Locks, L))
      Result.Locks.push_back(L);
  for (unsigned Id : Inherited.Active)
    if (!llvm::is_contained(Result.Active, Id) &&
        !llvm::is_contained(Result.Joined, Model.spawns()[Id].Handle))
      Result.Active.push_back(Id);
  llvm::sort(Result.Active);
  // What the caller started and joined before the call holds in the callee too.
  for (unsigned Id : Inherited.Started)
    if (!llvm::is_contained(Result.Started, Id))
      Result.Started.push_back(Id);
  for (const Decl *Handle : Inherited.Joined)
    if (!llvm::is_contained(Result.Joined, Handle))
      Result.Joined.push_back(Handle);
  if (Result.HopSpawn < 0)
    Result.HopSpawn = Inherited.HopSpawn;
  return Result;
}

} // namespace

/// Walks one context: a function body, the sync lambdas it contains and the callees it
/// calls (bounded depth), recording every access to a shared location together with
/// the locks held and the spawns active at that point.
class AccessCollector : public RecursiveASTVisitor<AccessCollector> {
  using Base = RecursiveASTVisitor<AccessCollector>;

public:
  AccessCollector(DataRaceCheck &Check, const FunctionDecl &Function, Environment Env,
                  FlowState Inherited, llvm::SmallVector<const CallExpr *, 2> Via,
                  unsigned Depth, Access::OwnerKind Owner, unsigned OwnerIndex,
                  std::vector<Access> &Out)
      : Check(Check), Ctx(*Check.Ctx), Function(Function), Env(std::move(Env)),
        Inherited(std::move(Inherited)), Via(std::move(Via)), Depth(Depth),
        Owner(Owner), OwnerIndex(OwnerIndex), Out(Out),
        Flow(Check.Model.flowOf(Function, Ctx)),
        Mutations(*Function.getBody(), Ctx),
        Bodies(Check.Pointers, Check.Model.Resolver, Ctx, Function, this->Env, Depth,
               Check.MaxCallDepth) {
    this->Env.Current = &Function;
  }

  void run() {
    if (Flow.valid())
      TraverseStmt(Function.getBody());
  }

  bool shouldVisitLambdaBody() const { return false; }

  bool TraverseStmt(Stmt *S) {
    if (!S)
      return true;
    if (const auto *E = dyn_cast<Expr>(S)) {
      if (E->isInstantiationDependent())
        return true;
      if (const auto *Call = dyn_cast<CallExpr>(E))
        return traverseCall(*Call);
      // `delete p` writes the whole object, as `free(p)` does.
      if (const auto *Delete = dyn_cast<CXXDeleteExpr>(E))
        recordThroughPointer(*Delete, Delete->getArgument(), 'f',
                             Delete->getDestroyedType());
      // `std::atomic_ref<int>(x)` makes x's accesses atomic.
      if (isa<CXXConstructExpr>(E) && isSynchronizedType(E->getType()))
        return true;
    }
    Stack.push_back(S);
    if (const auto *E = dyn_cast<Expr>(S))
      recordAccess(*E);
    bool Continue = Base::TraverseStmt(S);
    Stack.pop_back();
    return Continue;
  }

  // Unevaluated operands read nothing; but the size of a variable-length array type is
  // computed when the `sizeof` runs: `sizeof(int[2][n])` reads n.
  bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *E) {
    if (!E->isArgumentType())
      return true;
    for (QualType T = E->getArgumentType(); const ArrayType *Array = Ctx.getAsArrayType(T);
         T = Array->getElementType())
      if (const auto *Variable = dyn_cast<VariableArrayType>(Array))
        TraverseStmt(Variable->getSizeExpr());
    return true;
  }
  bool TraverseCXXNoexceptExpr(CXXNoexceptExpr *) { return true; }
  bool TraverseDecltypeTypeLoc(DecltypeTypeLoc, bool = true) { return true; }
  // Local classes' member functions are not run here.
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
  // A function-local static's initializer runs once, in the first thread to get there,
  // and every other thread passing the declaration waits for it ([stmt.dcl]): what it
  // does (`static P p = {rand(), rand()};`, a factory it calls) happens before what
  // they do after the declaration, and never runs twice at once (race/Locksets.h).
  bool TraverseVarDecl(VarDecl *V) {
    if (!guardsInitialization(*V, Ctx))
      return Base::TraverseVarDecl(V);
    HeldLock Guard{MemoryLocation(V, nullptr), false, nullptr};
    Guard.StaticInit = HeldLock::InInitializer;
    Inherited.Locks.push_back(Guard);
    const bool Continue = Base::TraverseVarDecl(V);
    Inherited.Locks.pop_back();
    return Continue;
  }

  bool TraverseLambdaExpr(LambdaExpr *Lambda) {
    // A copy capture reads the variable where the lambda is created.
    for (const auto &[Capture, Init] :
         llvm::zip(Lambda->captures(), Lambda->capture_inits()))
      if (Init && !Capture.capturesThis() && Capture.getCaptureKind() != LCK_ByRef)
        TraverseStmt(Init);
    // Bodies that run on another thread or on an executor are contexts of their own;
    // any other lambda is taken to run here (algorithms, immediately invoked lambdas).
    if (Check.Model.isContextLambda(Lambda))
      return true;
    const CXXMethodDecl *Operator = Lambda->getCallOperator();
    if (!Operator->getBody() || Operator->isDependentContext())
      return true;
    Environment Inner = Env;
    Inner.PrivateFrames.push_back(Operator);
    walkNested(*Operator, std::move(Inner), stateAt(Lambda), nullptr);
    return true;
  }

private:
  FlowState stateAt(const Stmt *S) const {
    const FlowState *Local = Flow.stateBefore(S);
    if (!Local)
      return FlowState();
    // A lock taken through a pointer parameter (`munge(m) { lock(m); .. }`) is, in this
    // run, the one the caller passed: `munge(&a)` and `munge(&b)` hold two locks.
    FlowState Bound = *Local;
    for (HeldLock &L : Bound.Locks)
      if (const auto *Param = dyn_cast_or_null<ParmVarDecl>(L.Mutex.Root);
          Param && !L.Mutex.Field && Param->getType()->isPointerType())
        if (auto It = Env.Params.find(Param); It != Env.Params.end() && It->second.isShared()) {
          L.Mutex = It->second.Location;
          if (L.Mutex.Element == MemoryLocation::SomeElement) { // as resolveOperand does
            L.Mutex.Element = MemoryLocation::WholeObject;
            L.Mutex.Index = nullptr;
          }
        }
    return combine(Inherited, std::move(Bound), Check.Model);
  }

  // A callee's frame in this context: nothing bound yet, its own frame private.
  Environment frameOf(const FunctionDecl &Callee) const {
    Environment Frame;
    Frame.Entry = Env.Entry;
    Frame.PrivateFrames = Env.PrivateFrames;
    Frame.PrivateFrames.push_back(&Callee);
    return Frame;
  }

  void walkNested(const FunctionDecl &Callee, Environment CalleeEnv, FlowState State,
                  const CallExpr *Call) {
    if (!State.Reached)
      return;
    llvm::SmallVector<const CallExpr *, 2> CalleeVia = Via;
    if (Call)
      CalleeVia.push_back(Call);
    AccessCollector(Check, Callee, std::move(CalleeEnv), std::move(State),
                    std::move(CalleeVia), Depth + 1, Owner, OwnerIndex, Out)
        .run();
  }

  bool locksItsObject(const CXXMethodDecl &Method) const {
    const ConcurrencyModel::LockHelperEffect &Effect = Check.Model.lockHelperEffect(Method);
    auto IsThis = [](const Expr *E) { return isa<CXXThisExpr>(E->IgnoreParenImpCasts()); };
    return llvm::any_of(Effect.Acquires, IsThis) || llvm::any_of(Effect.Releases, IsThis);
  }

  // The routine a once-call runs (a function or a lambda), holding the flag's guard.
  void walkOnce(const CallExpr &Call, const Expr &Routine, const MemoryLocation &Flag) {
    HeldLock Guard{Flag, false, nullptr};
    Guard.StaticInit = HeldLock::InInitializer;
    const Expr *Callable = Routine.IgnoreParenImpCasts();
    if (const auto *AddrOf = dyn_cast<UnaryOperator>(Callable);
        AddrOf && AddrOf->getOpcode() == UO_AddrOf)
      Callable = AddrOf->getSubExpr()->IgnoreParenImpCasts();
    if (isa<LambdaExpr>(Callable) || isa<MaterializeTemporaryExpr>(Callable)) {
      Inherited.Locks.push_back(Guard); // the lambda runs here
      TraverseStmt(const_cast<Expr *>(&Routine));
      Inherited.Locks.pop_back();
      return;
    }
    const auto *Ref = dyn_cast<DeclRefExpr>(Callable);
    const auto *Init = Ref ? dyn_cast<FunctionDecl>(Ref->getDecl()) : nullptr;
    const FunctionDecl *Definition = Init ? Bodies.definitionOf(*Init) : nullptr;
    if (!Definition)
      return;
    FlowState State = stateAt(&Call);
    State.Locks.push_back(Guard);
    walkNested(*Definition, frameOf(*Definition), std::move(State), &Call);
  }

  bool traverseCall(const CallExpr &Call) {
    // A spawn's body is a context of its own; its arguments are handed over. A call
    // that starts a thread outliving its callee is followed like any other call.
    if (std::optional<unsigned> Spawn = Check.Model.spawnAt(&Call);
        Spawn && Check.Model.spawns()[*Spawn].LiftedFrom < 0)
      return true;
    // `pthread_once(&flag, init)`: init runs once, in the first caller to get there,
    // and every other caller waits for it: ordered like a function-local static's
    // initializer, the flag standing for the static (race/Locksets.h).
    const Expr *Routine = nullptr;
    if (const Expr *Flag = onceFlag(Call, Routine)) {
      if (Resolution Once = resolveOperand(Check.Model.Resolver, Flag); Once.isShared())
        walkOnce(Call, *Routine, Once.Location);
      return true;
    }
    // Atomic builtins access their operands atomically.
    if (isAtomicCall(Call))
      return true;
    // A C library call (a lock operation too: it reads the mutex's own state).
    if (const FunctionDecl *Direct = Call.getDirectCallee())
      if (const LibraryCall *Row = libraryCall(*Direct))
        recordLibraryCall(Call, *Row);
    const Expr *Mutex = nullptr;
    if (Check.Model.lockEffect(Call, Mutex) != ConcurrencyModel::LockEffect::None)
      return true;

    const llvm::SmallVector<const FunctionDecl *, 2> Callees = Bodies.ofCall(Call);
    if (Callees.empty())
      for (const FunctionDecl *Callback : Bodies.handedOut(Call))
        walkNested(*Callback, frameOf(*Callback), stateAt(&Call), &Call);
    // A member that locks or unlocks its own object (`mu.Lock()` of a hand-made,
    // annotated mutex), not followed: a lock operation, not a write of the object.
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call);
        Callees.empty() && Member && Member->getMethodDecl() &&
        locksItsObject(*Member->getMethodDecl())) {
      for (const Expr *Arg : Call.arguments())
        TraverseStmt(const_cast<Expr *>(Arg));
      return true;
    }
    if (Callees.empty()) {
      Stack.push_back(&Call);
      bool Continue = Base::TraverseStmt(const_cast<CallExpr *>(&Call));
      Stack.pop_back();
      return Continue;
    }

    // Follow the callees: their parameters name what the arguments name here, and
    // their accesses hold the locks held at the call. (Targets of one function
    // pointer share its parameter types.)
    const FunctionDecl &First = *Callees.front();
    std::optional<Resolution> This;
    Stack.push_back(&Call);
    unsigned FirstArg = 0;
    const Expr *Object = nullptr;
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
      Object = Member->getImplicitObjectArgument();
    else if (isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(First) &&
             Call.getNumArgs() > 0) {
      Object = Call.getArg(0);
      FirstArg = 1;
    }
    if (Object) {
      This = Object->getType()->isPointerType()
                           ? Check.Model.Resolver.pointee(Object, Env)
                           : Check.Model.Resolver.lvalue(Object, Env);
      // The object itself is accessed by the callee, member by member.
      if (Object->getType()->isPointerType())
        TraverseStmt(const_cast<Expr *>(Object));
    } else {
      TraverseStmt(const_cast<Expr *>(Call.getCallee())); // reads a function pointer
    }
    llvm::SmallVector<std::pair<unsigned, Resolution>, 4> Bound; // by parameter index
    for (unsigned I = FirstArg; I < Call.getNumArgs(); ++I) {
      const Expr *Arg = Call.getArg(I);
      const unsigned ParamIndex = I - FirstArg;
      const ParmVarDecl *Param =
          ParamIndex < First.getNumParams() ? First.getParamDecl(ParamIndex) : nullptr;
      if (Param && Param->getType()->isReferenceType()) {
        Bound.push_back({ParamIndex, Check.Model.Resolver.lvalue(Arg, Env)});
        if (Arg->isPRValue())
          TraverseStmt(const_cast<Expr *>(Arg));
        continue; // bound, not read: the callee's uses are the accesses
      }
      if (Param && Param->getType()->isPointerType())
        Bound.push_back({ParamIndex, Check.Model.Resolver.pointee(Arg, Env)});
      TraverseStmt(const_cast<Expr *>(Arg));
    }
    Stack.pop_back();
    for (const FunctionDecl *Callee : Callees) {
      Environment Bindings = frameOf(*Callee);
      Bindings.This = This;
      for (const auto &[Index, R] : Bound)
        if (Index < Callee->getNumParams())
          Bindings.Params[Callee->getParamDecl(Index)] = R;
      walkNested(*Callee, std::move(Bindings), stateAt(&Call), &Call);
    }
    return true;
  }

  const Stmt *parentOf(const Expr &E) const {
    // Stack.back() is E itself.
    for (unsigned I = Stack.size() - 1; I-- > 0;)
      if (!isa<ParenExpr>(Stack[I]))
        return Stack[I];
    return nullptr;
  }

  void recordAccess(const Expr &E) {
    if (!isa<DeclRefExpr, MemberExpr, ArraySubscriptExpr>(E) &&
        !(isa<UnaryOperator>(E) && cast<UnaryOperator>(E).getOpcode() == UO_Deref))
      return;
    if (!E.isGLValue() || E.getType()->isArrayType() || E.getType()->isFunctionType())
      return;
    const Stmt *Parent = parentOf(E);
    // `s.f` is the access, not `s`; `&x` and `T &r = x` access nothing yet.
    // (`v` in `v.push_back(1)` is the access: the call reads or writes all of v.)
    if (const auto *Member = dyn_cast_or_null<MemberExpr>(Parent);
        Member && !Member->isArrow() && !isa<CXXMethodDecl>(Member->getMemberDecl()))
      return;
    if (const auto *Unary = dyn_cast_or_null<UnaryOperator>(Parent);
        Unary && Unary->getOpcode() == UO_AddrOf)
      return;
    if (const auto *Decls = dyn_cast_or_null<DeclStmt>(Parent))
      for (const Decl *D : Decls->decls())
        if (const auto *V = dyn_cast<VarDecl>(D);
            V && V->getType()->isReferenceType() && V->getInit() &&
            V->getInit()->IgnoreParens() == &E)
          return;
    Resolution R = Check.Model.Resolver.lvalue(&E, Env);
    if (!R.isShared())
      return;
    const CXXMethodDecl *CalledMethod = nullptr;
    const Stmt *User = Parent;
    for (unsigned I = Stack.size() - 1; I-- > 0;) {
      const auto *Cast = dyn_cast<ImplicitCastExpr>(Stack[I]);
      if (!isa<ParenExpr>(Stack[I]) && (!Cast || Cast->getCastKind() == CK_LValueToRValue)) {
        User = Stack[I];
        break;
      }
    }
    // A lock guard takes its mutex by `T&` to lock it: that is the lockset's business,
    // not an access (a user-defined lock type is not a synchronized type).
    bool SharedGuard = false;
    if (const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(User);
        Construct && isLockGuardType(Construct->getType(), SharedGuard))
      return;
    if (const auto *Member = dyn_cast_or_null<MemberExpr>(Parent))
      CalledMethod = dyn_cast<CXXMethodDecl>(Member->getMemberDecl());
    else if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(User);
             Op && Op->getNumArgs() > 0 &&
             Op->getArg(0)->IgnoreParenImpCasts() == E.IgnoreParens())
      CalledMethod = dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee());
    // Objects of a concurrency library synchronize their own operations.
    if (CalledMethod && isThreadSafeLibraryDecl(CalledMethod->getParent()))
      return;
    // The standard containers say themselves which members write: those that may
    // insert or erase, not `[]` of a vector or `find` ([container.requirements.dataraces]).
    // Any other const member function (`unique_ptr::operator->`) reads the object.
    const std::optional<bool> MemberWrites =
        CalledMethod ? containerMemberWrites(*CalledMethod) : std::nullopt;
    if (const auto *Member = dyn_cast<MemberExpr>(&E);
        Member && Member->isArrow() && !R.Location.Root &&
        allocatedHereBefore(Member->getBase(), E))
      return;
    bool Write = false;
    if (MemberWrites.has_value())
      Write = *MemberWrites;
    else if (!CalledMethod || !CalledMethod->isConst())
      Write = writes(E);
    addAccess(E, R, Write, E.getType());
  }

  // An object this function allocated, reached before any thread this function starts
  // could have been handed it (`t = malloc(..); t->id = n; pthread_create(.., t)`): no
  // other thread can reach it yet.
  bool allocatedHereBefore(const Expr *Pointer, const Expr &At) {
    Pointer = Pointer->IgnoreParenImpCasts();
    if (!Allocations) {
      Allocations.emplace();
      collectAllocations();
    }
    const auto *Ref = dyn_cast<DeclRefExpr>(Pointer);
    llvm::FoldingSetNodeID Key;
    Pointer->Profile(Key, Ctx, /*Canonical=*/true);
    const SourceManager &SM = Ctx.getSourceManager();
    for (const Allocation &A : *Allocations) {
      if (!(A.Var ? Ref && Ref->getDecl() == A.Var : A.Key == Key) ||
          !SM.isBeforeInTranslationUnit(A.Loc, At.getBeginLoc()))
        continue;
      // Stored where others may find it (`list = p`), it is no longer this run's alone,
      // whether or not a thread was started since (race/Publication.h).
      if (Ref && Check.Unpublished &&
          Check.Unpublished->at(*Ref) == UnpublishedObjects::State::Published)
        return false;
      // Handed over only if that thread may run here: not on the path where its
      // creation failed (`if (pthread_create(..) != 0) free(t);`).
      const FlowState *Here = Flow.stateBefore(&At);
      const bool Handed = llvm::any_of(
          llvm::enumerate(Check.Model.spawns()), [&](const auto &Spawn) {
            const SpawnSite &S = Spawn.value();
            return S.Spawner == &Function &&
                   SM.isBeforeInTranslationUnit(A.Loc, S.Site->getBeginLoc()) &&
                   SM.isBeforeInTranslationUnit(S.Site->getBeginLoc(), At.getBeginLoc()) &&
                   (!Here || llvm::is_contained(Here->Active, Spawn.index()));
          });
      if (!Handed)
        return true;
    }
    return false;
  }

  void collectAllocations() {
    struct Finder : RecursiveASTVisitor<Finder> {
      std::vector<Allocation> &Out;
      ASTContext &Ctx;
      Finder(std::vector<Allocation> &Out, ASTContext &Ctx) : Out(Out), Ctx(Ctx) {}
      bool VisitBinaryOperator(BinaryOperator *Assign) {
        if (Assign->getOpcode() != BO_Assign || !allocates(Assign->getRHS()))
          return true;
        Allocation A;
        const Expr *LHS = Assign->getLHS()->IgnoreParenImpCasts();
        if (const auto *Ref = dyn_cast<DeclRefExpr>(LHS))
          A.Var = Ref->getDecl();
        LHS->Profile(A.Key, Ctx, /*Canonical=*/true);
        A.Loc = Assign->getBeginLoc();
        Out.push_back(std::move(A));
        return true;
      }
      bool VisitVarDecl(VarDecl *V) {
        if (V->getInit() && allocates(V->getInit()))
          Out.push_back({V, {}, V->getBeginLoc()});
        return true;
      }
    } Find(*Allocations, Ctx);
    Find.TraverseStmt(Function.getBody());
  }

  // A use writes when the mutation analyzer finds a store, a non-const call or a
  // non-const reference written through; a cast to a reference is followed to what
  // is done with its result (`static_cast<D &>(*this).get()` only reads).
  bool writes(const Expr &E, unsigned Depth = 0) {
    const Stmt *By = Mutations.findMutation(&E);
    if (const auto *Cast = dyn_cast_or_null<ExplicitCastExpr>(By);
        Cast && Cast->getTypeAsWritten()->isReferenceType() && Depth < 4 &&
        Cast->getSubExpr()->IgnoreParenImpCasts() == E.IgnoreParenImpCasts())
      return writes(*Cast, Depth + 1);
    return By != nullptr;
  }

  // A C library call: what it does through its pointer arguments and to its hidden
  // state (race/LibraryCalls.h).
  void recordLibraryCall(const CallExpr &Call, const LibraryCall &Row) {
    if (!Row.State.empty())
      addAccess(Call, Resolution::shared(MemoryLocation::hidden(Row.State), false),
                Row.StateWrite, QualType());
    for (unsigned I = 0; I < Call.getNumArgs(); ++I) {
      const Expr *Arg = Call.getArg(I);
      QualType Pointee = pointeeType(Arg);
      if (!Pointee.isNull())
        recordThroughPointer(Call, Arg, libraryArgumentEffect(Row, I, Pointee), Pointee);
    }
  }

  // The type an argument points to before it is converted to `void *` (an array
  // decays to its element).
  static QualType pointeeType(const Expr *Arg) {
    QualType T = Arg->IgnoreParenImpCasts()->getType();
    if (const ArrayType *Array = T->getAsArrayTypeUnsafe())
      return Array->getElementType();
    return T->isPointerType() ? T->getPointeeType() : QualType();
  }

  // An access through \p Pointer: 'r' reads, 'w' writes, 'f' frees what it points to;
  // 'i' initializes or destroys, 's' uses the synchronization object it points to.
  void recordThroughPointer(const Expr &At, const Expr *Pointer, char Effect,
                            QualType Pointee) {
    if (Effect == '-')
      return;
    Resolution R = Check.Model.Resolver.pointee(Pointer, Env);
    const bool OnSyncObject = Effect == 'i' || Effect == 's';
    if (R.isShared()) {
      // `memcpy(buf + 5, src, n)` reaches as far as n says: the whole object, here.
      if ((Pointee->isVoidType() || Pointee->isCharType()) && R.Location.Element >= 0)
        R.Location.Element = MemoryLocation::WholeObject;
      addAccess(At, R, Effect != 'r' && Effect != 's', Pointee, OnSyncObject);
      return;
    }
    if (OnSyncObject)
      return;
    // Freeing an object the analysis cannot name writes each field of its class in
    // any object, as `p->f` through such a pointer stands for `f` of any object.
    // Accesses are paired with each other: a class too large is skipped (an option).
    // A run handed the object by a call (`j = queue_pop(q)`) owns it: its free ends
    // the hand-over (item 9 of issue 16); a fresh allocation is still checked.
    const bool Own = Check.Model.Resolver.ownPointer(Pointer, Env);
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Pointer->IgnoreParenImpCasts());
        Own && !allocates(cast<VarDecl>(Ref->getDecl())->getInit()))
      return;
    const RecordDecl *Record = Pointee->getAsRecordDecl();
    if (Effect != 'f' || R.TheKind != Resolution::Kind::Unknown || !Record ||
        allocatedHereBefore(Pointer, At) ||
        std::distance(Record->field_begin(), Record->field_end()) >
            static_cast<std::ptrdiff_t>(Check.MaxFreedFields))
      return;
    for (const FieldDecl *Field : Record->fields()) {
      MemoryLocation Freed(nullptr, Field);
      Freed.Heap = true; // not a field of a named variable (`task.function`)
      addAccess(At, Resolution::shared(Freed, Own), true, Field->getType());
    }
  }

  // Records an access unless its location cannot race: a library's own or a
  // synchronizing object, or one declared const. (A const view of a mutable object,
  // `this->n` in a const member function, still reads memory others may write.) A
  // synchronizing object's own init and destroy race with its uses (\p OnSyncObject).
  void addAccess(const Expr &E, const Resolution &R, bool Write, QualType Type,
                 bool OnSyncObject = false) {
    const ValueDecl *D = R.Location.declaration();
    const ValueDecl *Root = R.Location.Root;
    if (R.Location.HiddenState.empty() &&
        (!D || isInSystemHeader(D, Ctx.getSourceManager()) ||
         isThreadSafeLibraryDecl(D) ||
         (!OnSyncObject && (isSynchronizedType(D->getType()) || isSynchronizedType(Type))) ||
         D->getType().isConstQualified() ||
         (Root && Root->getType().isConstQualified())))
      return;
    const FlowState State = stateAt(&E);
    if (!State.Reached)
      return;
    // Destroying a mutex the run took before (`lock; --refs; unlock; if (!refs)
    // destroy`) comes after the uses it waited for there.
    if (OnSyncObject && Write && llvm::any_of(State.Locks, [&](const HeldLock &L) {
          return (L.Acquired || !L.creationEdge()) && L.Mutex.mayAlias(R.Location);
        }))
      return;
    Access A;
    A.Location = R.Location;
    A.FrameLocal = R.FrameLocal;
    A.Write = Write;
    A.E = &E;
    A.Locks = State.Locks;
    A.Active = State.Active;
    Check.Model.addNestedRunning(State, A.Nested);
    A.Via = Via;
    A.Owner = Owner;
    A.OwnerIndex = OwnerIndex;
    // Code after `co_await pool.schedule()` runs as a job of the pool.
    if (State.HopSpawn >= 0 && Owner == Access::OwnerKind::Spawner) {
      A.Owner = Access::OwnerKind::Spawn;
      A.OwnerIndex = State.HopSpawn;
    }
    Out.push_back(std::move(A));
  }

  DataRaceCheck &Check;
  ASTContext &Ctx;
  const FunctionDecl &Function;
  Environment Env;
  FlowState Inherited; ///< Grows while a static's initializer is walked.
  const llvm::SmallVector<const CallExpr *, 2> Via;
  const unsigned Depth;
  const Access::OwnerKind Owner;
  const unsigned OwnerIndex;
  std::vector<Access> &Out;
  const FunctionFlow &Flow;
  ExprMutationAnalyzer Mutations;
  const CalleeBodies Bodies;
  llvm::SmallVector<const Stmt *, 16> Stack;
  struct Allocation {
    const ValueDecl *Var = nullptr; ///< `p = malloc(..)`; else Key names the lvalue.
    llvm::FoldingSetNodeID Key;
    SourceLocation Loc;
  };
  std::optional<std::vector<Allocation>> Allocations; ///< Computed when first needed.
};

void collectContextAccesses(DataRaceCheck &Check, const FunctionDecl &Entry,
                            Environment Env, Access::OwnerKind Owner,
                            unsigned OwnerIndex, std::vector<Access> &Out) {
  FlowState Start;
  Start.Reached = true;
  AccessCollector(Check, Entry, std::move(Env), Start, {}, 0, Owner, OwnerIndex, Out).run();
}

} // namespace clang::tidy::untangle
