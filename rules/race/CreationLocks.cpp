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

void FunctionFlow::noteEnded(llvm::ArrayRef<unsigned> WasActive, const FlowState &After) {
  for (unsigned Id : WasActive) {
    if (llvm::is_contained(After.Active, Id))
      continue;
    auto [It, New] = EndedUnder.try_emplace(Id, After.Locks);
    if (!New)
      llvm::erase_if(It->second, [&](const HeldLock &L) {
        return !llvm::is_contained(After.Locks, L);
      });
  }
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
  // Held without a break since this start: its creation edge is still open there.
  auto HeldSinceStart = [&](const MemoryLocation &Mutex) {
    return llvm::any_of(*Ends, [&](const HeldLock &L) {
      return L.SinceSpawn == static_cast<int>(Id) && L.Mutex == Mutex;
    });
  };
  llvm::SmallVector<HeldLock, 1> Around;
  for (const HeldLock &L : AtStart->Locks) {
    if (!llvm::is_contained(*Ends, L) || !HeldSinceStart(L.Mutex))
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
