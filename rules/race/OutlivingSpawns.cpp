//===--- OutlivingSpawns.cpp - threads that outlive their spawner ---------===//
//
// The most common shape of a thread in a real class: `start()` starts a worker on
// `this` and returns, `stop()` (or the destructor) joins it later. Seen from `start()`
// alone the worker escapes, and nothing its callers do between `start()` and `stop()`
// looked parallel to it. So a spawn still running when its spawner returns is lifted
// to each caller: the call is a spawn site there, the body's `this` and parameters are
// bound to what that call passes, and its handle is the member or global it was stored
// in, the caller's variable a returned thread is stored in, or the caller's argument
// for a handle parameter. The caller's own flow then ends it where a callee joins that
// handle (ConcurrencyModel::handlesJoinedBy). Lifting goes up MaxCallDepth callers.
//
//===----------------------------------------------------------------------===//

#include "race/DataRaceCheck.h"
#include "race/KnownTypes.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "race/UserCodeParents.h"

namespace clang::tidy::untangle {

namespace {

struct CallSite {
  const Expr *Call; ///< A CallExpr or, for a constructor, a CXXConstructExpr.
  const FunctionDecl *Caller;
};

/// The calls of the given functions in code whose findings are shown.
class CallSiteFinder : public UserCodeVisitor<CallSiteFinder> {
public:
  CallSiteFinder(const llvm::SmallPtrSetImpl<const FunctionDecl *> &Targets,
                 const SourceManager &SM)
      : UserCodeVisitor(SM), Targets(Targets) {}

  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<CallSite, 2>> Sites;

  bool shouldVisitLambdaBody() const { return true; }
  bool TraverseDecl(Decl *D) {
    const auto *F = dyn_cast_or_null<FunctionDecl>(D);
    if (F && F->isDependentContext())
      return true;
    if (F)
      Functions.push_back(F);
    bool Continue = UserCodeVisitor::TraverseDecl(D);
    if (F)
      Functions.pop_back();
    return Continue;
  }
  bool TraverseLambdaExpr(LambdaExpr *L) {
    Functions.push_back(L->getCallOperator());
    bool Continue = RecursiveASTVisitor::TraverseLambdaExpr(L);
    Functions.pop_back();
    return Continue;
  }
  bool VisitCallExpr(CallExpr *Call) {
    record(Call->getDirectCallee(), Call);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *Construct) {
    record(Construct->getConstructor(), Construct);
    return true;
  }

private:
  void record(const FunctionDecl *Callee, const Expr *Call) {
    if (!Callee || Functions.empty())
      return;
    const FunctionDecl *Definition = nullptr;
    if (Callee->hasBody(Definition) && Targets.count(Definition) &&
        Functions.back() != Definition)
      Sites[Definition].push_back({Call, Functions.back()});
  }

  const llvm::SmallPtrSetImpl<const FunctionDecl *> &Targets;
  llvm::SmallVector<const FunctionDecl *, 4> Functions;
};

// The variable a constructor call initializes (`Worker w;`), if any.
const VarDecl *constructedVariable(const Expr &Construct, ASTContext &Ctx) {
  DynTypedNodeList Parents = Ctx.getParents(Construct);
  return Parents.empty() ? nullptr : Parents[0].get<VarDecl>();
}

// A spawn helper that hands its thread back through an out-parameter
// (`create(fn, arg, &handle)`): the pointer parameter it stores the handle through,
// directly (`*out = tid;`) or inside an object it stores there
// (`w->tid = tid; *out = w;`). Null if it stores it nowhere a caller sees.
const ParmVarDecl *handleOutParameter(const FunctionDecl &Spawner, const Decl *Handle) {
  const auto *Local = dyn_cast_or_null<VarDecl>(Handle);
  if (!Local || !Local->hasLocalStorage() || !Spawner.getBody())
    return nullptr;
  struct Finder : RecursiveASTVisitor<Finder> {
    const FunctionDecl &Spawner;
    const VarDecl &Handle;
    /// Objects a field of which was given the handle (`w` of `w->tid = tid`).
    llvm::SmallPtrSet<const VarDecl *, 2> Holders;
    /// `*out = v`: the out-parameter and the variable stored through it.
    llvm::SmallVector<std::pair<const ParmVarDecl *, const VarDecl *>, 2> Published;
    Finder(const FunctionDecl &Spawner, const VarDecl &Handle)
        : Spawner(Spawner), Handle(Handle) {}
    bool VisitBinaryOperator(BinaryOperator *Assign) {
      if (Assign->getOpcode() != BO_Assign)
        return true;
      const Expr *LHS = stripImplicit(Assign->getLHS());
      const auto *Stored = dyn_cast<DeclRefExpr>(stripImplicit(Assign->getRHS()));
      const auto *Value = Stored ? dyn_cast<VarDecl>(Stored->getDecl()) : nullptr;
      if (!Value)
        return true;
      const auto *Deref = dyn_cast<UnaryOperator>(LHS);
      const auto *Out = dyn_cast_or_null<ParmVarDecl>(pathRoot(LHS));
      if (Out && Out->getDeclContext() == &Spawner &&
          (isa<ArraySubscriptExpr>(LHS) || (Deref && Deref->getOpcode() == UO_Deref)))
        Published.push_back({Out, Value});
      else if (Value == &Handle && isa<MemberExpr>(LHS))
        if (const VarDecl *Holder = pathRoot(LHS))
          Holders.insert(Holder);
      return true;
    }
  } Find(Spawner, *Local);
  Find.TraverseStmt(Spawner.getBody());
  for (const auto &[Out, Value] : Find.Published)
    if (Value == Local || Find.Holders.count(Value))
      return Out;
  return nullptr;
}

// What \p Spawner returns wherever spawn \p Id may still run: a constant (`return 0;`
// after starting it, while the path that did not returns -1), or what the start call
// returned (`return pthread_create(..);`). Unset if a return differs or is unknown.
std::optional<bool> resultWhileRunning(const FunctionDecl &Spawner, unsigned Id,
                                       ConcurrencyModel &Model, ASTContext &Ctx) {
  struct Returns : RecursiveASTVisitor<Returns> {
    llvm::SmallVector<const ReturnStmt *, 4> Found;
    bool VisitReturnStmt(ReturnStmt *R) {
      Found.push_back(R);
      return true;
    }
    bool TraverseLambdaExpr(LambdaExpr *) { return true; } // another function's
  } R;
  R.TraverseStmt(Spawner.getBody());
  const FunctionFlow &Flow = Model.flowOf(Spawner, Ctx);
  std::optional<bool> Result;
  for (const ReturnStmt *Ret : R.Found) {
    const FlowState *State = Flow.stateBefore(Ret);
    if (!State || !llvm::is_contained(State->Active, Id))
      continue;
    const Expr *Value = Ret->getRetValue();
    if (!Value)
      return std::nullopt;
    std::optional<bool> Truth = constantTruth(Value, Ctx);
    if (!Truth && llvm::is_contained(Model.spawnsAt(Value->IgnoreParenImpCasts()), Id))
      Truth = Model.spawns()[Id].resultWhileRunning();
    if (!Truth || (Result && *Result != *Truth))
      return std::nullopt;
    Result = Truth;
  }
  return Result;
}

bool liftable(const SpawnSite &S) {
  // A lambda is not called by name; a pool job or a hop is the pool's.
  return S.Escapes && S.Spawner && (S.Body || S.CallableParam) &&
         !(isa<CXXMethodDecl>(S.Spawner) &&
           cast<CXXMethodDecl>(S.Spawner)->getParent()->isLambda()) &&
         (S.Kind == SpawnKind::Thread || S.Kind == SpawnKind::PThread ||
          S.Kind == SpawnKind::Async || S.Kind == SpawnKind::Custom);
}

} // namespace

void DataRaceCheck::liftEscapingSpawns() {
  llvm::SmallVector<unsigned, 4> Pending;
  llvm::SmallPtrSet<const FunctionDecl *, 4> Spawners;
  for (const auto &[Id, S] : llvm::enumerate(Model.spawns()))
    if (liftable(S)) {
      Pending.push_back(Id);
      Spawners.insert(S.Spawner);
    }
  if (Pending.empty())
    return;
  const SourceManager &SM = Ctx->getSourceManager();
  for (unsigned Level = 0; Level < MaxCallDepth && !Pending.empty(); ++Level) {
    CallSiteFinder Finder(Spawners, SM);
    Finder.TraverseDecl(Ctx->getTranslationUnitDecl());
    const size_t Before = Model.spawns().size();
    for (unsigned Id : Pending) {
      auto Sites = Finder.Sites.find(Model.spawns()[Id].Spawner);
      if (Sites == Finder.Sites.end())
        continue;
      for (const CallSite &Site : Sites->second) {
        if (!Scope.contains(Site.Call->getBeginLoc(), SM))
          continue;
        if (std::optional<SpawnSite> Lifted = liftSpawn(Id, *Site.Call, *Site.Caller))
          Model.addSpawn(std::move(*Lifted));
      }
    }
    if (Model.spawns().size() == Before)
      break;
    // The callers' flows change: recompute every flow with the new spawn sites.
    Model.clearFlows();
    computeSpawnFacts();
    Pending.clear();
    Spawners.clear();
    for (size_t Id = Before; Id < Model.spawns().size(); ++Id)
      if (liftable(Model.spawns()[Id])) {
        Pending.push_back(Id);
        Spawners.insert(Model.spawns()[Id].Spawner);
      }
  }
}

std::optional<SpawnSite> DataRaceCheck::liftSpawn(unsigned Id, const Expr &Call,
                                                  const FunctionDecl &Caller) {
  const SpawnSite &S = Model.spawns()[Id];
  llvm::SmallVector<const Expr *, 4> Args;
  Environment CallerEnv;
  CallerEnv.Entry = &Caller;
  CallerEnv.Current = &Caller;
  Environment SpawnerEnv;
  SpawnerEnv.Entry = S.Spawner;
  SpawnerEnv.Current = S.Spawner;
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call)) {
    const Expr *Object = Member->getImplicitObjectArgument();
    SpawnerEnv.This = Object->getType()->isPointerType()
                          ? Model.Resolver.pointee(Object, CallerEnv)
                          : Model.Resolver.lvalue(Object, CallerEnv);
    Args.append(Member->arg_begin(), Member->arg_end());
  } else if (const auto *Construct = dyn_cast<CXXConstructExpr>(&Call)) {
    if (const VarDecl *V = constructedVariable(Call, *Ctx))
      SpawnerEnv.This = Resolution::shared({V, nullptr}, false);
    Args.append(Construct->arg_begin(), Construct->arg_end());
  } else if (const auto *Plain = dyn_cast<CallExpr>(&Call)) {
    Args.append(Plain->arg_begin(), Plain->arg_end());
  }
  for (const auto &[Index, Arg] : llvm::enumerate(Args)) {
    if (Index >= S.Spawner->getNumParams())
      break;
    const ParmVarDecl *Param = S.Spawner->getParamDecl(Index);
    if (Param->getType()->isReferenceType())
      SpawnerEnv.Params[Param] = Model.Resolver.lvalue(Arg, CallerEnv);
    else if (Param->getType()->isFunctionPointerType()) {
      // `start_task(handle, ..)`, `start_task(&handle, ..)`: the start routine.
      const Expr *Target = Arg->IgnoreParenImpCasts();
      if (const auto *AddrOf = dyn_cast<UnaryOperator>(Target);
          AddrOf && AddrOf->getOpcode() == UO_AddrOf)
        Target = AddrOf->getSubExpr()->IgnoreParenImpCasts();
      if (const auto *Ref = dyn_cast<DeclRefExpr>(Target))
        if (const auto *F = dyn_cast<FunctionDecl>(Ref->getDecl()))
          SpawnerEnv.Functions[Param] = F;
    } else if (Param->getType()->isPointerType()) {
      Resolution Pointee = Model.Resolver.pointee(Arg, CallerEnv);
      // `os_thread_start(&t[i], run, &jobs[i])` in a loop: each thread its own job.
      if (Pointee.TheKind == Resolution::Kind::Unknown)
        Pointee = Model.Resolver.elementPerIteration(Arg, Call, *Ctx, CallerEnv);
      SpawnerEnv.Params[Param] = Pointee;
    }
  }
  // A direct spawn is classified again with the caller's bindings; one lifted before
  // keeps the bindings it was lifted with.
  std::optional<SpawnSite> Lifted =
      S.LiftedFrom < 0 ? Model.classifySpawn(*S.Site, *Ctx, &SpawnerEnv) : S;
  if (!Lifted || !Lifted->Body)
    return std::nullopt;
  Lifted->Kind = S.Kind;
  Lifted->Site = &Call;
  Lifted->Spawner = &Caller;
  Lifted->LiftedFrom = static_cast<int>(Id);
  Lifted->ActiveAtSpawn.clear();
  Lifted->SelfParallel = Lifted->Escapes = false;
  Lifted->ReturnsTruthy = resultWhileRunning(*S.Spawner, Id, Model, *Ctx);
  // The handle, as the caller names it.
  const Decl *Handle = S.Handle;
  if (const auto *Param = dyn_cast_or_null<ParmVarDecl>(Handle)) {
    const unsigned Index = Param->getFunctionScopeIndex();
    Handle = Index < Args.size() ? designatedDecl(Args[Index]) : nullptr;
  } else if (const ParmVarDecl *Out = handleOutParameter(*S.Spawner, Handle)) {
    // Handed back through `&handle`: the caller's variable is the handle.
    const unsigned Index = Out->getFunctionScopeIndex();
    Handle = Index < Args.size() ? designatedDecl(Args[Index]) : nullptr;
  } else if (const auto *Local = dyn_cast_or_null<VarDecl>(Handle);
             !Handle || (Local && Local->hasLocalStorage())) {
    Handle = Model.handleOf(Call, *Ctx); // a returned thread
  }
  Lifted->Handle = Handle;
  return Lifted;
}

} // namespace clang::tidy::untangle
