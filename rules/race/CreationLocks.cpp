//===--- CreationLocks.cpp - threads that run inside a critical section --===//
//
// A thread started while its spawner holds a lock, which the spawner keeps, without a
// break, until the thread has surely ended (joined, or `main` returns holding it and
// the process exits), runs entirely inside that critical section:
//
//   lock(L); create(T); ...; join(T); unlock(L);
//
// Another thread that takes L itself is then ordered with all of T: it holds L before
// the spawner took it or after the spawner let it go (Goblint calls this the creation
// lockset). The spawner's own accesses in the section are not: they run in parallel
// with T, under the same acquisition of L. Which spawns end where is recorded during
// the flow analysis (race/Locksets.cpp); what a spawn runs inside is read off it
// here, and DataRaceCheck pairs the result. A release of L before the join, on any
// path, ends the span: only the creation edge (what the spawner does before the
// release, race/Locksets.h) is left.
//
//===----------------------------------------------------------------------===//

#include "race/ConcurrencyModel.h"
#include "race/Locksets.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::untangle {

namespace {

// Keeps, for \p Key, the locks of \p After also held wherever it ended before.
template <typename Map, typename Key>
void intersectEnds(Map &Ends, const Key &K, const FlowState &After) {
  auto [It, New] = Ends.try_emplace(K, After.Locks);
  if (!New)
    llvm::erase_if(It->second,
                   [&](const HeldLock &L) { return !llvm::is_contained(After.Locks, L); });
}

} // namespace

void FunctionFlow::noteEnded(llvm::ArrayRef<unsigned> WasActive, size_t WasJoined,
                             const FlowState &After) {
  for (unsigned Id : WasActive)
    if (!llvm::is_contained(After.Active, Id))
      intersectEnds(EndedUnder, Id, After);
  for (const Decl *Handle : llvm::drop_begin(After.Joined, WasJoined))
    intersectEnds(JoinedUnder, Handle, After);
}

llvm::SmallVector<HeldLock, 1> FunctionFlow::locksAroundRun(unsigned Id,
                                                           const FunctionDecl &Spawner) const {
  const SpawnSite &Spawn = Model.spawns()[Id];
  const FlowState *AtStart = Spawn.Kind == SpawnKind::PoolHop ? nullptr : stateBefore(Spawn.Site);
  if (!AtStart)
    return {};
  // Where the thread has surely ended: every join, and the return of `main` if it
  // may still run there (the process exits with it). Returning from any other
  // function, the caller may unlock while the thread goes on.
  std::optional<llvm::SmallVector<HeldLock, 2>> Ends;
  if (auto It = EndedUnder.find(Id); It != EndedUnder.end())
    Ends = It->second;
  if (llvm::is_contained(Exit.Active, Id)) {
    if (!Spawner.isMain())
      return {};
    if (!Ends)
      Ends.emplace(Exit.Locks.begin(), Exit.Locks.end());
    llvm::erase_if(*Ends,
                   [&](const HeldLock &L) { return !llvm::is_contained(Exit.Locks, L); });
  }
  if (!Ends)
    return {};
  return locksAcross(Id, *AtStart, *Ends);
}

llvm::SmallVector<HeldLock, 1> FunctionFlow::locksUntilJoined(unsigned Opener,
                                                             const Decl *Handle) const {
  // `lock(L); create(T2); join(t3); unlock(L)`, T2 starting t3 into a global: t3 runs
  // after T2 has started and has ended at the join, so inside the section too. A path
  // that never joins the handle may leave it running past the unlock.
  const SpawnSite &Spawn = Model.spawns()[Opener];
  const FlowState *AtStart = Spawn.Kind == SpawnKind::PoolHop ? nullptr : stateBefore(Spawn.Site);
  auto Ends = JoinedUnder.find(Handle);
  if (!AtStart || Ends == JoinedUnder.end() || !llvm::is_contained(Exit.Joined, Handle))
    return {};
  return locksAcross(Opener, *AtStart, Ends->second);
}

llvm::SmallVector<HeldLock, 1> FunctionFlow::locksAcross(unsigned Id, const FlowState &AtStart,
                                                        llvm::ArrayRef<HeldLock> Ends) const {
  // Held without a break since this start: its creation edge is still open there.
  auto HeldSinceStart = [&](const MemoryLocation &Mutex) {
    return llvm::any_of(Ends, [&](const HeldLock &L) {
      return L.SinceSpawn == static_cast<int>(Id) && L.Mutex == Mutex;
    });
  };
  llvm::SmallVector<HeldLock, 1> Around;
  for (const HeldLock &L : AtStart.Locks) {
    if (!llvm::is_contained(Ends, L) || !HeldSinceStart(L.Mutex))
      continue;
    if (!L.creationEdge() && !L.AtomicEdge && !L.Shared) {
      HeldLock Inside{L.Mutex, false, nullptr};
      Inside.AroundSpawn = static_cast<int>(Id);
      Around.push_back(Inside);
    } else if (L.SinceSpawn >= 0 && L.SinceSpawn != static_cast<int>(Id)) {
      // `lock(L); create(T1); create(T2); join(T2); unlock(L)`: T2's run, like the
      // spawner's code there, comes before what T1 does after taking L.
      Around.push_back(L);
    }
  }
  return Around;
}

llvm::SmallVector<HeldLock, 1> ConcurrencyModel::locksOverRun(unsigned Id, ASTContext &Ctx,
                                                             unsigned Depth) {
  const SpawnSite &Spawn = Spawns[Id];
  const FunctionFlow &Flow = flowOf(*Spawn.Spawner, Ctx);
  llvm::SmallVector<HeldLock, 1> Result = Flow.locksAroundRun(Id, *Spawn.Spawner);
  const FlowState *AtStart = Flow.stateBefore(Spawn.Site);
  if (Spawn.Parents.empty() || Depth == 0 || !AtStart)
    return Result;
  // A thread started by a thread gets from each run of its parent: what comes after
  // the locks the parent took before starting it, and, unless it outlives the parent,
  // the parent's own locks over its run. Only what every parent gives holds.
  std::optional<llvm::SmallVector<HeldLock, 2>> Given;
  for (unsigned Parent : Spawn.Parents) {
    llvm::SmallVector<HeldLock, 2> FromParent;
    for (const HeldLock &L : AtStart->Locks)
      if ((!L.creationEdge() && !L.AtomicEdge) || (L.Acquired && L.AcquiredIn < 0)) {
        HeldLock Taken{L.Mutex, false, nullptr};
        Taken.Acquired = true;
        Taken.AcquiredIn = static_cast<int>(Parent);
        if (!llvm::is_contained(FromParent, Taken))
          FromParent.push_back(Taken);
      }
    for (const HeldLock &L : locksOverRun(Parent, Ctx, Depth - 1))
      if ((!Spawn.Escapes || L.AcquiredIn >= 0) && !llvm::is_contained(FromParent, L))
        FromParent.push_back(L);
    // Outliving the parent, it may still end inside the section the parent runs in,
    // if the parent's spawner joins it there (`join(t3)` of a global handle).
    const SpawnSite &ParentSpawn = Spawns[Parent];
    if (Spawn.Escapes && Spawn.Handle && !Spawn.SelfParallel && !Spawn.SpawnerRunsTwice &&
        ParentSpawn.Kind != SpawnKind::PoolHop)
      for (const HeldLock &L :
           flowOf(*ParentSpawn.Spawner, Ctx).locksUntilJoined(Parent, Spawn.Handle))
        if (!llvm::is_contained(FromParent, L))
          FromParent.push_back(L);
    if (!Given)
      Given = std::move(FromParent);
    else
      llvm::erase_if(*Given, [&](const HeldLock &L) {
        return !llvm::is_contained(FromParent, L);
      });
  }
  for (const HeldLock &L : *Given)
    if (!llvm::is_contained(Result, L))
      Result.push_back(L);
  return Result;
}

} // namespace clang::tidy::untangle
