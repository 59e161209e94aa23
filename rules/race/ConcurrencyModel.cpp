//===--- ConcurrencyModel.cpp - what runs in parallel ---------------------===//

#include "race/ConcurrencyModel.h"
#include "race/KnownTypes.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::untangle {

namespace {

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
                   const LocationResolver &R, const Environment &Spawner,
                   const Expr &Site, ASTContext &Ctx) {
  // The definition: its parameters are the ones the body's accesses name, and its
  // locals are the body's own (a forward declaration's are not).
  const FunctionDecl *Function = Body.Function;
  if (const FunctionDecl *Definition = Function ? Function->getDefinition() : nullptr)
    Function = Definition;
  S.Body = Function;
  S.BodyLambda = Body.Lambda;
  S.BodyEnv.Entry = Function;
  S.BodyEnv.Current = Function;
  // A lambda capturing `this` works on the spawner's object.
  if (Body.Lambda && Spawner.This &&
      llvm::any_of(Body.Lambda->captures(),
                   [](const LambdaCapture &C) { return C.capturesThis(); }))
    S.BodyEnv.This = Spawner.This;
  if (!Function || Body.TheKind == Callable::Kind::Bind)
    return;
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
  if (Function->getNumParams() > 0 &&
      recordName(Function->getParamDecl(0)->getType()) == "std::stop_token" &&
      Args.size() - ArgIndex < Function->getNumParams())
    ParamIndex = 1;
  for (; ArgIndex < Args.size() && ParamIndex < Function->getNumParams();
       ++ArgIndex, ++ParamIndex) {
    const ParmVarDecl *Param = Function->getParamDecl(ParamIndex);
    const Expr *Arg = Args[ArgIndex];
    if (Param->getType()->isReferenceType()) {
      // Without std::ref the thread binds the reference to its own decayed copy.
      if (const Expr *Referenced = unwrapRef(Arg))
        S.BodyEnv.Params[Param] = R.lvalue(Referenced, Spawner);
      else
        S.BodyEnv.Params[Param] = Resolution::confined();
    } else if (Param->getType()->isPointerType()) {
      Resolution Pointee = R.pointee(Arg, Spawner);
      // `&jobs[i]` in a loop stepping `i`: each thread its own element.
      if (Pointee.TheKind == Resolution::Kind::Unknown)
        Pointee = R.elementPerIteration(Arg, Site, Ctx, Spawner);
      S.BodyEnv.Params[Param] = Pointee;
    }
  }
}

// A configured spawn wrapper that hands its thread back through an out-parameter
// (`create(fn, arg, &t)`, `create(&t, fn, arg)`): the variable whose address is passed
// where the start routine takes no argument.
const Decl *outParameterHandle(const Expr &Site, const Expr *CallableArg,
                               unsigned BodyParams) {
  const auto *Call = dyn_cast<CallExpr>(&Site);
  if (!Call)
    return nullptr;
  const Expr *const *Args = Call->getArgs();
  const auto *Callable = std::find(Args, Args + Call->getNumArgs(), CallableArg);
  for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
    const auto Index = static_cast<std::ptrdiff_t>(I) - (Callable - Args);
    if (Index >= 0 && Index <= static_cast<std::ptrdiff_t>(BodyParams))
      continue; // the start routine or an argument it is given
    const auto *AddrOf = dyn_cast<UnaryOperator>(stripImplicit(Call->getArg(I)));
    if (AddrOf && AddrOf->getOpcode() == UO_AddrOf)
      return designatedDecl(AddrOf->getSubExpr());
  }
  return nullptr;
}

// `std::thread(f).join()`, `pool.submit_task(f).wait()`: the statement waits for the
// body it starts, on a handle nobody else holds.
bool isJoinedAtOnce(const Expr &Site, ASTContext &Ctx, const ConcurrencyModel &Model) {
  DynTypedNode Node = DynTypedNode::create(Site);
  for (unsigned Steps = 0; Steps < 6; ++Steps) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return false;
    Node = Parents[0];
    if (const auto *Call = Node.get<CXXMemberCallExpr>())
      return Model.joinedHandleExpr(*Call) != nullptr;
    if (!Node.get<Expr>())
      return false;
  }
  return false;
}

} // namespace

//===--- The model -----------------------------------------------------------===//

// Invalid patterns never match; the check reports them.
ConcurrencyModel::ConcurrencyModel(const ConcurrencyOptions &Options)
    : MaxPathFacts(Options.MaxPathFacts), GuessWrappers(Options.GuessWrappers),
      SpawnPatterns(Options.ParallelSpawnFunctions),
      JoinPatterns(Options.JoinFunctions), AcquirePatterns(Options.AcquireFunctions),
      ReleasePatterns(Options.ReleaseFunctions) {}

bool ConcurrencyModel::matches(const NameList &Patterns, const NamedDecl *D) const {
  return D && !Patterns.empty() && Patterns.matches(*D);
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
        Op && Op->getOperator() == OO_Equal) {
      // `std::ignore = pool.submit(f)` discards the result as a bare call would.
      const Decl *Target = designatedDecl(Op->getArg(0));
      if (const auto *V = dyn_cast_or_null<VarDecl>(Target);
          V && V->getIdentifier() && V->getName() == "ignore" && V->isInStdNamespace())
        return nullptr;
      return Target;
    }
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(E)) {
      // threads.push_back(std::thread(...)) / emplace_back(std::thread(...))
      if (const CXXMethodDecl *M = Member->getMethodDecl();
          M && M->getIdentifier() &&
          isNamed(M->getName(), {"push_back", "emplace_back", "emplace", "insert"}))
        return designatedDecl(Member->getImplicitObjectArgument());
      return nullptr;
    }
    if (!isa<ExprWithCleanups, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
             ImplicitCastExpr, CXXConstructExpr, CXXFunctionalCastExpr, ParenExpr,
             CXXNewExpr>(E))
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

std::optional<SpawnSite> ConcurrencyModel::classifySpawn(const Expr &E, ASTContext &Ctx,
                                                         const Environment *SpawnerEnv) const {
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
    if (!S.Handle && isJoinedAtOnce(E, Ctx, *this))
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
      if (!S.Handle && isJoinedAtOnce(E, Ctx, *this))
        return std::nullopt;
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
      S.Elements = elementsNamed(Call->getArg(0), Ctx);
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
    } else if (plays(WrapperRole::Spawn, Callee)) {
      S.Kind = SpawnKind::Custom;
      S.Handle = handleOf(E, Ctx);
      if (!S.Handle && isJoinedAtOnce(E, Ctx, *this))
        return std::nullopt;
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
  S.Passed.assign(Args.begin(), Args.end());
  std::optional<Callable> Body = AsyncCallModel::classifyCallable(CallableArg);
  if (!Body || !Body->Function) {
    // The start routine is a parameter: the function a caller passes, once lifted.
    const auto *Ref = dyn_cast<DeclRefExpr>(stripImplicit(CallableArg));
    const auto *Param = Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
    if (!Param || !(Param->getType()->isFunctionPointerType() ||
                    Param->getType()->isFunctionReferenceType()))
      return std::nullopt;
    const FunctionDecl *Bound = nullptr;
    if (SpawnerEnv)
      if (auto It = SpawnerEnv->Functions.find(Param); It != SpawnerEnv->Functions.end())
        Bound = It->second;
    if (!Bound) {
      S.CallableParam = Param;
      return S;
    }
    Body = Callable{Callable::Kind::FunctionPointer, CallableArg, nullptr, Bound, nullptr};
  }
  bindArguments(S, *Body, Args, Resolver, SpawnerEnv ? *SpawnerEnv : Environment(), E, Ctx);
  if (S.Kind == SpawnKind::Custom && !S.Handle && S.Body)
    S.Handle = outParameterHandle(E, CallableArg, S.Body->getNumParams());
  // A pool's submit member with no handle of its own (`pool.detach_task(f)`): the job
  // is waited for by what waits for the pool (`pool.wait()` named in JoinFunctions).
  if (S.Kind == SpawnKind::Custom && !S.Handle)
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&E))
      S.Handle = designatedDecl(Member->getImplicitObjectArgument());
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

const Expr *ConcurrencyModel::joinedHandleExpr(const CallExpr &Call) const {
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
      return Member->getImplicitObjectArgument();
    return nullptr;
  }
  std::string Name = AsyncCallModel::qualifiedName(*Callee);
  // Goblint's `__goblint_assume_join(t)` states that t has ended there.
  if ((Name == "pthread_join" || Name == "__goblint_assume_join" ||
       plays(WrapperRole::Join, Callee)) &&
      Call.getNumArgs() > 0)
    return Call.getArg(0);
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

llvm::ArrayRef<const Decl *> ConcurrencyModel::handlesJoinedBy(const FunctionDecl &F) const {
  auto It = JoinSummaries.find(&F);
  if (It != JoinSummaries.end())
    return It->second;
  llvm::SmallVector<const Decl *, 2> Handles;
  collectJoins(F, 0, Handles);
  return JoinSummaries[&F] = std::move(Handles);
}

void ConcurrencyModel::collectJoins(const FunctionDecl &F, unsigned Depth,
                                    llvm::SmallVectorImpl<const Decl *> &Out) const {
  const FunctionDecl *Definition = nullptr;
  if (!F.hasBody(Definition) || Definition->isDependentContext() || Depth > 2)
    return;
  struct Finder : RecursiveASTVisitor<Finder> {
    const ConcurrencyModel &Model;
    const FunctionDecl &Joiner;
    unsigned Depth;
    llvm::SmallVectorImpl<const Decl *> &Out;
    Finder(const ConcurrencyModel &Model, const FunctionDecl &Joiner, unsigned Depth,
           llvm::SmallVectorImpl<const Decl *> &Out)
        : Model(Model), Joiner(Joiner), Depth(Depth), Out(Out) {}
    void add(const Decl *Handle) {
      if (Handle && !llvm::is_contained(Out, Handle))
        Out.push_back(Handle);
    }
    bool VisitCallExpr(CallExpr *Call) {
      if (const Expr *Joined = Model.joinedHandleExpr(*Call)) {
        add(designatedDecl(Joined));
        // `pthread_join(thread->handle, ..)` in `join(stdThread thread)`: the object
        // the caller passes holds the handle, so the call joins what it passes
        // (a spawn helper storing its handle there names it so, OutlivingSpawns.cpp).
        if (const auto *Param = dyn_cast_or_null<ParmVarDecl>(pathRoot(Joined));
            Param && Param->getDeclContext() == &Joiner)
          add(Param);
      } else if (const FunctionDecl *Callee = Call->getDirectCallee()) {
        // `~Worker() { stop(); }`: what stop() joins, through this call.
        llvm::SmallVector<const Decl *, 2> Inner;
        Model.collectJoins(*Callee, Depth + 1, Inner);
        for (const Decl *Handle : Inner)
          if (!isa<ParmVarDecl>(Handle) && !llvm::is_contained(Out, Handle))
            Out.push_back(Handle);
      }
      return true;
    }
  } Find(*this, *Definition, Depth, Out);
  Find.TraverseStmt(Definition->getBody());
}

const ConcurrencyModel::LockHelperEffect &
ConcurrencyModel::lockHelperEffect(const FunctionDecl &F) const {
  auto [It, Inserted] = LockHelpers.try_emplace(&F);
  const FunctionDecl *Definition = nullptr;
  if (!Inserted || !F.hasBody(Definition) || Definition->isDependentContext())
    return It->second;
  struct Finder : RecursiveASTVisitor<Finder> {
    const ConcurrencyModel &Model;
    llvm::SmallVector<const Expr *, 2> Acquired, Released;
    explicit Finder(const ConcurrencyModel &Model) : Model(Model) {}
    bool VisitCallExpr(CallExpr *Call) {
      const Expr *Mutex = nullptr;
      switch (Model.lockEffect(*Call, Mutex)) {
      case LockEffect::Acquire:
        Acquired.push_back(Mutex);
        break;
      case LockEffect::Release:
        Released.push_back(Mutex);
        break;
      default:
        break;
      }
      return true;
    }
  } Find(*this);
  Find.TraverseStmt(Definition->getBody());
  // Compared by the declaration they name: `&mu` locked, `&mu` unlocked; a member
  // that locks its own object (`__tsan_mutex_post_lock(this, 0, 0)` in `Lock()`) names
  // the object, `this` (keyed by the member's class).
  auto Key = [&](const Expr *E) -> const void * {
    if (isa<CXXThisExpr>(E->IgnoreParenImpCasts()))
      return Definition;
    return designatedDecl(E);
  };
  auto Named = [&](const llvm::SmallVector<const Expr *, 2> &List, const Expr *E) {
    return llvm::any_of(List, [&](const Expr *O) { return Key(O) == Key(E); });
  };
  for (const Expr *E : Find.Acquired)
    if (Key(E) && !Named(Find.Released, E))
      It->second.Acquires.push_back(E);
  for (const Expr *E : Find.Released)
    if (Key(E) && !Named(Find.Acquired, E))
      It->second.Releases.push_back(E);
  return It->second;
}

bool ConcurrencyModel::liftedFrom(unsigned Id, unsigned Ancestor) const {
  for (int From = Spawns[Id].LiftedFrom; From >= 0; From = Spawns[From].LiftedFrom)
    if (static_cast<unsigned>(From) == Ancestor)
      return true;
  return false;
}

llvm::ArrayRef<unsigned> ConcurrencyModel::spawnsAt(const Stmt *S) const {
  auto It = SpawnIds.find(S);
  if (It == SpawnIds.end())
    return {};
  return It->second;
}

void ConcurrencyModel::addSpawn(SpawnSite S) {
  SpawnIds[S.Site].push_back(Spawns.size());
  for (const Expr *Arg : S.Passed)
    PassedToSpawns.insert(Arg->IgnoreParenCasts());
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
  return It->second.front();
}

const FunctionFlow &ConcurrencyModel::flowOf(const FunctionDecl &F, ASTContext &Ctx) {
  std::unique_ptr<FunctionFlow> &Flow = Flows[&F];
  if (!Flow)
    Flow = std::make_unique<FunctionFlow>(F, Ctx, *this);
  return *Flow;
}

llvm::SmallVector<unsigned, 1> ConcurrencyModel::spawnsOf(const FunctionDecl &Body) const {
  llvm::SmallVector<unsigned, 1> Ids;
  for (const auto &[Id, S] : llvm::enumerate(Spawns))
    if (S.Body && S.Body->getCanonicalDecl() == Body.getCanonicalDecl())
      Ids.push_back(Id);
  return Ids;
}

void ConcurrencyModel::clear() {
  Spawns.clear();
  Callbacks.clear();
  SpawnIds.clear();
  ContextLambdas.clear();
  PassedToSpawns.clear();
  Flows.clear();
  NeverReturns.clear();
  MainHandles.reset();
  Barriers.clear();
  Mentions.clear();
}

} // namespace clang::tidy::untangle
