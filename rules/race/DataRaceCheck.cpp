//===--- DataRaceCheck.cpp - untangle-data-race --------------------------===//

#include "race/DataRaceCheck.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Analysis/Analyses/ExprMutationAnalyzer.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include <tuple>

using namespace clang::ast_matchers;

namespace clang::tidy::untangle {

namespace {

/// Records where the main file's includes are, for the `#include <atomic>` fix.
class IncludeRecorder : public PPCallbacks {
public:
  IncludeRecorder(const SourceManager &SM, SourceLocation &FirstInclude,
                  bool &IncludesAtomic)
      : SM(SM), FirstInclude(FirstInclude), IncludesAtomic(IncludesAtomic) {}
  void InclusionDirective(SourceLocation HashLoc, const Token &, StringRef FileName,
                          bool IsAngled, CharSourceRange, OptionalFileEntryRef,
                          StringRef, StringRef, const Module *, bool,
                          SrcMgr::CharacteristicKind) override {
    if (!SM.isInMainFile(HashLoc))
      return;
    if (FirstInclude.isInvalid())
      FirstInclude = HashLoc;
    IncludesAtomic |= IsAngled && FileName == "atomic";
  }

private:
  const SourceManager &SM;
  SourceLocation &FirstInclude;
  bool &IncludesAtomic;
};

bool isInSystemHeader(const Decl *D, const SourceManager &SM) {
  return D && SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation()));
}

bool contains(llvm::ArrayRef<unsigned> Ids, unsigned Id) {
  return llvm::is_contained(Ids, Id);
}

// The stronger of two states: what the caller held plus what the callee took.
FlowState combine(const FlowState &Inherited, const FlowState &Local) {
  FlowState Result = Local;
  for (const HeldLock &L : Inherited.Locks)
    if (!llvm::is_contained(Result.Locks, L))
      Result.Locks.push_back(L);
  for (unsigned Id : Inherited.Active)
    if (!llvm::is_contained(Result.Active, Id))
      Result.Active.push_back(Id);
  llvm::sort(Result.Active);
  if (Result.HopSpawn < 0)
    Result.HopSpawn = Inherited.HopSpawn;
  return Result;
}

bool isContainerReadOnlyMember(const CXXMethodDecl &M) {
  if (M.getOverloadedOperator() == OO_Subscript)
    return true;
  return M.getIdentifier() &&
         llvm::is_contained({"at", "begin", "end", "rbegin", "rend", "front", "back",
                             "data", "find", "lower_bound", "upper_bound",
                             "equal_range"},
                            M.getName());
}

std::string describeLocks(llvm::ArrayRef<HeldLock> Locks) {
  if (Locks.empty())
    return "no lock held";
  std::string Text = "holding ";
  for (const auto &[Index, L] : llvm::enumerate(Locks)) {
    if (Index)
      Text += ", ";
    Text += "'" + L.Mutex.name() + "'";
    if (L.Shared)
      Text += " (shared)";
  }
  return Text;
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
        Mutations(*Function.getBody(), Ctx) {
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
      // `std::atomic_ref<int>(x)` makes x's accesses atomic.
      if (isa<CXXConstructExpr>(E) && ConcurrencyModel::isSynchronizedType(E->getType()))
        return true;
    }
    Stack.push_back(S);
    if (const auto *E = dyn_cast<Expr>(S))
      recordAccess(*E);
    bool Continue = Base::TraverseStmt(S);
    Stack.pop_back();
    return Continue;
  }

  // Unevaluated operands read nothing.
  bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *) { return true; }
  bool TraverseCXXNoexceptExpr(CXXNoexceptExpr *) { return true; }
  bool TraverseDecltypeTypeLoc(DecltypeTypeLoc, bool = true) { return true; }
  // Local classes' member functions are not run here.
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }

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
    return combine(Inherited, *Local);
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

  const FunctionDecl *followableCallee(const CallExpr &Call) const {
    const FunctionDecl *Callee = Call.getDirectCallee();
    if (!Callee) {
      // A call through a local function pointer initialized once (`fn_t f = work;`).
      if (const auto *Ref =
              dyn_cast<DeclRefExpr>(Call.getCallee()->IgnoreParenImpCasts()))
        if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl()); V && V->getInit())
          if (const auto *Target = dyn_cast<DeclRefExpr>(
                  V->getInit()->IgnoreParenImpCasts()->IgnoreUnlessSpelledInSource()))
            Callee = dyn_cast<FunctionDecl>(Target->getDecl());
    }
    const FunctionDecl *Definition = nullptr;
    if (!Callee || !Callee->hasBody(Definition) || !Definition ||
        Definition->isDependentContext() ||
        isInSystemHeader(Definition, Ctx.getSourceManager()) ||
        ConcurrencyModel::isThreadSafeLibraryDecl(Definition))
      return nullptr;
    if (Depth >= Check.MaxCallDepth || Definition == &Function ||
        llvm::is_contained(Env.PrivateFrames, Definition) || Definition == Env.Entry)
      return nullptr;
    return Definition;
  }

  bool traverseCall(const CallExpr &Call) {
    // A spawn's body is a context of its own; its arguments are handed over.
    if (Check.Model.spawnAt(&Call))
      return true;
    // Atomic builtins access their operands atomically; call_once synchronizes its
    // callable with every other call on the same flag.
    if (ConcurrencyModel::isAtomicOrOnceCall(Call))
      return true;
    const Expr *Mutex = nullptr;
    if (Check.Model.lockEffect(Call, Mutex) != ConcurrencyModel::LockEffect::None)
      return true;

    const FunctionDecl *Callee = followableCallee(Call);
    if (!Callee) {
      Stack.push_back(&Call);
      bool Continue = Base::TraverseStmt(const_cast<CallExpr *>(&Call));
      Stack.pop_back();
      return Continue;
    }

    // Follow the callee: its parameters name what the arguments name here, and its
    // accesses hold the locks held at the call.
    Environment CalleeEnv;
    CalleeEnv.Entry = Env.Entry;
    CalleeEnv.PrivateFrames = Env.PrivateFrames;
    CalleeEnv.PrivateFrames.push_back(Callee);
    Stack.push_back(&Call);
    unsigned FirstArg = 0;
    const Expr *Object = nullptr;
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
      Object = Member->getImplicitObjectArgument();
    else if (isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Callee) &&
             Call.getNumArgs() > 0) {
      Object = Call.getArg(0);
      FirstArg = 1;
    }
    if (Object) {
      CalleeEnv.This = Object->getType()->isPointerType()
                           ? Check.Model.Resolver.pointee(Object, Env)
                           : Check.Model.Resolver.lvalue(Object, Env);
      // The object itself is accessed by the callee, member by member.
      if (Object->getType()->isPointerType())
        TraverseStmt(const_cast<Expr *>(Object));
    } else {
      TraverseStmt(const_cast<Expr *>(Call.getCallee()));
    }
    for (unsigned I = FirstArg; I < Call.getNumArgs(); ++I) {
      const Expr *Arg = Call.getArg(I);
      const unsigned ParamIndex = I - FirstArg;
      const ParmVarDecl *Param =
          ParamIndex < Callee->getNumParams() ? Callee->getParamDecl(ParamIndex) : nullptr;
      if (Param && Param->getType()->isReferenceType()) {
        CalleeEnv.Params[Param] = Check.Model.Resolver.lvalue(Arg, Env);
        if (Arg->isPRValue())
          TraverseStmt(const_cast<Expr *>(Arg));
        continue; // bound, not read: the callee's uses are the accesses
      }
      if (Param && Param->getType()->isPointerType())
        CalleeEnv.Params[Param] = Check.Model.Resolver.pointee(Arg, Env);
      TraverseStmt(const_cast<Expr *>(Arg));
    }
    Stack.pop_back();
    walkNested(*Callee, std::move(CalleeEnv), stateAt(&Call), &Call);
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
    const ValueDecl *D = R.Location.declaration();
    if (!D || isInSystemHeader(D, Ctx.getSourceManager()) ||
        ConcurrencyModel::isThreadSafeLibraryDecl(D) ||
        ConcurrencyModel::isSynchronizedType(D->getType()) ||
        ConcurrencyModel::isSynchronizedType(E.getType()) ||
        E.getType().isConstQualified() || D->getType().isConstQualified())
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
    if (const auto *Member = dyn_cast_or_null<MemberExpr>(Parent))
      CalledMethod = dyn_cast<CXXMethodDecl>(Member->getMemberDecl());
    else if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(User);
             Op && Op->getNumArgs() > 0 &&
             Op->getArg(0)->IgnoreParenImpCasts() == E.IgnoreParens())
      CalledMethod = dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee());
    // Objects of a concurrency library synchronize their own operations.
    if (CalledMethod && ConcurrencyModel::isThreadSafeLibraryDecl(CalledMethod->getParent()))
      return;
    const FlowState State = stateAt(&E);
    if (!State.Reached)
      return;
    Access A;
    A.Location = R.Location;
    A.FrameLocal = R.FrameLocal;
    // The standard library's containers count `[]`, `at`, `begin`, `find`... as reads
    // although they are not const ([container.requirements.dataraces]).
    A.Write = !(CalledMethod && CalledMethod->getParent()->isInStdNamespace() &&
                isContainerReadOnlyMember(*CalledMethod)) &&
              Mutations.isMutated(&E);
    A.E = &E;
    A.Locks = State.Locks;
    A.Active = State.Active;
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
  const FlowState Inherited;
  const llvm::SmallVector<const CallExpr *, 2> Via;
  const unsigned Depth;
  const Access::OwnerKind Owner;
  const unsigned OwnerIndex;
  std::vector<Access> &Out;
  const FunctionFlow &Flow;
  ExprMutationAnalyzer Mutations;
  llvm::SmallVector<const Stmt *, 16> Stack;
};

DataRaceCheck::DataRaceCheck(llvm::StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      ParallelSpawnFunctions(Options.get("ParallelSpawnFunctions", "")),
      JoinFunctions(Options.get("JoinFunctions", "")),
      AcquireFunctions(Options.get("AcquireFunctions", "")),
      ReleaseFunctions(Options.get("ReleaseFunctions", "")),
      MaxCallDepth(Options.get("MaxCallDepth", 4U)),
      AsyncModel(AsyncCallModelOptions{}),
      Model(ConcurrencyOptions{splitOptionList(ParallelSpawnFunctions),
                               splitOptionList(JoinFunctions),
                               splitOptionList(AcquireFunctions),
                               splitOptionList(ReleaseFunctions)}),
      Scope(*Context) {
  validatePatterns("ParallelSpawnFunctions", ParallelSpawnFunctions);
  validatePatterns("JoinFunctions", JoinFunctions);
  validatePatterns("AcquireFunctions", AcquireFunctions);
  validatePatterns("ReleaseFunctions", ReleaseFunctions);
}

void DataRaceCheck::validatePatterns(llvm::StringRef OptionName, llvm::StringRef Value) {
  for (const InvalidPattern &Bad : invalidPatterns(Value))
    configurationDiag(InvalidPatternMessage) << Bad.Pattern << getID() << OptionName << Bad.Reason;
}

void DataRaceCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ParallelSpawnFunctions", ParallelSpawnFunctions);
  Options.store(Opts, "JoinFunctions", JoinFunctions);
  Options.store(Opts, "AcquireFunctions", AcquireFunctions);
  Options.store(Opts, "ReleaseFunctions", ReleaseFunctions);
  Options.store(Opts, "MaxCallDepth", MaxCallDepth);
}

void DataRaceCheck::registerMatchers(MatchFinder *Finder) {
  // Only the calls that may start parallel work are matched while the AST is walked;
  // everything else waits until a translation unit is known to have some, so files
  // without threads pay for these matchers alone.
  auto InUserCode = unless(isExpansionInSystemHeader());
  Finder->addMatcher(
      cxxConstructExpr(InUserCode, hasDeclaration(cxxConstructorDecl(ofClass(
                                       hasAnyName("::std::thread", "::std::jthread")))))
          .bind("spawn"),
      this);
  Finder->addMatcher(
      callExpr(InUserCode, callee(functionDecl(hasAnyName(
                               "::pthread_create", "::std::async", "::asio::post",
                               "::boost::asio::post"))))
          .bind("spawn"),
      this);
  Finder->addMatcher(cxxMemberCallExpr(InUserCode,
                                       callee(cxxMethodDecl(hasAnyName(
                                           "post", "submit", "schedule",
                                           "emplace_back", "emplace"))))
                         .bind("spawn"),
                     this);
  if (!ParallelSpawnFunctions.empty())
    Finder->addMatcher(callExpr(InUserCode, callee(functionDecl())).bind("spawn"), this);
}

void DataRaceCheck::registerPPCallbacks(const SourceManager &SM, Preprocessor *PP,
                                        Preprocessor *) {
  PP->addPPCallbacks(std::make_unique<IncludeRecorder>(SM, FirstInclude, IncludesAtomic));
}

void DataRaceCheck::check(const MatchFinder::MatchResult &Result) {
  Ctx = Result.Context;
  const auto *Site = Result.Nodes.getNodeAs<Expr>("spawn");
  // Parallel work started in a header whose findings are not shown (a library's own
  // thread pool) is that library's business; see ReportScope.
  if (!Scope.contains(Site->getBeginLoc(), *Result.SourceManager))
    return;
  if (Model.spawnAt(Site))
    return;
  std::optional<SpawnSite> Spawn = Model.classifySpawn(*Site, *Result.Context);
  if (!Spawn) {
    // A post to an event loop: two loops' callbacks may race without any thread here.
    if (const auto *Call = dyn_cast<CallExpr>(Site))
      if (const FunctionDecl *Callee = Call->getDirectCallee();
          Callee && Callee->getIdentifier() && Callee->getName() == "post")
        SawLoopPost = true;
    return;
  }
  // The spawner is the function the site is written in (a lambda's call operator too).
  const DeclContext *DC = nullptr;
  for (DynTypedNode Node = DynTypedNode::create(*Site);;) {
    DynTypedNodeList Parents = Result.Context->getParents(Node);
    if (Parents.empty())
      break;
    Node = Parents[0];
    if (const auto *F = Node.get<FunctionDecl>()) {
      DC = F;
      break;
    }
    if (const auto *L = Node.get<LambdaExpr>()) {
      DC = L->getCallOperator();
      break;
    }
  }
  Spawn->Spawner = dyn_cast_or_null<FunctionDecl>(DC);
  if (!Spawn->Spawner || Spawn->Spawner->isDependentContext())
    return;
  Model.addSpawn(std::move(*Spawn));
}

void DataRaceCheck::collectLoopCallbacks() {
  // Callbacks that single-threaded executors run; they run in parallel with threads
  // and with other executors' callbacks, never with each other.
  struct Finder : RecursiveASTVisitor<Finder> {
    DataRaceCheck &Check;
    const SourceManager &SM;
    llvm::SmallVector<const FunctionDecl *, 4> Functions;
    Finder(DataRaceCheck &Check, const SourceManager &SM) : Check(Check), SM(SM) {}
    bool TraverseDecl(Decl *D) {
      if (D && !isa<TranslationUnitDecl>(D) && isInSystemHeader(D, SM))
        return true;
      return RecursiveASTVisitor::TraverseDecl(D);
    }
    bool TraverseLambdaExpr(LambdaExpr *L) {
      Functions.push_back(L->getCallOperator());
      bool Continue = RecursiveASTVisitor::TraverseLambdaExpr(L);
      Functions.pop_back();
      return Continue;
    }
    bool TraverseFunctionDecl(FunctionDecl *F) {
      Functions.push_back(F);
      bool Continue = RecursiveASTVisitor::TraverseFunctionDecl(F);
      Functions.pop_back();
      return Continue;
    }
    bool TraverseCXXMethodDecl(CXXMethodDecl *F) {
      Functions.push_back(F);
      bool Continue = RecursiveASTVisitor::TraverseCXXMethodDecl(F);
      Functions.pop_back();
      return Continue;
    }
    bool VisitCallExpr(CallExpr *Call) {
      if (Check.Model.spawnAt(Call) || Functions.empty() ||
          Functions.back()->isDependentContext())
        return true;
      for (const Callable &Callback : Check.AsyncModel.asyncCallbacks(*Call))
        if (std::optional<LoopCallback> C = Check.Model.classifyLoopPost(*Call, &Callback)) {
          C->Poster = Functions.back();
          Check.Model.addLoopCallback(std::move(*C));
        }
      return true;
    }
  } F(*this, Ctx->getSourceManager());
  F.TraverseDecl(Ctx->getTranslationUnitDecl());
}

void DataRaceCheck::computeSpawnFacts() {
  for (SpawnSite &S : Model.spawns()) {
    const FunctionFlow &Flow = Model.flowOf(*S.Spawner, *Ctx);
    if (const FlowState *State = Flow.stateBefore(S.Site))
      S.ActiveAtSpawn.assign(State->Active.begin(), State->Active.end());
    unsigned Id = &S - Model.spawns().data();
    // Reaching the site again while the earlier run may still go on: a loop.
    S.SelfParallel = contains(S.ActiveAtSpawn, Id);
    S.Escapes = S.Kind == SpawnKind::PoolHop || contains(Flow.exitState().Active, Id);
  }
}

std::vector<Access> DataRaceCheck::collectAccesses() {
  std::vector<Access> Accesses;
  FlowState Start;
  Start.Reached = true;
  llvm::SmallPtrSet<const FunctionDecl *, 8> Spawners;
  for (const auto &[Id, S] : llvm::enumerate(Model.spawns())) {
    Spawners.insert(S.Spawner);
    if (S.Body && S.Body->getBody() && !S.Body->isDependentContext())
      AccessCollector(*this, *S.Body, S.BodyEnv, Start, {}, 0, Access::OwnerKind::Spawn,
                      Id, Accesses)
          .run();
  }
  for (const auto &[Id, C] : llvm::enumerate(Model.loopCallbacks())) {
    if (!C.Body->getBody() || C.Body->isDependentContext())
      continue;
    Environment Env;
    Env.Entry = C.Body;
    AccessCollector(*this, *C.Body, Env, Start, {}, 0, Access::OwnerKind::LoopCallback,
                    Id, Accesses)
        .run();
  }
  // The spawning code, between spawn and join: only its accesses made while a spawn
  // is active (or after a hop to a pool) can race.
  std::vector<Access> SpawnerAccesses;
  for (const FunctionDecl *F : Spawners) {
    Environment Env;
    Env.Entry = F;
    AccessCollector(*this, *F, Env, Start, {}, 0, Access::OwnerKind::Spawner, 0,
                    SpawnerAccesses)
        .run();
  }
  for (Access &A : SpawnerAccesses)
    if (!A.Active.empty() || A.Owner != Access::OwnerKind::Spawner)
      Accesses.push_back(std::move(A));
  return Accesses;
}

bool DataRaceCheck::mayRunInParallel(const Access &A, const Access &B) const {
  using Kind = Access::OwnerKind;
  const auto &Spawns = Model.spawns();
  // Code of a spawning function runs in parallel with the spawns active there.
  if (A.Owner == Kind::Spawn && contains(B.Active, A.OwnerIndex))
    return true;
  if (B.Owner == Kind::Spawn && contains(A.Active, B.OwnerIndex))
    return true;
  if (A.Owner == Kind::Spawner || B.Owner == Kind::Spawner)
    return false;
  // Two runs of one function each have their own locals.
  if (A.FrameLocal && B.FrameLocal)
    return false;
  if (A.Owner == Kind::Spawn && B.Owner == Kind::Spawn) {
    const SpawnSite &S = Spawns[A.OwnerIndex], &T = Spawns[B.OwnerIndex];
    if (A.OwnerIndex == B.OwnerIndex)
      return S.SelfParallel;
    if (S.Spawner == T.Spawner)
      return contains(S.ActiveAtSpawn, B.OwnerIndex) ||
             contains(T.ActiveAtSpawn, A.OwnerIndex);
    return S.Escapes && T.Escapes;
  }
  if (A.Owner == Kind::LoopCallback && B.Owner == Kind::LoopCallback) {
    // One loop runs its callbacks one at a time: they interleave, never overlap. Only
    // two loops known to be different run in parallel; a completion callback of an
    // API that names no executor runs on the loop that started it.
    const Decl *ExecutorA = Model.loopCallbacks()[A.OwnerIndex].Executor;
    const Decl *ExecutorB = Model.loopCallbacks()[B.OwnerIndex].Executor;
    return ExecutorA && ExecutorB && ExecutorA != ExecutorB;
  }
  // A loop's callback and a spawned body: parallel when the body may run while the
  // callback is posted, or outlives its spawner.
  const Access &Callback = A.Owner == Kind::LoopCallback ? A : B;
  const Access &Body = A.Owner == Kind::LoopCallback ? B : A;
  const LoopCallback &C = Model.loopCallbacks()[Callback.OwnerIndex];
  const SpawnSite &S = Spawns[Body.OwnerIndex];
  if (S.Escapes)
    return true;
  if (C.Poster != S.Spawner)
    return false;
  const FlowState *AtPost =
      const_cast<ConcurrencyModel &>(Model).flowOf(*C.Poster, *Ctx).stateBefore(C.Site);
  return AtPost && contains(AtPost->Active, Body.OwnerIndex);
}

bool DataRaceCheck::protectedByCommonLock(const Access &A, const Access &B) const {
  // A lock held shared by both sides only keeps writers out: it protects the pair only
  // if one side holds it exclusively.
  for (const HeldLock &LA : A.Locks)
    for (const HeldLock &LB : B.Locks)
      if (LA.Mutex.mayAlias(LB.Mutex) && (!LA.Shared || !LB.Shared))
        return true;
  return false;
}

void DataRaceCheck::onEndOfTranslationUnit() {
  auto Reset = [&] {
    Model.clear();
    Reported.clear();
    Scope.endOfTranslationUnit();
    SawLoopPost = false;
    IncludeInserted = false;
  };
  if (!Ctx || (Model.spawns().empty() && !SawLoopPost)) {
    Reset();
    return;
  }
  collectLoopCallbacks();
  // Without a spawn, only callbacks of two different loops can race.
  llvm::SmallPtrSet<const Decl *, 4> Executors;
  for (const LoopCallback &C : Model.loopCallbacks())
    if (C.Executor)
      Executors.insert(C.Executor);
  if (Model.spawns().empty() && Executors.size() < 2) {
    Reset();
    return;
  }
  computeSpawnFacts();
  std::vector<Access> Accesses = collectAccesses();
  const SourceManager &SM = Ctx->getSourceManager();
  // Report in source order, so that the output does not depend on walk order.
  llvm::sort(Accesses, [&](const Access &L, const Access &R) {
    if (L.E != R.E)
      return SM.isBeforeInTranslationUnit(L.E->getExprLoc(), R.E->getExprLoc());
    return std::tie(L.Owner, L.OwnerIndex, L.Write) <
           std::tie(R.Owner, R.OwnerIndex, R.Write);
  });
  // An access pairs with itself too: a body running twice at once races with itself.
  for (size_t I = 0; I < Accesses.size(); ++I)
    for (size_t J = I; J < Accesses.size(); ++J) {
      const Access &A = Accesses[I], &B = Accesses[J];
      if ((!A.Write && !B.Write) || !A.Location.mayAlias(B.Location) ||
          protectedByCommonLock(A, B) || !mayRunInParallel(A, B))
        continue;
      // Point at the write, and of two writes at the less protected one: that is
      // where a lock or an atomic is missing.
      const bool BFirst = (B.Write && !A.Write) ||
                          (A.Write == B.Write && B.Locks.size() < A.Locks.size());
      reportRace(BFirst ? B : A, BFirst ? A : B);
    }
  Reset();
}

void DataRaceCheck::reportRace(const Access &A, const Access &B) {
  const ValueDecl *D = A.Location.declaration();
  if (!Reported.insert(D).second)
    return;
  const SourceManager &SM = Ctx->getSourceManager();
  auto Loc = [&](const Expr *E) { return SM.getExpansionLoc(E->getExprLoc()); };
  {
    auto Diag = diag(Loc(A.E), "data race on '%0': %select{read|written}1 here (%2) "
                               "and %select{read|written}3 in parallel (%4)")
                << A.Location.name() << A.Write << describeLocks(A.Locks) << B.Write
                << describeLocks(B.Locks);
    addAtomicFix(Diag, A.Location);
  }
  for (const CallExpr *Call : A.Via)
    diag(Loc(Call), "reached through this call", DiagnosticIDs::Note);
  diag(Loc(B.E), "conflicting %select{read|write}0 here, %1", DiagnosticIDs::Note)
      << B.Write << describeLocks(B.Locks);
  for (const CallExpr *Call : B.Via)
    diag(Loc(Call), "reached through this call", DiagnosticIDs::Note);
  // Why they run in parallel: the spawns (or executors) behind each side, once each.
  llvm::SmallVector<unsigned, 4> SpawnIds;
  for (const Access *X : {&A, &B}) {
    if (X->Owner == Access::OwnerKind::LoopCallback) {
      describeLoopCallback(X->OwnerIndex);
      continue;
    }
    llvm::ArrayRef<unsigned> Ids = X->Owner == Access::OwnerKind::Spawn
                                       ? llvm::ArrayRef<unsigned>(X->OwnerIndex)
                                       : llvm::ArrayRef<unsigned>(X->Active);
    for (unsigned Id : Ids)
      if (!llvm::is_contained(SpawnIds, Id))
        SpawnIds.push_back(Id);
  }
  for (unsigned Id : SpawnIds)
    describeSpawn(Id);
}

void DataRaceCheck::describeLoopCallback(unsigned Index) {
  const SourceManager &SM = Ctx->getSourceManager();
  const LoopCallback &C = Model.loopCallbacks()[Index];
  diag(SM.getExpansionLoc(C.Site->getExprLoc()),
       "callback posted here runs on %select{the default event loop|'%1'}0",
       DiagnosticIDs::Note)
      << (C.Executor != nullptr)
      << (C.Executor ? cast<NamedDecl>(C.Executor)->getNameAsString() : "");
}

void DataRaceCheck::describeSpawn(unsigned Id) {
  const SourceManager &SM = Ctx->getSourceManager();
  {
    const SpawnSite &S = Model.spawns()[Id];
    diag(SM.getExpansionLoc(S.Site->getExprLoc()),
         "%select{thread started|thread started|asynchronous task started|job posted to "
         "a thread pool|coroutine moved to a thread pool|parallel work started}0 "
         "here%select{|, again while the earlier one may still run}1",
         DiagnosticIDs::Note)
        << static_cast<unsigned>(S.Kind) << S.SelfParallel;
  }
}

bool DataRaceCheck::atomicFixCompiles(const ValueDecl &D) const {
  const SourceManager &SM = Ctx->getSourceManager();
  const LangOptions &LO = Ctx->getLangOpts();
  QualType T = D.getType();
  if (!LO.CPlusPlus11 || T.isConstQualified() || T.isVolatileQualified() ||
      !(T->isIntegralOrUnscopedEnumerationType() || T->isPointerType()) ||
      T->isBooleanType() || T->isEnumeralType())
    return false;
  const auto *Declarator = dyn_cast<DeclaratorDecl>(&D);
  if (!Declarator || !Declarator->getTypeSourceInfo() ||
      D.getLocation().isMacroID() || !SM.isInMainFile(D.getLocation()) ||
      Declarator->getTypeSourceInfo()->getTypeLoc().getBeginLoc().isMacroID())
    return false;
  if (const auto *V = dyn_cast<VarDecl>(&D)) {
    // One declaration only (no `extern` elsewhere), a declarator of its own.
    if (isa<ParmVarDecl>(V) || V->getPreviousDecl() || V->getMostRecentDecl() != V)
      return false;
  }
  if (const auto *Field = dyn_cast<FieldDecl>(&D)) {
    // An atomic member makes the class non-copyable: no copy may be in use.
    const auto *Record = dyn_cast<CXXRecordDecl>(Field->getParent());
    if (!Record || Record->isUnion() || Field->isBitField())
      return false;
    for (const CXXConstructorDecl *Ctor : Record->ctors())
      if (Ctor->isCopyOrMoveConstructor() && Ctor->isUsed())
        return false;
    for (const CXXMethodDecl *M : Record->methods())
      if ((M->isCopyAssignmentOperator() || M->isMoveAssignmentOperator()) && M->isUsed())
        return false;
  }
  // Another declarator sharing this type (`int a, b;`).
  for (const Decl *Other : D.getDeclContext()->decls())
    if (Other != &D && Other->getBeginLoc() == D.getBeginLoc())
      return false;

  // Every use must be one std::atomic<T> supports with the same spelling: a load, a
  // store, ++, --, or +=, -=, |=, &=, ^=.
  auto AllUses = match(
      traverse(TK_AsIs,
               translationUnitDecl(forEachDescendant(
                   expr(anyOf(declRefExpr(to(valueDecl(equalsNode(&D)))),
                              memberExpr(member(valueDecl(equalsNode(&D))))))
                       .bind("use")))),
      *Ctx);
  for (const BoundNodes &Node : AllUses) {
    const auto *Use = Node.getNodeAs<Expr>("use");
    if (ExprMutationAnalyzer::isUnevaluated(Use, *Ctx))
      continue;
    DynTypedNodeList Parents = Ctx->getParents(*Use);
    if (Parents.empty())
      return false;
    DynTypedNode Parent = Parents[0];
    while (const auto *Paren = Parent.get<ParenExpr>()) {
      DynTypedNodeList Up = Ctx->getParents(*Paren);
      if (Up.empty())
        return false;
      Parent = Up[0];
    }
    if (const auto *Lambda = Parent.get<LambdaExpr>()) {
      // Capturing by reference is fine; a copy of an atomic is not.
      bool ByRef = llvm::any_of(Lambda->captures(), [&](const LambdaCapture &C) {
        return C.capturesVariable() && C.getCapturedVar() == &D &&
               C.getCaptureKind() == LCK_ByRef;
      });
      if (!ByRef)
        return false;
      continue;
    }
    if (const auto *Cast = Parent.get<ImplicitCastExpr>()) {
      if (Cast->getCastKind() != CK_LValueToRValue)
        return false;
      // The loaded value must keep its type: not deduced (`auto y = x;`, templates),
      // not passed through `...`.
      DynTypedNodeList Up = Ctx->getParents(*Cast);
      if (Up.empty())
        continue;
      if (const auto *V = Up[0].get<VarDecl>();
          V && V->getType()->getContainedDeducedType())
        return false;
      if (const auto *Call = Up[0].get<CallExpr>()) {
        const FunctionDecl *Callee = Call->getDirectCallee();
        if (!Callee || Callee->isVariadic() || Callee->getPrimaryTemplate())
          return false;
      }
      if (Up[0].get<CXXConstructExpr>() || Up[0].get<LambdaExpr>())
        return false;
      continue;
    }
    if (const auto *Unary = Parent.get<UnaryOperator>()) {
      if (!Unary->isIncrementDecrementOp())
        return false;
      continue;
    }
    if (const auto *Assign = Parent.get<BinaryOperator>()) {
      if (Assign->getLHS()->IgnoreParens() != Use)
        return false;
      switch (Assign->getOpcode()) {
      case BO_Assign:
      case BO_AddAssign:
      case BO_SubAssign:
        continue;
      case BO_OrAssign:
      case BO_AndAssign:
      case BO_XorAssign:
        if (T->isPointerType())
          return false;
        continue;
      default:
        return false;
      }
    }
    return false;
  }
  return true;
}

void DataRaceCheck::addAtomicFix(DiagnosticBuilder &Diag, const MemoryLocation &Location) {
  const ValueDecl *D = Location.declaration();
  if (!D || !atomicFixCompiles(*D))
    return;
  const SourceManager &SM = Ctx->getSourceManager();
  const auto *Declarator = cast<DeclaratorDecl>(D);
  // From the first type specifier to the end of the declarator's type. The TypeLoc
  // alone misses a leading `const` (`const char *p`); the declaration's start has the
  // storage class (`static int n`), which stays outside the atomic.
  SourceLocation TypeBegin = Declarator->getInnerLocStart();
  const LangOptions &LO = Ctx->getLangOpts();
  while (true) {
    Token Tok;
    if (Lexer::getRawToken(TypeBegin, Tok, SM, LO, /*IgnoreWhiteSpace=*/true))
      return;
    if (!Tok.is(tok::raw_identifier) ||
        !llvm::is_contained({"static", "extern", "inline", "thread_local", "constexpr",
                             "constinit", "mutable"},
                            Tok.getRawIdentifier()))
      break;
    TypeBegin = Lexer::getLocForEndOfToken(Tok.getLocation(), 0, SM, LO);
  }
  Token First;
  if (Lexer::getRawToken(TypeBegin, First, SM, LO, /*IgnoreWhiteSpace=*/true))
    return;
  SourceRange TypeRange(
      First.getLocation(),
      Declarator->getTypeSourceInfo()->getTypeLoc().getSourceRange().getEnd());
  CharSourceRange Range = CharSourceRange::getTokenRange(TypeRange);
  llvm::StringRef Spelling = Lexer::getSourceText(Range, SM, LO);
  if (Spelling.empty())
    return;
  // `int *p` spells its type `int *`: keep a blank before the name.
  SourceLocation AfterType =
      Lexer::getLocForEndOfToken(TypeRange.getEnd(), 0, SM, LO);
  const char *Next = SM.getCharacterData(AfterType);
  std::string Replacement = ("std::atomic<" + Spelling + ">").str();
  if (!isWhitespace(*Next))
    Replacement += " ";
  Diag << FixItHint::CreateReplacement(Range, Replacement);
  if (!IncludesAtomic && !IncludeInserted) {
    IncludeInserted = true;
    SourceLocation Where = FirstInclude.isValid()
                               ? FirstInclude
                               : SM.getLocForStartOfFile(SM.getMainFileID());
    Diag << FixItHint::CreateInsertion(Where, "#include <atomic>\n");
  }
}

} // namespace clang::tidy::untangle
