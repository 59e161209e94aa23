//===--- SpawnPaths.cpp - which spawns a path carries ---------------------===//
//
// The spawn half of the flow analysis (race/Locksets.h) where it depends on the path:
// how two paths' states merge (a spawn running on one path only, a creation edge
// that holds vacuously where its spawn does not run),
// the facts a branch or a store establishes (race/PathFacts.h) and which spawns they
// rule out, an empty handle that no thread runs behind, which handles a call joins
// (itself or through a helper), a join of one element of a collection per loop
// iteration, and joins of some elements of an array of threads, which end a thread
// once the elements joined add up to those it was stored into (race/ElementRanges.h).
// Also the locks that depend on the path: one taken under a condition and held where
// the condition holds again, and those a `longjmp` carries back to `setjmp`.
//
//===----------------------------------------------------------------------===//

#include "race/ConcurrencyModel.h"
#include "race/KnownTypes.h"
#include "race/Locksets.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"
#include <tuple>

namespace clang::tidy::untangle {

FactList *FlowState::guardOf(unsigned Id) {
  for (auto &[GuardId, Guard] : Guards)
    if (GuardId == Id)
      return &Guard;
  return nullptr;
}

void FlowState::dropSpawn(unsigned Id) {
  llvm::erase(Active, Id);
  llvm::erase_if(Guards, [&](const auto &G) { return G.first == Id; });
  llvm::erase_if(PartlyJoined, [&](const auto &P) { return P.first == Id; });
}

void FlowState::joinHandle(const Decl *Handle, const ConcurrencyModel &Model,
                           std::optional<ElementRange> Elements) {
  if (!Handle)
    return;
  for (unsigned Id : llvm::to_vector(Active)) {
    const SpawnSite &Spawn = Model.spawns()[Id];
    if (Spawn.Handle != Handle)
      continue;
    if (covers(Elements, Spawn.Elements)) {
      dropSpawn(Id);
      continue;
    }
    // Part of its range (`join(t[0]); join(t[1]);` of threads created in a loop):
    // it ends when the parts joined so far leave no element out.
    if (!llvm::is_contained(PartlyJoined, std::make_pair(Id, *Elements)))
      PartlyJoined.push_back({Id, *Elements});
    llvm::SmallVector<ElementRange, 4> Parts;
    for (const auto &[PartOf, Part] : PartlyJoined)
      if (PartOf == Id)
        Parts.push_back(Part);
    llvm::sort(Parts, [](const ElementRange &A, const ElementRange &B) { return A.Low < B.Low; });
    std::int64_t JoinedUpTo = Spawn.Elements->Low;
    for (const ElementRange &Part : Parts)
      if (Part.Low <= JoinedUpTo)
        JoinedUpTo = std::max(JoinedUpTo, Part.High);
    if (JoinedUpTo >= Spawn.Elements->High)
      dropSpawn(Id);
  }
  // Joined keeps whole handles; a callee joining some elements is taken to join all.
  if (!llvm::is_contained(Joined, Handle))
    Joined.push_back(Handle);
}

void FlowState::join(const FlowState &O) {
  if (!O.Reached)
    return;
  if (!Reached) {
    *this = O;
    return;
  }
  // "Where F holds, L is held" survives a merge if it holds on both paths: said
  // there, or L held there, or F contradicted there (`if (c) lock(m);` merges a path
  // holding m where c is true with one where c is false).
  auto Implies = [](const FlowState &S, const HeldLock &L, const Fact &F) {
    return llvm::is_contained(S.Locks, L) || contradicts(S.Facts, F) ||
           llvm::is_contained(S.CondLocks, std::make_pair(L, F));
  };
  llvm::SmallVector<std::pair<HeldLock, Fact>, 0> MergedCondLocks;
  auto Keep = [&](const HeldLock &L, const Fact &F) {
    if (Implies(*this, L, F) && Implies(O, L, F) &&
        !llvm::is_contained(MergedCondLocks, std::make_pair(L, F)))
      MergedCondLocks.push_back({L, F});
  };
  for (const FlowState *S : {static_cast<const FlowState *>(this), &O}) {
    for (const auto &[L, F] : S->CondLocks)
      Keep(L, F);
    for (const HeldLock &L : S->Locks)
      if (!L.Guard && !L.creationEdge() && !L.AtomicEdge)
        for (const Fact &F : S->Facts)
          Keep(L, F);
  }
  // A creation edge of a spawn not running on the other path holds there vacuously:
  // `lock(m); if (c) create(t); x = 1;` orders x's write before t's acquire of m.
  auto Vacuous = [](const HeldLock &L, const FlowState &Other) {
    return L.SinceSpawn >= 0 && !llvm::is_contained(Other.Active, L.SinceSpawn);
  };
  llvm::erase_if(Locks, [&](const HeldLock &L) {
    return !llvm::is_contained(O.Locks, L) && !Vacuous(L, O);
  });
  // A lock taken twice on one path and once on the other is held once after both.
  for (size_t I = Locks.size(); I-- > 0;) {
    const HeldLock &L = Locks[I];
    if (!Vacuous(L, O) &&
        llvm::count(llvm::ArrayRef(Locks).take_front(I + 1), L) > llvm::count(O.Locks, L))
      Locks.erase(Locks.begin() + I);
  }
  for (const HeldLock &L : O.Locks)
    if (Vacuous(L, *this) && !llvm::is_contained(Locks, L))
      Locks.push_back(L);
  // A spawn running on both paths keeps what both know of how it started; one running
  // on one path only keeps that path's guard.
  llvm::SmallVector<std::pair<unsigned, FactList>, 1> MergedGuards;
  for (const auto &[Id, Guard] : Guards)
    if (!llvm::is_contained(O.Active, Id)) {
      MergedGuards.push_back({Id, Guard});
    } else if (const FactList *Other = O.guardOf(Id)) {
      FactList Both = Guard;
      intersectFacts(Both, *Other);
      if (!Both.empty())
        MergedGuards.push_back({Id, std::move(Both)});
    }
  for (const auto &[Id, Guard] : O.Guards)
    if (!llvm::is_contained(Active, Id))
      MergedGuards.push_back({Id, Guard});
  Guards = std::move(MergedGuards);
  // Elements joined on both paths, or on the only one the spawn runs on.
  llvm::erase_if(PartlyJoined, [&](const auto &P) {
    return llvm::is_contained(O.Active, P.first) && !llvm::is_contained(O.PartlyJoined, P);
  });
  for (const auto &P : O.PartlyJoined)
    if (!llvm::is_contained(Active, P.first) && !llvm::is_contained(PartlyJoined, P))
      PartlyJoined.push_back(P);
  llvm::sort(PartlyJoined, [](const auto &A, const auto &B) {
    return std::tie(A.first, A.second.Low, A.second.High) <
           std::tie(B.first, B.second.Low, B.second.High);
  });
  intersectFacts(Facts, O.Facts);
  llvm::erase_if(MergedCondLocks, [&](const auto &C) {
    return llvm::is_contained(Locks, C.first) || contradicts(Facts, C.second);
  });
  CondLocks = std::move(MergedCondLocks);
  llvm::erase_if(Joined, [&](const Decl *H) { return !llvm::is_contained(O.Joined, H); });
  for (unsigned Id : O.Active)
    if (!llvm::is_contained(Active, Id))
      Active.push_back(Id);
  llvm::sort(Active);
  for (unsigned Id : O.Started)
    if (!llvm::is_contained(Started, Id))
      Started.push_back(Id);
  llvm::sort(Started);
  HopSpawn = std::max(HopSpawn, O.HopSpawn);
}

bool ConcurrencyModel::neverReturns(const FunctionDecl &F) const {
  const FunctionDecl *Definition = nullptr;
  if (!F.hasBody(Definition) || Definition->isDependentContext() ||
      (isa<CXXMethodDecl>(Definition) && cast<CXXMethodDecl>(Definition)->isVirtual()))
    return false;
  auto [It, New] = NeverReturns.try_emplace(Definition, false);
  if (!New)
    return It->second;
  std::unique_ptr<CFG> Cfg = CFG::buildCFG(Definition, Definition->getBody(),
                                           &Definition->getASTContext(), CFG::BuildOptions());
  if (!Cfg)
    return false;
  // clang's CFG ends a path at a noreturn call with an edge to the exit: the body
  // returns if a block reached from the entry gets there otherwise (an infinite loop
  // does not get there at all).
  llvm::SmallPtrSet<const CFGBlock *, 16> Reached{&Cfg->getEntry()};
  llvm::SmallVector<const CFGBlock *, 16> Work{&Cfg->getEntry()};
  while (!Work.empty())
    for (const CFGBlock::AdjacentBlock &Succ : Work.pop_back_val()->succs())
      if (const CFGBlock *Next = Succ.getReachableBlock(); Next && Reached.insert(Next).second)
        Work.push_back(Next);
  It->second = llvm::none_of(Cfg->getExit().preds(), [&](const CFGBlock::AdjacentBlock &P) {
    return P.getReachableBlock() && Reached.contains(P.getReachableBlock()) &&
           !P->hasNoReturnElement();
  });
  return It->second;
}

bool FunctionFlow::endsPath(const CFGElement &E) const {
  std::optional<CFGStmt> S = E.getAs<CFGStmt>();
  const auto *Call = S ? dyn_cast<CallExpr>(S->getStmt()) : nullptr;
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  return Callee && !Callee->isNoReturn() && Model.neverReturns(*Callee);
}

bool FunctionFlow::reportsStart(const CallExpr &Call) const {
  return Model.reportsStart(Call);
}

bool FunctionFlow::applyBranch(const CFGBlock &B, unsigned Index, FlowState &Out) {
  const auto *Cond = dyn_cast_or_null<Expr>(B.getTerminatorCondition());
  if (!Cond || B.succ_size() != 2)
    return true;
  const bool Taken = Index == 0;
  // A handle tested empty (`if (!t)`, `if (t && ...)` on its false side,
  // `if (t.joinable())`): no thread it was the handle of is running there.
  bool TrueWhenSet = true;
  if (const ValueDecl *Handle = testedVariable(Cond, TrueWhenSet);
      Handle && Taken != TrueWhenSet)
    for (unsigned Id : llvm::to_vector(Out.Active))
      if (Model.spawns()[Id].Handle == Handle)
        Out.dropSpawn(Id);
  // The second return of `setjmp`: the locks every `longjmp` back to it holds.
  auto [Jump, NewJump] = LongjmpBranches.try_emplace(&B);
  if (NewJump)
    Jump->second = longjmpBranch(B);
  if (Jump->second && Jump->second->first == Index)
    for (const HeldLock &L : Jump->second->second)
      if (!llvm::is_contained(Out.Locks, L))
        Out.Locks.push_back(L);
  auto [It, Inserted] = BranchFacts.try_emplace(&B);
  if (Inserted)
    It->second = factOf(Cond, true, Ctx, StatusCall);
  if (!It->second)
    return true;
  Fact F = *It->second;
  F.Truthy = F.Truthy == Taken;
  if (contradicts(Out.Facts, F))
    return false;
  for (unsigned Id : llvm::to_vector(Out.Active))
    if (const FactList *Guard = Out.guardOf(Id); Guard && contradicts(*Guard, F))
      Out.dropSpawn(Id);
  addFact(Out.Facts, F, Model.MaxPathFacts);
  for (auto &[Id, Guard] : Out.Guards)
    addFact(Guard, F, Model.MaxPathFacts);
  // The locks held wherever F holds are held here.
  for (const auto &[L, When] : Out.CondLocks)
    if (When == F)
      Out.Locks.push_back(L);
  llvm::erase_if(Out.CondLocks, [&](const auto &C) {
    return llvm::is_contained(Out.Locks, C.first) || contradicts(Out.Facts, C.second);
  });
  return true;
}

void FunctionFlow::applyWrites(const Stmt &S, FlowState &State) {
  for (const VariableWrite &W : variableWrites(S, Ctx)) {
    killFacts(State.Facts, W.Variable);
    for (auto &[Id, Guard] : State.Guards)
      killFacts(Guard, W.Variable);
    llvm::erase_if(State.CondLocks, [&](const auto &C) {
      return C.second.Variable == W.Variable || llvm::is_contained(C.second.Reads, W.Variable);
    });
    if (W.ConstantTruthy) {
      // `started = 1`: known from here on, also of the spawns running here.
      Fact F;
      F.Variable = W.Variable;
      F.Truthy = *W.ConstantTruthy;
      addFact(State.Facts, F, Model.MaxPathFacts);
      for (unsigned Id : State.Active) {
        if (!State.guardOf(Id))
          State.Guards.push_back({Id, {}});
        addFact(*State.guardOf(Id), F, Model.MaxPathFacts);
      }
    } else if (W.Value) {
      // `rc = pthread_create(...)`, `ok = pthread_create(...) == 0`: rc says what the
      // spawn's guard says of the call.
      std::optional<Fact> Status = factOf(W.Value, true, Ctx, StatusCall);
      if (!Status || Status->Variable)
        continue;
      for (auto &[Id, Guard] : State.Guards)
        for (const Fact &G : llvm::to_vector(Guard))
          if (G.sameKey(*Status)) {
            Fact F;
            F.Variable = W.Variable;
            F.Truthy = G.Truthy == Status->Truthy;
            addFact(Guard, F, Model.MaxPathFacts);
          }
    }
  }
}

llvm::SmallVector<const Decl *, 2> FunctionFlow::joinedHandles(const CallExpr &Call) const {
  llvm::SmallVector<const Decl *, 2> Handles;
  if (const Decl *Handle = Model.joinedHandle(Call)) {
    // Joining a range-for variable joins the range (see buildLoopExitJoins).
    for (const Stmt *P = Parents->getParent(&Call); P; P = Parents->getParent(P))
      if (const auto *Range = dyn_cast<CXXForRangeStmt>(P);
          Range && Range->getLoopVariable() == Handle) {
        Handle = designatedDecl(Range->getRangeInit());
        break;
      }
    Handles.push_back(Handle);
    return Handles;
  }
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee)
    return Handles;
  // A helper that joins (`stop()`, `os_thread_wait(&t)`): a parameter it joins is what
  // the call passes.
  for (const Decl *Handle : Model.handlesJoinedBy(*Callee)) {
    if (const auto *Param = dyn_cast<ParmVarDecl>(Handle)) {
      const unsigned Index = Param->getFunctionScopeIndex();
      const unsigned First = isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Callee);
      Handle = Index + First < Call.getNumArgs() ? designatedDecl(Call.getArg(Index + First))
                                                 : nullptr;
    }
    if (Handle)
      Handles.push_back(Handle);
  }
  return Handles;
}

// The operand naming what \p Call joins: `t` of `t.join()`, the first argument of
// `pthread_join(t, 0)` or of a join helper (`os_thread_wait(&t)`).
static const Expr *joinOperand(const CallExpr &Call) {
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
    return Member->getImplicitObjectArgument();
  return Call.getNumArgs() > 0 ? Call.getArg(0) : nullptr;
}

std::optional<ElementRange> FunctionFlow::joinedElements(const CallExpr &Call) const {
  // Asked at each visit of the fixpoint; the answer depends on the call alone.
  auto [It, New] = JoinedElements.try_emplace(&Call);
  if (New)
    It->second = elementsNamed(joinOperand(Call), Ctx);
  return It->second;
}

bool FunctionFlow::joinsOneElement(const CallExpr &Call, const Stmt *&Loop) const {
  const Expr *Handle = joinOperand(Call);
  if (!Handle)
    return false;
  Handle = stripImplicit(Handle);
  // A join helper given the element's address (`os_thread_wait(&threads[i])`).
  if (const auto *AddrOf = dyn_cast<UnaryOperator>(Handle);
      AddrOf && AddrOf->getOpcode() == UO_AddrOf)
    Handle = stripImplicit(AddrOf->getSubExpr());
  bool Element = isa<ArraySubscriptExpr>(Handle);
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Handle))
    Element = Op->getOperator() == OO_Subscript;
  for (const Stmt *P = Parents->getParent(&Call); P; P = Parents->getParent(P))
    if (isLoopStmt(P)) {
      if (const auto *Range = dyn_cast<CXXForRangeStmt>(P);
          Range && Range->getLoopVariable() == designatedDecl(Handle))
        Element = true;
      Loop = P;
      return Element;
    }
  return false;
}

} // namespace clang::tidy::untangle
