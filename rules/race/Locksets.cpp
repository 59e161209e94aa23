//===--- Locksets.cpp - locks held and spawns active at each point --------===//

#include "race/Locksets.h"
#include "race/AtomicOrdering.h"
#include "race/ConcurrencyModel.h"
#include "race/KnownTypes.h"
#include "race/LibraryEffects.h"
#include "race/PointerTargets.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"
#include <deque>

namespace clang::tidy::untangle {

namespace {

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

// The channel a call on a file descriptor passes messages through: the variable or
// field the descriptor is kept in, both ends of a pipe alike (`write(fds[1], ..)`,
// `read(fds[0], ..)`); a descriptor in a local (a socket each side opened for itself,
// `connect` on one, `accept` on the other) is taken to be on any connection.
MemoryLocation descriptorChannel(const LocationResolver &R, const Expr *Descriptor) {
  if (Resolution M = resolveOperand(R, Descriptor); M.isShared()) {
    const auto *Variable = dyn_cast_or_null<VarDecl>(M.Location.Root);
    if ((Variable && Variable->hasGlobalStorage()) || (!M.Location.Root && M.Location.Field))
      return MemoryLocation(M.Location.Root, M.Location.Field);
  }
  return MemoryLocation::hidden("pipes and sockets");
}

} // namespace

//===--- Flow analysis -------------------------------------------------------===//

FunctionFlow::FunctionFlow(const FunctionDecl &F, ASTContext &Ctx,
                           const ConcurrencyModel &Model)
    : Model(Model), Ctx(Ctx) {
  if (!F.getBody())
    return;
  CFG::BuildOptions Options;
  // Every subexpression gets an element, so that each access finds its state; implicit
  // destructors are where RAII guards unlock and jthreads join.
  Options.setAllAlwaysAdd();
  Options.AddImplicitDtors = true;
  // A constructor's member initializers run first (`thread_(&C::run, this)`).
  Options.AddInitializers = true;
  Options.AddTemporaryDtors = false;
  Cfg = CFG::buildCFG(&F, F.getBody(), &Ctx, Options);
  if (!Cfg)
    return;
  Parents = std::make_unique<ParentMap>(F.getBody());
  buildLoopExitJoins();
  for (const CFGBlock *B : *Cfg) {
    bool TrueWhenTruthy = true;
    if (const CallExpr *Tested = testedCall(*B, TrueWhenTruthy);
        Tested && (isTryJoin(*Tested) || mayFailToLock(*Tested)))
      TestedCalls.insert(Tested);
  }

  std::vector<FlowState> In(Cfg->getNumBlockIDs());
  In[Cfg->getEntry().getBlockID()].Reached = true;
  if (runsAtomically(F))
    In[Cfg->getEntry().getBlockID()].Locks.push_back(
        {MemoryLocation::criticalSection(), false, nullptr});
  // All of a main that a thread may join comes before that thread's rest.
  if (F.isMain() && !Model.mainThreadHandles(Ctx).empty())
    In[Cfg->getEntry().getBlockID()].Locks.push_back(
        {mainThreadEnd(), false, nullptr, /*AtomicEdge=*/true});
  // A happens-before edge orders what its releasing side did before the release with
  // what its acquiring side does after the acquire. In lockset terms: the releasing
  // function holds the address from its start to the release, the acquiring one from
  // the acquire on, so the two ordered accesses share a "lock" and no other pair does.
  for (const CFGBlock *B : *Cfg)
    for (const CFGElement &E : *B) {
      std::optional<CFGStmt> S = E.getAs<CFGStmt>();
      const auto *Call = S ? dyn_cast<CallExpr>(S->getStmt()) : nullptr;
      const Expr *Address = nullptr;
      if (Call &&
          Model.lockEffect(*Call, Address) == ConcurrencyModel::LockEffect::HappensBefore)
        if (Resolution M = resolveOperand(Model.Resolver, Address); M.isShared())
          In[Cfg->getEntry().getBlockID()].Locks.push_back({M.Location, false, nullptr});
      // So is a message written to a pipe or a socket (race/LibraryEffects.h).
      if (Call && descriptorEdge(*Call) == DescriptorEdge::Release)
        In[Cfg->getEntry().getBlockID()].Locks.push_back(
            {descriptorChannel(Model.Resolver, Call->getArg(0)), false, nullptr,
             /*AtomicEdge=*/true});
      // So is a barrier's wait, up to it (race/Barriers.h).
      if (Call)
        Model.Barriers.enterWaiter(*Call, In[Cfg->getEntry().getBlockID()].Locks);
      // A release store to an atomic is the same edge (race/AtomicOrdering.h).
      if (const Expr *Atomic = S ? releasedAtomic(*S->getStmt(), Ctx) : nullptr)
        if (Resolution M = resolveOperand(Model.Resolver, Atomic); M.isShared())
          In[Cfg->getEntry().getBlockID()].Locks.push_back(
              {M.Location, false, nullptr, /*AtomicEdge=*/true});
    }
  std::deque<const CFGBlock *> Work{&Cfg->getEntry()};
  llvm::DenseSet<const CFGBlock *> Queued{&Cfg->getEntry()};
  auto Propagate = [&](const CFGBlock &B, FlowState State, bool Record) {
    for (const CFGElement &E : B) {
      const llvm::SmallVector<unsigned, 2> WasActive = State.Active;
      const size_t WasJoined = State.Joined.size();
      transfer(E, State, Record);
      noteEnded(WasActive, WasJoined, State);
      if (endsPath(E))
        return;
    }
    const Stmt *Terminator = B.getTerminatorStmt();
    auto Exits = Terminator ? LoopExitJoins.find(Terminator) : LoopExitJoins.end();
    const std::optional<std::pair<MemoryLocation, unsigned>> TryLock = tryLockBranch(B);
    const std::optional<std::pair<const Decl *, unsigned>> TryJoin = tryJoinBranch(B);
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B.succs()) {
      const unsigned ThisIndex = Index++;
      if (!Succ.getReachableBlock() || Record)
        continue;
      FlowState Out = State;
      const llvm::SmallVector<unsigned, 2> WasActive = Out.Active;
      const size_t WasJoined = Out.Joined.size();
      if (TryLock && TryLock->second == ThisIndex)
        Out.Locks.push_back({TryLock->first, false, nullptr});
      if (TryJoin && TryJoin->second == ThisIndex)
        Out.joinHandle(TryJoin->first, Model);
      if (Exits != LoopExitJoins.end() && ThisIndex == 1)
        for (const auto &[Handle, Elements] : Exits->second)
          Out.joinHandle(Handle, Model, Elements);
      noteEnded(WasActive, WasJoined, Out); // before a branch drops a thread never started
      if (!applyBranch(B, ThisIndex, Out))
        continue;
      // Leaving a loop that spins on an acquire load: the other end of the edge.
      if (ThisIndex == 1 && Terminator && isLoopStmt(Terminator))
        if (const auto *Cond = dyn_cast_or_null<Expr>(B.getTerminatorCondition()))
          if (const Expr *Atomic = acquiredAtomic(*Cond, Ctx))
            if (Resolution M = resolveOperand(Model.Resolver, Atomic); M.isShared())
              Out.Locks.push_back({M.Location, false, nullptr, /*AtomicEdge=*/true});
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
      if (!Call)
        continue;
      for (const Stmt *P = Parents->getParent(Call); P; P = Parents->getParent(P))
        if (isLoopStmt(P)) {
          // `for (auto &t : threads) t.join();` joins `threads`, not `t`; so does
          // `for (...) os_thread_wait(&threads[i]);` through the helper.
          for (const Decl *Handle : joinedHandles(*Call))
            LoopExitJoins[P].push_back({Handle, joinedElements(*Call)});
          break;
        }
    }
}

void FunctionFlow::transfer(const CFGElement &E, FlowState &State, bool Record) {
  auto Release = [&](const MemoryLocation &M) {
    // A lock taken twice (a recursive mutex; a plain one would have deadlocked) is
    // still held after the first of its two releases. Only a lock that names one
    // object: `m[i]` and `m[j]` may be two locks (and `m[k]` either), `a->mu` and
    // `b->mu` too.
    auto TakenExplicitly = [&](const HeldLock &L) {
      return L.Mutex == M && !L.Guard && !L.creationEdge() && !L.AtomicEdge;
    };
    const bool OneObject = isa_and_nonnull<VarDecl>(M.Root) && !M.Pointee && !M.Heap &&
                           M.HiddenState.empty() &&
                           (M.Element >= 0 || !M.Root->getType()->isArrayType());
    if (OneObject && llvm::count_if(State.Locks, TakenExplicitly) > 1) {
      State.Locks.erase(llvm::find_if(llvm::reverse(State.Locks), TakenExplicitly).base() - 1);
      return;
    }
    llvm::erase_if(State.Locks,
                   [&](const HeldLock &L) { return !L.Acquired && L.Mutex.mayAlias(M); });
    llvm::erase_if(State.CondLocks, [&](const auto &C) { return C.first.Mutex.mayAlias(M); });
  };
  // Taking a lock: held, and acquired (for the edge of a creation under it).
  auto Acquire = [&](const MemoryLocation &M, bool Shared, const VarDecl *Guard) {
    State.Locks.push_back({M, Shared, Guard});
    HeldLock Taken{M, false, nullptr};
    Taken.Acquired = true;
    if (!llvm::is_contained(State.Locks, Taken))
      State.Locks.push_back(Taken);
  };
  auto ReleaseGuard = [&](const VarDecl *Guard) {
    llvm::erase_if(State.Locks, [&](const HeldLock &L) { return L.Guard == Guard; });
  };
  auto Join = [&](const Decl *Handle) { State.joinHandle(Handle, Model); };

  if (std::optional<CFGAutomaticObjDtor> Dtor = E.getAs<CFGAutomaticObjDtor>()) {
    // A guard unlocks, a jthread / std::async future / pool joins as it leaves scope;
    // an object whose destructor joins its worker (`~Worker() { stop(); }`) too.
    ReleaseGuard(Dtor->getVarDecl());
    Join(Dtor->getVarDecl());
    if (!State.Active.empty())
      if (const CXXDestructorDecl *D = Dtor->getDestructorDecl(Ctx))
        for (const Decl *Handle : Model.handlesJoinedBy(*D))
          Join(Handle);
    return;
  }
  std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
  if (!CS)
    return;
  const Stmt *S = CS->getStmt();
  if (Record)
    Before.try_emplace(S, State);
  if (const Expr *Atomic = releasedAtomic(*S, Ctx))
    if (Resolution M = resolveOperand(Model.Resolver, Atomic); M.isShared())
      llvm::erase_if(State.Locks, [&](const HeldLock &L) {
        return L.AtomicEdge && L.Mutex.mayAlias(M.Location);
      });

  for (const unsigned SpawnId : Model.spawnsAt(S)) {
    const unsigned *Id = &SpawnId;
    const SpawnSite &Spawn = Model.spawns()[*Id];
    if (Spawn.Kind == SpawnKind::PoolHop) {
      State.HopSpawn = *Id;
      continue;
    }
    // It runs under what is known here, and only if the call returned what it does
    // then (0 for a pthread).
    FactList Guard = State.Facts;
    if (std::optional<bool> Result = Spawn.resultWhileRunning())
      if (std::optional<Fact> Started = factOf(Spawn.Site, *Result, Ctx, StatusCall))
        addFact(Guard, *Started, Model.MaxPathFacts);
    // The locks held here, held on without a break since this start.
    for (const HeldLock &L : llvm::to_vector(State.Locks))
      if (!L.AtomicEdge && !L.creationEdge() && !L.Shared) {
        HeldLock Since = L;
        Since.SinceSpawn = static_cast<int>(*Id);
        if (!llvm::is_contained(State.Locks, Since))
          State.Locks.push_back(Since);
      }
    if (!llvm::is_contained(State.Started, *Id)) {
      State.Started.push_back(*Id);
      llvm::sort(State.Started);
    }
    if (!llvm::is_contained(State.Active, *Id)) {
      State.Active.push_back(*Id);
      llvm::sort(State.Active);
      if (!Guard.empty())
        State.Guards.push_back({*Id, std::move(Guard)});
    } else if (FactList *Old = State.guardOf(*Id)) {
      intersectFacts(*Old, Guard);
    }
  }
  if (!Model.spawnsAt(S).empty())
    return;
  applyWrites(*S, State);

  if (const auto *Decls = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : Decls->decls())
      if (const auto *Static = dyn_cast<VarDecl>(D);
          Static && guardsInitialization(*Static, Ctx)) {
        HeldLock Passed{MemoryLocation(Static, nullptr), false, nullptr};
        Passed.StaticInit = HeldLock::AfterDeclaration;
        State.Locks.push_back(Passed);
      }
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
      if (!isLockGuardType(Guard->getType(), SharedGuard))
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
          Acquire(M, SharedGuard, Guard);
        }
      }
    }
    return;
  }

  const auto *Call = dyn_cast<CallExpr>(S);
  if (!Call)
    return;
  if (const DescriptorEdge Edge = descriptorEdge(*Call); Edge != DescriptorEdge::None) {
    const MemoryLocation Channel = descriptorChannel(Model.Resolver, Call->getArg(0));
    if (Edge == DescriptorEdge::Release)
      llvm::erase_if(State.Locks, [&](const HeldLock &L) {
        return L.AtomicEdge && L.Mutex.mayAlias(Channel);
      });
    else
      State.Locks.push_back({Channel, false, nullptr, /*AtomicEdge=*/true});
    return;
  }
  // After a once-call returns, its routine has run (here or in another context).
  const Expr *OnceRoutine = nullptr;
  if (const Expr *Flag = onceFlag(*Call, OnceRoutine)) {
    if (Resolution Once = resolveOperand(Model.Resolver, Flag); Once.isShared()) {
      HeldLock Passed{Once.Location, false, nullptr};
      Passed.StaticInit = HeldLock::AfterDeclaration;
      if (!llvm::is_contained(State.Locks, Passed))
        State.Locks.push_back(Passed);
    }
    return;
  }
  if (Model.Barriers.applyWait(*Call, State))
    return;
  if (isTryJoin(*Call)) {
    if (joinsUnlessTested(*Call) && !TestedCalls.contains(Call))
      Join(designatedDecl(Call->getArg(0)));
    return;
  }
  const Expr *MutexExpr = nullptr;
  const ConcurrencyModel::LockEffect Effect = Model.lockEffect(*Call, MutexExpr);
  switch (Effect) {
  case ConcurrencyModel::LockEffect::Acquire:
    if (TestedCalls.contains(Call)) // held on its success branch: tryLockBranch
      return;
    [[fallthrough]];
  case ConcurrencyModel::LockEffect::AcquireShared:
  case ConcurrencyModel::LockEffect::HappensAfter:
    if (Resolution M = resolveOperand(Model.Resolver, MutexExpr); M.isShared()) {
      if (Effect == ConcurrencyModel::LockEffect::HappensAfter)
        State.Locks.push_back({M.Location, false, nullptr});
      else
        Acquire(M.Location, Effect == ConcurrencyModel::LockEffect::AcquireShared, nullptr);
    }
    return;
  case ConcurrencyModel::LockEffect::Release:
  case ConcurrencyModel::LockEffect::HappensBefore: {
    const Resolution M = resolveOperand(Model.Resolver, MutexExpr);
    if (M.isShared())
      Release(M.Location);
    // A lock not known (`unlock(p)`, p pointing anywhere) may end the critical section
    // a thread was created in: no creation edge stays open.
    if (const ValueDecl *D = M.Location.declaration(); !D || D->getType()->isPointerType())
      llvm::erase_if(State.Locks, [](const HeldLock &L) { return L.SinceSpawn >= 0; });
    // A pointer that may hold one of several locks (`if (i) m = &b;`) releases
    // whichever it holds: none of them is surely held after it.
    if (const ValueDecl *Place = PointerTargets::placeOf(MutexExpr);
        Place && Model.Resolver.Pointers)
      for (const VarDecl *Object : Model.Resolver.Pointers->objectsOf(Place))
        Release(MemoryLocation(Object, nullptr));
    return;
  }
  case ConcurrencyModel::LockEffect::AcquireAll:
    for (const Expr *Arg : Call->arguments())
      if (Resolution M = resolveOperand(Model.Resolver, Arg); M.isShared())
        State.Locks.push_back({M.Location, false, nullptr});
    return;
  case ConcurrencyModel::LockEffect::TryAcquire: // held on one branch: tryLockBranch
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
        isLockGuardType(Guard->getType(), SharedGuard)) {
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

  // A join, or a call of a function that joins (`stop()`, `os_thread_wait(&t)`):
  // of a spawn running here, or of one a caller started (Joined).
  const bool DirectJoin = Model.joinedHandle(*Call) != nullptr;
  const llvm::SmallVector<const Decl *, 2> Handles = joinedHandles(*Call);
  // Joining main: what follows comes after all of main (race/MainThreadJoins.cpp).
  const HeldLock AfterMain{mainThreadEnd(), /*Shared=*/true, nullptr, /*AtomicEdge=*/true};
  if (llvm::any_of(Handles, [&](const Decl *H) {
        return llvm::is_contained(Model.mainThreadHandles(Ctx), H);
      }) && !llvm::is_contained(State.Locks, AfterMain))
    State.Locks.push_back(AfterMain);
  const Stmt *Loop = nullptr;
  const bool OneElement = !Handles.empty() && joinsOneElement(*Call, Loop);
  for (const Decl *Handle : Handles) {
    if (!OneElement) {
      State.joinHandle(Handle, Model, joinedElements(*Call)); // `join(t[0])`: t[0] only
      continue;
    }
    // One element per iteration: only a thread started in this same loop is surely
    // the one joined (`for (...) { create(&t[i]); join(t[i]); }`).
    for (unsigned Id : llvm::to_vector(State.Active)) {
      const SpawnSite &Spawn = Model.spawns()[Id];
      bool StartedInLoop = false;
      for (const Stmt *P = Spawn.Site; P && !StartedInLoop; P = Parents->getParent(P))
        StartedInLoop = P == Loop;
      if (Spawn.Handle == Handle && StartedInLoop)
        State.dropSpawn(Id);
    }
  }
  if (DirectJoin)
    return;
  // A lock helper: what it leaves locked stays locked in the caller (a parameter it
  // locks is what the call passes).
  if (const FunctionDecl *Callee = Call->getDirectCallee()) {
    const ConcurrencyModel::LockHelperEffect &Helper = Model.lockHelperEffect(*Callee);
    auto InCaller = [&](const Expr *Mutex) -> const Expr * {
      // `this` of a member that locks its own object: the object it is called on.
      if (isa<CXXThisExpr>(Mutex->IgnoreParenImpCasts())) {
        const auto *Member = dyn_cast<CXXMemberCallExpr>(Call);
        return Member ? Member->getImplicitObjectArgument() : nullptr;
      }
      const auto *Param = dyn_cast_or_null<ParmVarDecl>(designatedDecl(Mutex));
      if (!Param)
        return Mutex;
      const unsigned Index = Param->getFunctionScopeIndex();
      return Index < Call->getNumArgs() ? Call->getArg(Index) : nullptr;
    };
    for (const Expr *Mutex : Helper.Acquires)
      if (const Expr *E = InCaller(Mutex))
        if (Resolution M = resolveOperand(Model.Resolver, E); M.isShared())
          Acquire(M.Location, false, nullptr);
    for (const Expr *Mutex : Helper.Releases)
      if (const Expr *E = InCaller(Mutex))
        if (Resolution M = resolveOperand(Model.Resolver, E); M.isShared())
          Release(M.Location);
  }
  if (const Decl *Group = Model.waitedGroup(*Call)) {
    for (unsigned Id : llvm::to_vector(State.Active)) {
      const SpawnSite &Spawn = Model.spawns()[Id];
      if (Spawn.Body && Spawn.Body->getBody() && mentions(Spawn.Body->getBody(), Group))
        State.dropSpawn(Id);
    }
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
