//===--- AccessCollector.h - the accesses one context makes ------*- C++ -*-===//
//
// A context is code that runs on one thread at a time: a spawned body, a callback of a
// single-threaded executor, or a spawning function. Its accesses are collected by
// walking its body, the lambdas it runs in place and the callees it calls (to a bounded
// depth, the MaxCallDepth option: deeper calls cost time on big files and rarely change
// the verdict), with each callee's parameters bound to what the arguments name. Each
// access records what held at its point -- the locks and the active spawns -- because
// the pairing of accesses needs them and the walk is the one place that knows them.
// Whether a use is a read or a write is decided here too.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_ACCESSCOLLECTOR_H
#define UNTANGLE_RULES_RACE_ACCESSCOLLECTOR_H

#include "race/Locksets.h"
#include "race/MemoryLocation.h"
#include "llvm/ADT/SmallVector.h"
#include <vector>

namespace clang::tidy::untangle {

class DataRaceCheck;

/// One read or write of a shared location, with what held at that point.
struct Access {
  /// Who runs the code: a spawned body, a single-threaded executor's callback, or the
  /// spawning function itself (which runs in parallel only while a spawn is active).
  enum class OwnerKind { Spawn, LoopCallback, Spawner };
  MemoryLocation Location;
  bool Write = false;
  bool FrameLocal = false;
  const Expr *E = nullptr;
  llvm::SmallVector<HeldLock, 2> Locks;
  llvm::SmallVector<unsigned, 2> Active;
  /// Threads the active ones started, or that outlive a started one (a thread's
  /// child): running here too, but not started by this code (race/SpawnOverlap.cpp).
  llvm::SmallVector<unsigned, 1> Nested;
  llvm::SmallVector<const CallExpr *, 2> Via; ///< Calls from the context's entry.
  OwnerKind Owner = OwnerKind::Spawner;
  unsigned OwnerIndex = 0;
};

/// Appends to \p Out every access to a shared location that \p Entry, run as the
/// given context with \p Env bound, makes.
void collectContextAccesses(DataRaceCheck &Check, const FunctionDecl &Entry,
                            Environment Env, Access::OwnerKind Owner,
                            unsigned OwnerIndex, std::vector<Access> &Out);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_RACE_ACCESSCOLLECTOR_H
