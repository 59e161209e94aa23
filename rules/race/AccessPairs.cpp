//===--- AccessPairs.cpp - whether two accesses may race ---------------------===//
//
// Decides, for two accesses of one location from different contexts, whether they may
// run at the same time (mayRunInParallel: which spawns and loop callbacks overlap, and
// which thread starts only after an access of its ancestor) and whether something
// orders them even so (protectedByCommonLock): a lock both hold, one held exclusively;
// a function-local static's initialization; a barrier between them; a lock held from a
// thread's creation until it is released, which the thread must take before its own
// access; a lock held around a thread's whole run, which other takers cannot hold then.
// The check reports a pair only when the first holds and the second does not.
//
//===----------------------------------------------------------------------===//

#include "race/DataRaceCheck.h"

namespace clang::tidy::untangle {

namespace {

bool contains(llvm::ArrayRef<unsigned> Ids, unsigned Id) {
  return llvm::is_contained(Ids, Id);
}

} // namespace

bool DataRaceCheck::mayRunInParallel(const Access &A, const Access &B) const {
  using Kind = Access::OwnerKind;
  const auto &Spawns = Model.spawns();
  // Code of a spawning function runs in parallel with the spawns active there.
  auto RunningAt = [](const Access &X, unsigned Spawn) {
    return contains(X.Active, Spawn) || contains(X.Nested, Spawn);
  };
  if (A.Owner == Kind::Spawn && RunningAt(B, A.OwnerIndex))
    return true;
  if (B.Owner == Kind::Spawn && RunningAt(A, B.OwnerIndex))
    return true;
  if (A.Owner == Kind::Spawner || B.Owner == Kind::Spawner)
    return false;
  // Two runs of one function each have their own locals.
  if (A.FrameLocal && B.FrameLocal)
    return false;
  if (A.Owner == Kind::Spawn && B.Owner == Kind::Spawn) {
    if (A.OwnerIndex != B.OwnerIndex &&
        (startedAfter(A, B.OwnerIndex) || startedAfter(B, A.OwnerIndex)))
      return false;
    return spawnsOverlap(A.OwnerIndex, B.OwnerIndex, MaxCallDepth);
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

bool DataRaceCheck::runsOnce(unsigned Id) const {
  const SpawnSite &S = Model.spawns()[Id];
  if (!S.Body || S.SelfParallel || S.LiftedFrom >= 0 ||
      Model.Mentions.count(*S.Body, *Ctx) != 1)
    return false;
  const FunctionDecl *Spawner = runsOnceIn(*S.Site, *Ctx);
  return Spawner && Spawner->isMain() && Model.spawnsOf(*S.Body).size() == 1;
}

bool DataRaceCheck::startedAfter(const Access &Earlier, unsigned Later) const {
  // `a() { g++; create(c); }`: c, and every thread c starts, begin after a's g++, if
  // a runs once and the creation is not reached before g++ on any path. Each step up
  // from c must be the one thread whose body started it (named nowhere else).
  if (Earlier.Owner != Access::OwnerKind::Spawn || !Model.spawns()[Earlier.OwnerIndex].RunsOnce)
    return false;
  const auto &Spawns = Model.spawns();
  const FunctionDecl *Parent = Spawns[Earlier.OwnerIndex].Body->getCanonicalDecl();
  unsigned Id = Later;
  for (unsigned Depth = 0; Depth < MaxCallDepth; ++Depth) {
    const FunctionDecl *Spawner = Spawns[Id].Spawner->getCanonicalDecl();
    if (Spawner == Parent) {
      const Stmt *At = Earlier.Via.empty() ? static_cast<const Stmt *>(Earlier.E)
                                           : Earlier.Via.front();
      const FlowState *State =
          const_cast<ConcurrencyModel &>(Model).flowOf(*Spawns[Earlier.OwnerIndex].Body, *Ctx)
              .stateBefore(At);
      return State && !contains(State->Started, Id);
    }
    const llvm::SmallVector<unsigned, 1> Up = Model.spawnsOf(*Spawner);
    if (Up.size() != 1 || Model.Mentions.count(*Spawner, *Ctx) != 1)
      return false;
    Id = Up.front();
  }
  return false;
}

bool DataRaceCheck::protectedByCommonLock(const Access &A, const Access &B) const {
  // A lock held shared by both sides only keeps writers out: it protects the pair only
  // if one side holds it exclusively.
  for (const HeldLock &LA : A.Locks)
    for (const HeldLock &LB : B.Locks)
      if (!LA.creationEdge() && !LB.creationEdge() && LA.Mutex.mayAlias(LB.Mutex) &&
          (!LA.Shared || !LB.Shared))
        return true;
  // A function-local static's initializer against what runs after its declaration.
  for (const HeldLock &LA : A.Locks)
    for (const HeldLock &LB : B.Locks)
      if (LA.StaticInit && LB.StaticInit && LA.Mutex == LB.Mutex &&
          (LA.StaticInit == HeldLock::InInitializer ||
           LB.StaticInit == HeldLock::InInitializer))
        return true;
  // A barrier's wait: one waiter's accesses before it against another's after it.
  for (const HeldLock &LA : A.Locks)
    for (const HeldLock &LB : B.Locks)
      if (LA.Barrier && LB.Barrier && LA.Barrier != LB.Barrier && LA.Mutex == LB.Mutex)
        return true;
  return orderedByCreationLock(A, B) || orderedByCreationLock(B, A) ||
         orderedByLockAroundRun(A, B) || orderedByLockAroundRun(B, A);
}

bool DataRaceCheck::orderedByLockAroundRun(const Access &Inside, const Access &Taker) const {
  // `lock(L); create(T); ...; join(T); unlock(L)`: a thread that takes L itself holds
  // it before or after that whole span. The spawner's own accesses there (T active)
  // hold the same acquisition and run in parallel with T.
  for (const HeldLock &Around : Inside.Locks) {
    if (Around.AroundSpawn < 0)
      continue;
    const auto Spawn = static_cast<unsigned>(Around.AroundSpawn);
    // For a descendant that outlives Spawn (CreationLocks.cpp, locksUntilJoined), the
    // span goes on to the descendant's join: code that may run alongside it there is
    // in the same section.
    const bool Outliving = Inside.Owner == Access::OwnerKind::Spawn &&
                           Inside.OwnerIndex != Spawn &&
                           Model.spawns()[Inside.OwnerIndex].Escapes;
    if (contains(Taker.Active, Spawn) ||
        (Outliving && (contains(Taker.Active, Inside.OwnerIndex) ||
                       contains(Taker.Nested, Inside.OwnerIndex))) ||
        (Taker.Owner == Access::OwnerKind::Spawn &&
         (Taker.OwnerIndex == Spawn ||
          contains(Model.spawns()[Taker.OwnerIndex].Ancestors, Spawn))))
      continue;
    // A taker of the lock, or a thread run inside another function's section of it:
    // two sections of one lock never overlap.
    for (const HeldLock &Taken : Taker.Locks)
      if (((!Taken.creationEdge() && !Taken.AtomicEdge) ||
           (Taken.AroundSpawn >= 0 && Model.spawns()[Taken.AroundSpawn].Spawner !=
                                          Model.spawns()[Spawn].Spawner)) &&
          Taken.Mutex.mayAlias(Around.Mutex))
        return true;
  }
  return false;
}

bool DataRaceCheck::orderedByCreationLock(const Access &Creator,
                                          const Access &Thread) const {
  // `lock(L); create(T); x = 1; unlock(L)` against T's `lock(L); ...; x = 2`: T takes
  // L only after the creator has let go of it, so the creator's access comes first.
  if (Thread.Owner != Access::OwnerKind::Spawn)
    return false;
  // The run that took L must be T's, or that of a thread T started (and so on) before
  // starting Thread's: the descendant's lockset.
  auto RunOfSpawn = [&](unsigned Run, unsigned Spawn) {
    return Run == Spawn || Model.liftedFrom(Run, Spawn) || Model.liftedFrom(Spawn, Run) ||
           contains(Model.spawns()[Run].Ancestors, Spawn);
  };
  for (const HeldLock &Since : Creator.Locks) {
    if (Since.SinceSpawn < 0)
      continue;
    const auto Spawn = static_cast<unsigned>(Since.SinceSpawn);
    for (const HeldLock &Taken : Thread.Locks)
      if (Taken.Acquired && Taken.Mutex.mayAlias(Since.Mutex) &&
          RunOfSpawn(Taken.AcquiredIn < 0 ? Thread.OwnerIndex
                                          : static_cast<unsigned>(Taken.AcquiredIn),
                     Spawn))
        return true;
  }
  return false;
}

} // namespace clang::tidy::untangle
