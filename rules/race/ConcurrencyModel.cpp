//===--- ConcurrencyModel.cpp - what runs in parallel, under which locks --===//

#include "race/ConcurrencyModel.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"
#include <deque>

namespace clang::tidy::untangle {

namespace {

constexpr llvm::StringLiteral ThreadTypes[] = {"std::thread", "std::jthread"};
constexpr llvm::StringLiteral MutexTypes[] = {
    "std::mutex",        "std::recursive_mutex",       "std::timed_mutex",
    "std::shared_mutex", "std::recursive_timed_mutex", "std::shared_timed_mutex"};
// Objects whose every operation synchronizes (or that only hold synchronization state).
constexpr llvm::StringLiteral SynchronizedTypes[] = {
    "std::atomic", "std::atomic_ref", "std::atomic_flag", "std::condition_variable",
    "std::condition_variable_any", "std::once_flag", "std::latch", "std::barrier",
    "std::counting_semaphore", "std::binary_semaphore", "std::future",
    "std::shared_future", "std::promise", "std::thread", "std::jthread",
    "std::stop_source", "std::stop_token", "std::lock_guard", "std::unique_lock",
    "std::scoped_lock", "std::shared_lock",
    // The executors themselves: posting to them is thread-safe by contract.
    "untangle::ThreadPool", "untangle::EventLoop", "untangle::WaitGroup",
    "asio::thread_pool", "asio::io_context", "boost::asio::thread_pool",
    "boost::asio::io_context"};
constexpr llvm::StringLiteral CPthreadTypes[] = {
    "pthread_mutex_t", "pthread_rwlock_t", "pthread_spinlock_t", "pthread_cond_t",
    "pthread_t", "pthread_once_t", "pthread_barrier_t", "sem_t"};
constexpr llvm::StringLiteral ThreadPoolTypes[] = {
    "untangle::ThreadPool", "asio::thread_pool", "boost::asio::thread_pool"};
constexpr llvm::StringLiteral SingleThreadedExecutorTypes[] = {
    "untangle::EventLoop", "asio::io_context", "boost::asio::io_context",
    "asio::io_service", "boost::asio::io_service"};

std::string recordName(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  if (const auto *RD = T->getAsRecordDecl())
    return AsyncCallModel::qualifiedName(*RD);
  return {};
}

// The class of the object a member function is called on (`m.f()` and `p->f()`).
QualType objectType(const CXXMemberCallExpr &Call) {
  QualType T = Call.getImplicitObjectArgument()->IgnoreParenBaseCasts()->getType();
  return T->isPointerType() ? T->getPointeeType() : T;
}

template <size_t N> bool isOneOf(llvm::StringRef Name, const llvm::StringLiteral (&List)[N]) {
  return llvm::is_contained(List, Name);
}

// A pointer-typed argument names what it points to; anything else names itself.
Resolution resolveOperand(const LocationResolver &R, const Expr *E) {
  Environment NoBindings;
  Resolution Result = E->getType()->isPointerType() ? R.pointee(E, NoBindings)
                                                    : R.lvalue(E, NoBindings);
  if (Result.isShared())
    return Result;
  // An unbound pointer parameter (a lock wrapper's `m`) still names a lock, if only
  // within its own function.
  if (const Decl *D = designatedDecl(E))
    if (const auto *VD = dyn_cast<ValueDecl>(D))
      return Resolution::shared({VD, nullptr}, false);
  return Result;
}

bool isNamed(llvm::StringRef Name, std::initializer_list<llvm::StringRef> Names) {
  return llvm::is_contained(Names, Name);
}

const Expr *stripImplicit(const Expr *E) {
  while (true) {
    E = E->IgnoreParenImpCasts();
    if (const auto *C = dyn_cast<ExprWithCleanups>(E))
      E = C->getSubExpr();
    else if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else
      return E;
  }
}

// `std::ref(x)` / `std::cref(x)` pass x itself.
const Expr *unwrapRef(const Expr *E) {
  E = stripImplicit(E);
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E);
      Construct && Construct->getNumArgs() == 1)
    E = stripImplicit(Construct->getArg(0));
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *F = Call->getDirectCallee())
      if (Call->getNumArgs() == 1) {
        std::string Name = AsyncCallModel::qualifiedName(*F);
        if (Name == "std::ref" || Name == "std::cref")
          return Call->getArg(0);
      }
  return nullptr;
}

// Binds the body's parameters to the arguments the spawn call passes on.
void bindArguments(SpawnSite &S, const Callable &Body, llvm::ArrayRef<const Expr *> Args,
                   const LocationResolver &R) {
  S.Body = Body.Function;
  S.BodyLambda = Body.Lambda;
  S.BodyEnv.Entry = Body.Function;
  S.BodyEnv.Current = Body.Function;
  if (!Body.Function || Body.TheKind == Callable::Kind::Bind)
    return;
  Environment Spawner;
  unsigned ArgIndex = 0;
  if (Body.TheKind == Callable::Kind::BoundMemberFunction && !Args.empty()) {
    const Expr *Object = Args[ArgIndex++];
    if (const Expr *Referenced = unwrapRef(Object))
      S.BodyEnv.This = R.lvalue(Referenced, Spawner);
    else if (Object->getType()->isPointerType())
      S.BodyEnv.This = R.pointee(Object, Spawner);
    else
      S.BodyEnv.This = Resolution::confined(); // the thread's own copy
  }
  unsigned ParamIndex = 0;
  // A jthread passes its stop_token first when the body takes one.
  if (Body.Function->getNumParams() > 0 &&
      recordName(Body.Function->getParamDecl(0)->getType()) == "std::stop_token" &&
      Args.size() - ArgIndex < Body.Function->getNumParams())
    ParamIndex = 1;
  for (; ArgIndex < Args.size() && ParamIndex < Body.Function->getNumParams();
       ++ArgIndex, ++ParamIndex) {
    const ParmVarDecl *Param = Body.Function->getParamDecl(ParamIndex);
    const Expr *Arg = Args[ArgIndex];
    if (Param->getType()->isReferenceType()) {
      // Without std::ref the thread binds the reference to its own decayed copy.
      if (const Expr *Referenced = unwrapRef(Arg))
        S.BodyEnv.Params[Param] = R.lvalue(Referenced, Spawner);
      else
        S.BodyEnv.Params[Param] = Resolution::confined();
    } else if (Param->getType()->isPointerType()) {
      S.BodyEnv.Params[Param] = R.pointee(Arg, Spawner);
    }
  }
}

bool isJoinedAtOnce(const Expr &Site, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(Site);
  for (unsigned Steps = 0; Steps < 6; ++Steps) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return false;
    Node = Parents[0];
    if (const auto *Call = Node.get<CXXMemberCallExpr>()) {
      const CXXMethodDecl *M = Call->getMethodDecl();
      return M && M->getIdentifier() && M->getName() == "join";
    }
    if (!Node.get<Expr>())
      return false;
  }
  return false;
}

bool isLoopStmt(const Stmt *S) {
  return isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S);
}

// Does the body of a spawn mention \p D (a WaitGroup it signals)?
bool mentions(const Stmt *Body, const Decl *D) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const Decl *Target;
    bool Found = false;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      Found |= E->getDecl() == Target;
      return !Found;
    }
    bool VisitMemberExpr(MemberExpr *E) {
      Found |= E->getMemberDecl() == Target;
      return !Found;
    }
  } F;
  F.Target = D;
  F.TraverseStmt(const_cast<Stmt *>(Body));
  return F.Found;
}

} // namespace

//===--- Memory locations --------------------------------------------------===//

bool MemoryLocation::mayAlias(const MemoryLocation &O) const {
  if (Field && O.Field)
    return Field == O.Field && (!Root || !O.Root || Root == O.Root);
  if (!Field && !O.Field)
    return Root == O.Root;
  // A whole variable and one of its fields.
  return Root && Root == O.Root;
}

std::string MemoryLocation::name() const {
  if (!Field)
    return Root ? Root->getNameAsString() : std::string("<unknown>");
  if (Root)
    return Root->getNameAsString() + "." + Field->getNameAsString();
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

Resolution LocationResolver::variable(const VarDecl *V, const Environment &Env,
                                      unsigned Depth) const {
  if (V->getTLSKind() != VarDecl::TLS_None)
    return Resolution::confined();
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
      return Resolution::shared({nullptr, Field}, false);
    }
    return Resolution::shared({Base.Location.Root, Field}, Base.FrameLocal);
  }
  if (const auto *Unary = dyn_cast<UnaryOperator>(E);
      Unary && Unary->getOpcode() == UO_Deref)
    return pointee(Unary->getSubExpr(), Env, Depth + 1);
  if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(E)) {
    // Threads usually own distinct elements (`results[i]`): only a constant index
    // names a location both sides can be seen to touch.
    if (!isa<IntegerLiteral>(Subscript->getIdx()->IgnoreParenImpCasts()))
      return Resolution::unknown();
    return pointee(Subscript->getBase(), Env, Depth + 1);
  }
  return Resolution::unknown();
}

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
    // A pointer initialized once (`int *p = &x;`, `struct S *s = arg;`): what it was
    // initialized with. Reassignments are not tracked (a documented limit).
    if (V->getInit() && V->getType()->isPointerType())
      return pointee(V->getInit(), Env, Depth + 1);
    return Resolution::unknown();
  }
  if (const auto *Member = dyn_cast<MemberExpr>(E);
      Member && Member->getType()->isArrayType())
    return lvalue(Member, Env, Depth + 1);
  return Resolution::unknown();
}

//===--- Flow states ---------------------------------------------------------===//

void FlowState::join(const FlowState &O) {
  if (!O.Reached)
    return;
  if (!Reached) {
    *this = O;
    return;
  }
  llvm::erase_if(Locks, [&](const HeldLock &L) { return !llvm::is_contained(O.Locks, L); });
  for (unsigned Id : O.Active)
    if (!llvm::is_contained(Active, Id))
      Active.push_back(Id);
  llvm::sort(Active);
  HopSpawn = std::max(HopSpawn, O.HopSpawn);
}

//===--- The model -----------------------------------------------------------===//

// Invalid patterns never match; the check reports them.
ConcurrencyModel::ConcurrencyModel(const ConcurrencyOptions &Options)
    : SpawnPatterns(Options.ParallelSpawnFunctions), JoinPatterns(Options.JoinFunctions),
      AcquirePatterns(Options.AcquireFunctions), ReleasePatterns(Options.ReleaseFunctions) {}

bool ConcurrencyModel::matches(const NameList &Patterns, const NamedDecl *D) const {
  return D && !Patterns.empty() && Patterns.matches(*D);
}

bool ConcurrencyModel::isLockGuardType(QualType T, bool &SharedGuard) {
  std::string Name = recordName(T);
  SharedGuard = Name == "std::shared_lock";
  return SharedGuard || Name == "std::lock_guard" || Name == "std::unique_lock" ||
         Name == "std::scoped_lock";
}

bool ConcurrencyModel::isSynchronizedType(QualType T) {
  T = T.getNonReferenceType();
  while (const auto *Array = T->getAsArrayTypeUnsafe())
    T = Array->getElementType();
  if (T->isAtomicType())
    return true;
  std::string Name = recordName(T);
  if (!Name.empty())
    return isOneOf(Name, SynchronizedTypes) || isOneOf(Name, MutexTypes) ||
           llvm::StringRef(Name).ends_with("WaitGroup");
  if (const auto *Typedef = T->getAs<TypedefType>())
    return isOneOf(Typedef->getDecl()->getName(), CPthreadTypes);
  return false;
}

bool ConcurrencyModel::isThreadSafeLibraryDecl(const Decl *D) {
  for (const DeclContext *DC = D ? D->getDeclContext() : nullptr; DC;
       DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC);
        NS && NS->getParent()->isTranslationUnit() && NS->getIdentifier())
      return isNamed(NS->getName(), {"untangle", "asio", "boost", "pplx", "web",
                                     "Concurrency", "concurrency"});
  return false;
}

bool ConcurrencyModel::isAtomicOrOnceCall(const CallExpr &Call) {
  const FunctionDecl *F = Call.getDirectCallee();
  if (!F || !F->getIdentifier())
    return false;
  llvm::StringRef Name = F->getName();
  if (F->getBuiltinID() != 0 &&
      (Name.starts_with("__atomic_") || Name.starts_with("__sync_") ||
       Name.starts_with("__c11_atomic_")))
    return true;
  std::string Qualified = AsyncCallModel::qualifiedName(*F);
  return Qualified == "std::call_once" || Qualified == "pthread_once" ||
         llvm::StringRef(Qualified).starts_with("std::atomic_") ||
         (Name.starts_with("atomic_") && F->isExternC());
}

const Decl *ConcurrencyModel::handleOf(const Expr &Site, ASTContext &Ctx) const {
  DynTypedNode Node = DynTypedNode::create(Site);
  for (unsigned Steps = 0; Steps < 8; ++Steps) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return nullptr;
    const DynTypedNode &Parent = Parents[0];
    if (const auto *V = Parent.get<VarDecl>())
      return V;
    if (const auto *Init = Parent.get<CXXCtorInitializer>())
      return Init->getMember();
    const auto *E = Parent.get<Expr>();
    if (!E)
      return nullptr;
    if (const auto *Assign = dyn_cast<BinaryOperator>(E);
        Assign && Assign->isAssignmentOp())
      return designatedDecl(Assign->getLHS());
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
        Op && Op->getOperator() == OO_Equal)
      return designatedDecl(Op->getArg(0));
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(E)) {
      // threads.push_back(std::thread(...)) / emplace_back(std::thread(...))
      if (const CXXMethodDecl *M = Member->getMethodDecl();
          M && M->getIdentifier() &&
          isNamed(M->getName(), {"push_back", "emplace_back", "emplace", "insert"}))
        return designatedDecl(Member->getImplicitObjectArgument());
      return nullptr;
    }
    if (!isa<ExprWithCleanups, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
             ImplicitCastExpr, CXXConstructExpr, CXXFunctionalCastExpr, ParenExpr>(E))
      return nullptr;
    Node = Parent;
  }
  return nullptr;
}

bool ConcurrencyModel::isPoolHop(const CXXMemberCallExpr &Call) const {
  const CXXMethodDecl *M = Call.getMethodDecl();
  return M && M->getIdentifier() && M->getName() == "schedule" &&
         isOneOf(recordName(objectType(Call)), ThreadPoolTypes);
}

std::optional<SpawnSite> ConcurrencyModel::classifySpawn(const Expr &E,
                                                         ASTContext &Ctx) const {
  SpawnSite S;
  S.Site = &E;
  llvm::SmallVector<const Expr *, 4> Args;
  const Expr *CallableArg = nullptr;
  auto TakeArgs = [&](auto Range, unsigned CallableIndex) {
    unsigned I = 0;
    for (const Expr *A : Range) {
      if (I == CallableIndex)
        CallableArg = A;
      else if (I > CallableIndex && !isa<CXXDefaultArgExpr>(A))
        Args.push_back(A);
      ++I;
    }
  };

  if (const auto *Construct = dyn_cast<CXXConstructExpr>(&E)) {
    const CXXConstructorDecl *Ctor = Construct->getConstructor();
    if (!isOneOf(recordName(Construct->getType()), ThreadTypes) ||
        Ctor->isCopyOrMoveConstructor() || Construct->getNumArgs() == 0)
      return std::nullopt;
    S.Kind = SpawnKind::Thread;
    TakeArgs(Construct->arguments(), 0);
    S.Handle = handleOf(E, Ctx);
    // `std::thread(f).join()`: the body runs while the statement waits for it.
    if (!S.Handle && isJoinedAtOnce(E, Ctx))
      return std::nullopt;
  } else if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&E)) {
    const CXXMethodDecl *M = Member->getMethodDecl();
    if (!M || !M->getIdentifier())
      return std::nullopt;
    const Expr *Object = Member->getImplicitObjectArgument();
    if (isPoolHop(*Member)) {
      S.Kind = SpawnKind::PoolHop;
      return S;
    }
    std::string ObjectType = recordName(objectType(*Member));
    if ((M->getName() == "post" || M->getName() == "submit") &&
        isOneOf(ObjectType, ThreadPoolTypes)) {
      S.Kind = SpawnKind::ThreadPool;
      S.Handle = designatedDecl(Object);
      TakeArgs(Member->arguments(), 0);
    } else if (isNamed(M->getName(), {"emplace_back", "emplace"})) {
      // std::vector<std::thread>::emplace_back(f, args...): the thread is constructed
      // inside the library; the container is the handle.
      const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
          Object->getType().getNonReferenceType()->getAsCXXRecordDecl());
      if (!Spec || Spec->getTemplateArgs().size() == 0 ||
          Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type ||
          !isOneOf(recordName(Spec->getTemplateArgs()[0].getAsType()), ThreadTypes) ||
          Member->getNumArgs() == 0 ||
          isOneOf(recordName(Member->getArg(0)->getType()), ThreadTypes))
        return std::nullopt;
      S.Kind = SpawnKind::Thread;
      S.Handle = designatedDecl(Object);
      TakeArgs(Member->arguments(), 0);
    } else if (matches(SpawnPatterns, M)) {
      S.Kind = SpawnKind::Custom;
      S.Handle = handleOf(E, Ctx);
      TakeArgs(Member->arguments(), 0);
    } else {
      return std::nullopt;
    }
  } else if (const auto *Call = dyn_cast<CallExpr>(&E)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !Callee->getIdentifier())
      return std::nullopt;
    std::string Name = AsyncCallModel::qualifiedName(*Callee);
    if (Name == "pthread_create" && Call->getNumArgs() == 4) {
      S.Kind = SpawnKind::PThread;
      S.Handle = designatedDecl(Call->getArg(0));
      CallableArg = Call->getArg(2);
      Args.push_back(Call->getArg(3));
    } else if (Name == "std::async") {
      unsigned CallableIndex = 0;
      if (Call->getNumArgs() > 1 && recordName(Call->getArg(0)->getType()).empty() &&
          Call->getArg(0)->getType()->isEnumeralType()) {
        // std::launch::deferred runs the body lazily in the thread that calls get().
        const auto *Policy =
            dyn_cast<DeclRefExpr>(Call->getArg(0)->IgnoreParenImpCasts());
        if (Policy && Policy->getDecl()->getName() == "deferred")
          return std::nullopt;
        CallableIndex = 1;
      }
      S.Kind = SpawnKind::Async;
      S.Handle = handleOf(E, Ctx);
      // A discarded future blocks in its destructor, at the end of the statement.
      if (!S.Handle)
        return std::nullopt;
      TakeArgs(Call->arguments(), CallableIndex);
    } else if ((Name == "asio::post" || Name == "boost::asio::post") &&
               Call->getNumArgs() >= 2 &&
               isOneOf(recordName(Call->getArg(0)->getType()), ThreadPoolTypes)) {
      S.Kind = SpawnKind::ThreadPool;
      S.Handle = designatedDecl(Call->getArg(0));
      TakeArgs(Call->arguments(), 1);
    } else if ((Name == "asio::post" || Name == "boost::asio::post") &&
               Call->getNumArgs() >= 2) {
      // post(pool.get_executor(), f): the executor type is nested in the pool's.
      const Decl *Executor = designatedDecl(Call->getArg(0));
      const auto *VD = dyn_cast_or_null<ValueDecl>(Executor);
      if (!VD || !isOneOf(recordName(VD->getType()), ThreadPoolTypes))
        return std::nullopt;
      S.Kind = SpawnKind::ThreadPool;
      S.Handle = Executor;
      TakeArgs(Call->arguments(), 1);
    } else if (matches(SpawnPatterns, Callee)) {
      S.Kind = SpawnKind::Custom;
      S.Handle = handleOf(E, Ctx);
      for (unsigned I = 0; I < Call->getNumArgs(); ++I)
        if (AsyncCallModel::classifyCallable(Call->getArg(I))) {
          TakeArgs(Call->arguments(), I);
          break;
        }
    } else {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }

  if (!CallableArg)
    return std::nullopt;
  std::optional<Callable> Body = AsyncCallModel::classifyCallable(CallableArg);
  if (!Body || !Body->Function)
    return std::nullopt;
  bindArguments(S, *Body, Args, Resolver);
  return S;
}

std::optional<LoopCallback>
ConcurrencyModel::classifyLoopPost(const CallExpr &Call, const Callable *Callback) const {
  if (!Callback || !Callback->Function)
    return std::nullopt;
  LoopCallback C;
  C.Site = &Call;
  C.Body = Callback->Function;
  C.BodyLambda = Callback->Lambda;
  // The executor is the object posted to (`loop.post(f)`) or the first argument
  // (`asio::post(io, f)`); an API without one (`read_file(path, cb)`) completes on the
  // program's one default loop.
  const Expr *Executor = nullptr;
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
    Executor = Member->getImplicitObjectArgument();
  else if (Call.getNumArgs() > 1 && Call.getArg(0) != Callback->Arg &&
           !recordName(Call.getArg(0)->getType()).empty())
    Executor = Call.getArg(0);
  if (Executor) {
    const Decl *D = designatedDecl(Executor);
    const auto *VD = dyn_cast_or_null<ValueDecl>(D);
    if (VD && isOneOf(recordName(VD->getType()), SingleThreadedExecutorTypes))
      C.Executor = D;
  }
  return C;
}

const Decl *ConcurrencyModel::joinedHandle(const CallExpr &Call) const {
  const FunctionDecl *Callee = AsyncCallModel::calleeOf(Call);
  if (!Callee || !Callee->getIdentifier())
    return nullptr;
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call)) {
    llvm::StringRef Method = Callee->getName();
    // `f.wait()` is declared in a base of std::future: name the object's own class.
    std::string Owner = recordName(objectType(*Member));
    const bool Joins =
        (isOneOf(Owner, ThreadTypes) && Method == "join") ||
        ((Owner == "std::future" || Owner == "std::shared_future") &&
         (Method == "get" || Method == "wait")) ||
        (isOneOf(Owner, ThreadPoolTypes) && (Method == "join" || Method == "wait"));
    if (Joins || matches(JoinPatterns, Callee))
      return designatedDecl(Member->getImplicitObjectArgument());
    return nullptr;
  }
  std::string Name = AsyncCallModel::qualifiedName(*Callee);
  if ((Name == "pthread_join" || matches(JoinPatterns, Callee)) && Call.getNumArgs() > 0)
    return designatedDecl(Call.getArg(0));
  return nullptr;
}

const Decl *ConcurrencyModel::waitedGroup(const CallExpr &Call) const {
  const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call);
  const CXXMethodDecl *M = Member ? Member->getMethodDecl() : nullptr;
  if (!M || !M->getIdentifier())
    return nullptr;
  std::string Owner = recordName(objectType(*Member));
  if ((llvm::StringRef(Owner).ends_with("WaitGroup") && M->getName() == "wait") ||
      (Owner == "std::latch" && M->getName() == "wait") ||
      (Owner == "std::latch" && M->getName() == "arrive_and_wait"))
    return designatedDecl(Member->getImplicitObjectArgument());
  return nullptr;
}

ConcurrencyModel::LockEffect ConcurrencyModel::lockEffect(const CallExpr &Call,
                                                          const Expr *&Mutex) const {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return LockEffect::None;
  llvm::StringRef Name = Callee->getName();
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call)) {
    Mutex = Member->getImplicitObjectArgument();
    if (isOneOf(recordName(objectType(*Member)), MutexTypes)) {
      if (Name == "lock")
        return LockEffect::Acquire;
      if (Name == "lock_shared")
        return LockEffect::AcquireShared;
      if (Name == "unlock" || Name == "unlock_shared")
        return LockEffect::Release;
      return LockEffect::None;
    }
  } else if (Call.getNumArgs() > 0) {
    Mutex = Call.getArg(0);
    if (Name == "pthread_mutex_lock" || Name == "pthread_rwlock_wrlock" ||
        Name == "pthread_spin_lock")
      return LockEffect::Acquire;
    if (Name == "pthread_rwlock_rdlock")
      return LockEffect::AcquireShared;
    if (Name == "pthread_mutex_unlock" || Name == "pthread_rwlock_unlock" ||
        Name == "pthread_spin_unlock")
      return LockEffect::Release;
  }
  const bool Acquires = matches(AcquirePatterns, Callee);
  if (!Acquires && !matches(ReleasePatterns, Callee))
    return LockEffect::None;
  if (Call.getNumArgs() > 0)
    Mutex = Call.getArg(0);
  else if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
    Mutex = Member->getImplicitObjectArgument();
  else
    return LockEffect::None;
  return Acquires ? LockEffect::Acquire : LockEffect::Release;
}

void ConcurrencyModel::addSpawn(SpawnSite S) {
  SpawnIds[S.Site] = Spawns.size();
  if (S.BodyLambda)
    ContextLambdas.insert(S.BodyLambda);
  Spawns.push_back(std::move(S));
}

void ConcurrencyModel::addLoopCallback(LoopCallback C) {
  if (C.BodyLambda)
    ContextLambdas.insert(C.BodyLambda);
  Callbacks.push_back(std::move(C));
}

std::optional<unsigned> ConcurrencyModel::spawnAt(const Stmt *S) const {
  auto It = SpawnIds.find(S);
  if (It == SpawnIds.end())
    return std::nullopt;
  return It->second;
}

const FunctionFlow &ConcurrencyModel::flowOf(const FunctionDecl &F, ASTContext &Ctx) {
  std::unique_ptr<FunctionFlow> &Flow = Flows[&F];
  if (!Flow)
    Flow = std::make_unique<FunctionFlow>(F, Ctx, *this);
  return *Flow;
}

void ConcurrencyModel::clear() {
  Spawns.clear();
  Callbacks.clear();
  SpawnIds.clear();
  ContextLambdas.clear();
  Flows.clear();
}

//===--- Flow analysis -------------------------------------------------------===//

FunctionFlow::FunctionFlow(const FunctionDecl &F, ASTContext &Ctx,
                           const ConcurrencyModel &Model)
    : Model(Model) {
  if (!F.getBody())
    return;
  CFG::BuildOptions Options;
  // Every subexpression gets an element, so that each access finds its state; implicit
  // destructors are where RAII guards unlock and jthreads join.
  Options.setAllAlwaysAdd();
  Options.AddImplicitDtors = true;
  Options.AddTemporaryDtors = false;
  Cfg = CFG::buildCFG(&F, F.getBody(), &Ctx, Options);
  if (!Cfg)
    return;
  Parents = std::make_unique<ParentMap>(F.getBody());
  buildLoopExitJoins();

  std::vector<FlowState> In(Cfg->getNumBlockIDs());
  In[Cfg->getEntry().getBlockID()].Reached = true;
  std::deque<const CFGBlock *> Work{&Cfg->getEntry()};
  llvm::DenseSet<const CFGBlock *> Queued{&Cfg->getEntry()};
  auto Propagate = [&](const CFGBlock &B, FlowState State, bool Record) {
    for (const CFGElement &E : B)
      transfer(E, State, Record);
    const Stmt *Terminator = B.getTerminatorStmt();
    auto Exits = Terminator ? LoopExitJoins.find(Terminator) : LoopExitJoins.end();
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B.succs()) {
      const unsigned ThisIndex = Index++;
      if (!Succ.getReachableBlock() || Record)
        continue;
      FlowState Out = State;
      if (Exits != LoopExitJoins.end() && ThisIndex == 1)
        llvm::erase_if(Out.Active, [&](unsigned Id) {
          return llvm::is_contained(Exits->second, Model.spawns()[Id].Handle);
        });
      FlowState &Target = In[Succ->getBlockID()];
      FlowState Old = Target;
      Target.join(Out);
      if (!(Target == Old) && Queued.insert(Succ.getReachableBlock()).second)
        Work.push_back(Succ.getReachableBlock());
    }
  };
  // Locks only shrink and active sets only grow at merges: this terminates.
  while (!Work.empty()) {
    const CFGBlock *B = Work.front();
    Work.pop_front();
    Queued.erase(B);
    if (In[B->getBlockID()].Reached)
      Propagate(*B, In[B->getBlockID()], /*Record=*/false);
  }
  for (const CFGBlock *B : *Cfg)
    if (In[B->getBlockID()].Reached)
      Propagate(*B, In[B->getBlockID()], /*Record=*/true);
  Exit = In[Cfg->getExit().getBlockID()];
}

void FunctionFlow::buildLoopExitJoins() {
  for (const CFGBlock *B : *Cfg)
    for (const CFGElement &E : *B) {
      std::optional<CFGStmt> S = E.getAs<CFGStmt>();
      const auto *Call = S ? dyn_cast<CallExpr>(S->getStmt()) : nullptr;
      const Decl *Handle = Call ? Model.joinedHandle(*Call) : nullptr;
      if (!Handle)
        continue;
      for (const Stmt *P = Parents->getParent(Call); P; P = Parents->getParent(P))
        if (isLoopStmt(P)) {
          // `for (auto &t : threads) t.join();` joins `threads`, not `t`.
          if (const auto *Range = dyn_cast<CXXForRangeStmt>(P);
              Range && Range->getLoopVariable() == Handle)
            Handle = designatedDecl(Range->getRangeInit());
          LoopExitJoins[P].push_back(Handle);
          break;
        }
    }
}

void FunctionFlow::transfer(const CFGElement &E, FlowState &State, bool Record) {
  auto Release = [&](const MemoryLocation &M) {
    llvm::erase_if(State.Locks, [&](const HeldLock &L) { return L.Mutex.mayAlias(M); });
  };
  auto ReleaseGuard = [&](const VarDecl *Guard) {
    llvm::erase_if(State.Locks, [&](const HeldLock &L) { return L.Guard == Guard; });
  };
  auto Join = [&](const Decl *Handle) {
    if (!Handle)
      return;
    llvm::erase_if(State.Active,
                   [&](unsigned Id) { return Model.spawns()[Id].Handle == Handle; });
  };

  if (std::optional<CFGAutomaticObjDtor> Dtor = E.getAs<CFGAutomaticObjDtor>()) {
    // A guard unlocks, a jthread / std::async future / pool joins as it leaves scope.
    ReleaseGuard(Dtor->getVarDecl());
    Join(Dtor->getVarDecl());
    return;
  }
  std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
  if (!CS)
    return;
  const Stmt *S = CS->getStmt();
  if (Record)
    Before.try_emplace(S, State);

  if (std::optional<unsigned> Id = Model.spawnAt(S)) {
    if (Model.spawns()[*Id].Kind == SpawnKind::PoolHop) {
      State.HopSpawn = *Id;
    } else if (!llvm::is_contained(State.Active, *Id)) {
      State.Active.push_back(*Id);
      llvm::sort(State.Active);
    }
    return;
  }

  if (const auto *Decls = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : Decls->decls()) {
      const auto *Guard = dyn_cast<VarDecl>(D);
      bool SharedGuard = false;
      if (!Guard || !Guard->getInit())
        continue;
      // `auto g = co_await m.lock();` (untangle::AsyncMutex and the like): a guard of m.
      if (const auto *Await = dyn_cast<CoawaitExpr>(stripImplicit(Guard->getInit()))) {
        const auto *LockCall =
            dyn_cast<CXXMemberCallExpr>(stripImplicit(Await->getOperand()));
        const CXXMethodDecl *M = LockCall ? LockCall->getMethodDecl() : nullptr;
        if (M && M->getIdentifier() && isNamed(M->getName(), {"lock", "lock_shared"}) &&
            llvm::StringRef(recordName(objectType(*LockCall))).ends_with("Mutex"))
          if (Resolution Mutex = resolveOperand(Model.Resolver,
                                                LockCall->getImplicitObjectArgument());
              Mutex.isShared())
            State.Locks.push_back({Mutex.Location, M->getName() == "lock_shared", Guard});
        continue;
      }
      if (!ConcurrencyModel::isLockGuardType(Guard->getType(), SharedGuard))
        continue;
      const auto *Construct = dyn_cast<CXXConstructExpr>(stripImplicit(Guard->getInit()));
      if (!Construct)
        continue;
      if (Construct->getConstructor()->isMoveConstructor()) {
        // unique_lock moved: the new guard owns what the old one held.
        const Decl *From = designatedDecl(Construct->getArg(0));
        for (HeldLock &L : State.Locks)
          if (L.Guard == From)
            L.Guard = Guard;
        GuardMutexes[Guard] = GuardMutexes[From];
        continue;
      }
      llvm::StringRef Tag;
      llvm::SmallVector<MemoryLocation, 2> Mutexes;
      for (const Expr *Arg : Construct->arguments()) {
        std::string ArgType = recordName(Arg->getType());
        if (llvm::StringRef(ArgType).ends_with("_lock_t")) {
          Tag = llvm::StringRef(ArgType).drop_front(5); // "std::"
          continue;
        }
        Resolution M = resolveOperand(Model.Resolver, Arg);
        if (M.isShared())
          Mutexes.push_back(M.Location);
      }
      GuardMutexes[Guard] = {Mutexes, SharedGuard};
      for (const MemoryLocation &M : Mutexes) {
        if (Tag == "adopt_lock_t") {
          for (HeldLock &L : State.Locks)
            if (L.Mutex.mayAlias(M) && !L.Guard)
              L.Guard = Guard;
        } else if (Tag.empty()) {
          State.Locks.push_back({M, SharedGuard, Guard});
        }
      }
    }
    return;
  }

  const auto *Call = dyn_cast<CallExpr>(S);
  if (!Call)
    return;
  const Expr *MutexExpr = nullptr;
  const ConcurrencyModel::LockEffect Effect = Model.lockEffect(*Call, MutexExpr);
  switch (Effect) {
  case ConcurrencyModel::LockEffect::Acquire:
  case ConcurrencyModel::LockEffect::AcquireShared:
    if (Resolution M = resolveOperand(Model.Resolver, MutexExpr); M.isShared())
      State.Locks.push_back(
          {M.Location, Effect == ConcurrencyModel::LockEffect::AcquireShared, nullptr});
    return;
  case ConcurrencyModel::LockEffect::Release:
    if (Resolution M = resolveOperand(Model.Resolver, MutexExpr); M.isShared())
      Release(M.Location);
    return;
  case ConcurrencyModel::LockEffect::None:
    break;
  }

  // Guard member calls: lk.unlock(), lk.lock(), lk.release().
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call)) {
    bool SharedGuard = false;
    const Expr *Object = Member->getImplicitObjectArgument();
    const auto *GuardRef = dyn_cast<DeclRefExpr>(stripImplicit(Object));
    const auto *Guard = GuardRef ? dyn_cast<VarDecl>(GuardRef->getDecl()) : nullptr;
    const CXXMethodDecl *M = Member->getMethodDecl();
    if (Guard && M && M->getIdentifier() &&
        ConcurrencyModel::isLockGuardType(Guard->getType(), SharedGuard)) {
      llvm::StringRef Method = M->getName();
      if (Method == "unlock") {
        ReleaseGuard(Guard);
      } else if (Method == "lock") {
        auto It = GuardMutexes.find(Guard);
        if (It != GuardMutexes.end())
          for (const MemoryLocation &Mutex : It->second.first)
            State.Locks.push_back({Mutex, It->second.second, Guard});
      } else if (Method == "release") {
        for (HeldLock &L : State.Locks)
          if (L.Guard == Guard)
            L.Guard = nullptr;
      }
      return;
    }
  }

  if (const Decl *Handle = Model.joinedHandle(*Call)) {
    // Joining a range-for variable joins the range (see buildLoopExitJoins).
    for (const Stmt *P = Parents->getParent(Call); P; P = Parents->getParent(P))
      if (const auto *Range = dyn_cast<CXXForRangeStmt>(P);
          Range && Range->getLoopVariable() == Handle) {
        Handle = designatedDecl(Range->getRangeInit());
        break;
      }
    Join(Handle);
    return;
  }
  if (const Decl *Group = Model.waitedGroup(*Call)) {
    llvm::erase_if(State.Active, [&](unsigned Id) {
      const SpawnSite &Spawn = Model.spawns()[Id];
      return Spawn.Body && Spawn.Body->getBody() && mentions(Spawn.Body->getBody(), Group);
    });
  }
}

const FlowState *FunctionFlow::stateBefore(const Stmt *S) const {
  for (; S; S = Parents ? Parents->getParent(S) : nullptr) {
    auto It = Before.find(S);
    if (It != Before.end())
      return &It->second;
  }
  return nullptr;
}

} // namespace clang::tidy::untangle
