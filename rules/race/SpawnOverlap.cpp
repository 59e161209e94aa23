//===--- SpawnOverlap.cpp - which spawns may run at the same time -----------===//
//
// Two spawns of one function overlap when one may still run where the other starts;
// spawns of different functions when both outlive their spawners. Threads started by
// threads add to that: a spawn whose spawner is the body of another spawn (its parent)
// runs inside the parent's run, or, when it is not joined before the parent returns,
// from there on until its own handle is joined. So it overlaps whatever its parent
// overlaps, two of its runs overlap when two runs of its parent do (a parent started in
// a loop, or started twice in parallel), and it may be running wherever an ancestor
// may, or, escaping, wherever an ancestor has been started and its handle not joined.
// Ancestry is followed MaxCallDepth levels up.
//
//===----------------------------------------------------------------------===//

#include "race/DataRaceCheck.h"

namespace clang::tidy::untangle {

void DataRaceCheck::computeSpawnFacts() {
  for (SpawnSite &S : Model.spawns()) {
    const FunctionFlow &Flow = Model.flowOf(*S.Spawner, *Ctx);
    if (const FlowState *State = Flow.stateBefore(S.Site))
      S.ActiveAtSpawn.assign(State->Active.begin(), State->Active.end());
    unsigned Id = &S - Model.spawns().data();
    // Reaching the site again while the earlier run may still go on: a loop.
    S.SelfParallel = llvm::is_contained(S.ActiveAtSpawn, Id);
    S.Escapes = S.Kind == SpawnKind::PoolHop || llvm::is_contained(Flow.exitState().Active, Id);
  }
}

void DataRaceCheck::relateNestedSpawns() {
  std::vector<SpawnSite> &Spawns = Model.spawns();
  for (auto [Id, S] : llvm::enumerate(Spawns)) {
    S.Parents.clear();
    for (unsigned P : Model.spawnsOf(*S.Spawner))
      if (P != Id)
        S.Parents.push_back(P);
  }
  for (SpawnSite &S : Spawns) {
    S.Ancestors.clear();
    llvm::SmallVector<unsigned, 2> Level(S.Parents.begin(), S.Parents.end());
    for (unsigned Depth = 0; Depth < MaxCallDepth && !Level.empty(); ++Depth) {
      llvm::SmallVector<unsigned, 2> Next;
      for (unsigned P : Level)
        if (!llvm::is_contained(S.Ancestors, P)) {
          S.Ancestors.push_back(P);
          Next.append(Spawns[P].Parents.begin(), Spawns[P].Parents.end());
        }
      Level = std::move(Next);
    }
  }
  // Each round settles one more level of ancestry.
  for (unsigned Round = 0; Round < MaxCallDepth; ++Round) {
    bool Changed = false;
    for (SpawnSite &S : Spawns) {
      if (S.SpawnerRunsTwice)
        continue;
      bool Twice = llvm::any_of(S.Parents, [&](unsigned P) {
        return Spawns[P].SelfParallel || Spawns[P].SpawnerRunsTwice;
      });
      for (size_t I = 0; !Twice && I < S.Parents.size(); ++I)
        for (size_t J = I + 1; !Twice && J < S.Parents.size(); ++J)
          Twice = spawnsOverlap(S.Parents[I], S.Parents[J], MaxCallDepth);
      if (Twice) {
        S.SpawnerRunsTwice = true;
        Changed = true;
      }
    }
    if (!Changed)
      break;
  }
}

bool DataRaceCheck::spawnsOverlap(unsigned S, unsigned T, unsigned Depth) const {
  // A spawn and its lifts to callers are one thread seen from two functions.
  if (Model.liftedFrom(S, T) || Model.liftedFrom(T, S))
    return false;
  const SpawnSite &X = Model.spawns()[S], &Y = Model.spawns()[T];
  auto RunsTwice = [](const SpawnSite &Z) { return Z.SelfParallel || Z.SpawnerRunsTwice; };
  if (S == T)
    return RunsTwice(X);
  if (X.Spawner == Y.Spawner) {
    if (llvm::is_contained(X.ActiveAtSpawn, T) || llvm::is_contained(Y.ActiveAtSpawn, S) ||
        X.SpawnerRunsTwice)
      return true;
  } else if (X.Escapes && Y.Escapes) {
    return true;
  }
  if (Depth == 0)
    return false;
  // A child overlaps what its parent overlaps; its own parent's other runs too.
  for (unsigned P : X.Parents)
    if (P == T ? RunsTwice(Y) : spawnsOverlap(P, T, Depth - 1))
      return true;
  for (unsigned Q : Y.Parents)
    if (Q == S ? RunsTwice(X) : spawnsOverlap(S, Q, Depth - 1))
      return true;
  return false;
}

void ConcurrencyModel::addNestedRunning(const FlowState &State,
                                        llvm::SmallVectorImpl<unsigned> &Running) const {
  const size_t Before = Running.size();
  for (const auto &[Id, S] : llvm::enumerate(Spawns)) {
    if (S.Ancestors.empty() || llvm::is_contained(State.Active, Id) ||
        llvm::is_contained(Running, Id))
      continue;
    const bool InsideRunning = llvm::any_of(S.Ancestors, [&](unsigned A) {
      return llvm::is_contained(State.Active, A);
    });
    // Not joined by its parent, it goes on after the parent's join, until its own.
    const bool Outlived =
        S.Escapes && !llvm::is_contained(State.Joined, S.Handle) &&
        llvm::any_of(S.Ancestors,
                     [&](unsigned A) { return llvm::is_contained(State.Started, A); });
    if (InsideRunning || Outlived)
      Running.push_back(Id);
  }
  if (Running.size() != Before)
    llvm::sort(Running);
}

} // namespace clang::tidy::untangle
