//===--- Barriers.cpp - pthread barriers that order their waiters ---------===//
//
// Decides which barriers order their waiters (every waiting call counted, at most
// the barrier's count of them) and applies their waits to the lockset; see
// race/Barriers.h for why a barrier with uncounted waiters orders nothing.
//
//===----------------------------------------------------------------------===//

#include "race/Barriers.h"
#include "race/ConcurrencyModel.h"
#include "race/KnownTypes.h"
#include "race/RunCounts.h"
#include "race/UserCodeParents.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::untangle {

namespace {

bool isCallTo(const CallExpr &Call, llvm::StringRef Name, unsigned Args) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  return Callee && Callee->getIdentifier() && Callee->getName() == Name &&
         Call.getNumArgs() == Args;
}

/// The barrier `&b` names when b is a global or static variable; null otherwise.
const VarDecl *namedBarrier(const Expr *Arg) {
  const auto *AddressOf = dyn_cast<UnaryOperator>(Arg->IgnoreParenImpCasts());
  if (!AddressOf || AddressOf->getOpcode() != UO_AddrOf)
    return nullptr;
  const auto *Ref = dyn_cast<DeclRefExpr>(AddressOf->getSubExpr()->IgnoreParens());
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return Var && Var->hasGlobalStorage() ? Var->getCanonicalDecl() : nullptr;
}

/// The barrier calls of a translation unit's own code.
struct BarrierCalls : UserCodeVisitor<BarrierCalls> {
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<const CallExpr *, 1>> Inits;
  llvm::SmallVector<std::pair<const CallExpr *, const VarDecl *>, 4> Waits;
  bool UnnamedWait = false;

  explicit BarrierCalls(const SourceManager &SM) : UserCodeVisitor(SM) {}
  bool VisitCallExpr(CallExpr *Call) {
    if (isCallTo(*Call, "pthread_barrier_init", 3)) {
      if (const VarDecl *Barrier = namedBarrier(Call->getArg(0)))
        Inits[Barrier].push_back(Call);
    } else if (isCallTo(*Call, "pthread_barrier_wait", 1)) {
      // A wait through a pointer may be on any barrier: none is counted then.
      const VarDecl *Barrier = namedBarrier(Call->getArg(0));
      UnnamedWait |= !Barrier;
      Waits.emplace_back(Call, Barrier);
    }
    return true;
  }
};

} // namespace

void BarrierModel::build(ASTContext &Ctx, ConcurrencyModel &Model) {
  OrderingWaits.clear();
  // Most translation units never declare the function: no walk for them.
  if (Ctx.getTranslationUnitDecl()->lookup(&Ctx.Idents.get("pthread_barrier_wait")).empty())
    return;
  BarrierCalls Calls(Ctx.getSourceManager());
  Calls.TraverseDecl(Ctx.getTranslationUnitDecl());
  if (Calls.UnnamedWait)
    return;

  // How many waiting calls each barrier may see, at most; none if it cannot be told.
  llvm::DenseMap<const VarDecl *, std::optional<uint64_t>> Waiters;
  for (const auto &[Wait, Barrier] : Calls.Waits) {
    auto [It, First] = Waiters.try_emplace(Barrier, 0);
    if (!It->second)
      continue;
    const FunctionDecl *F = runsOnceIn(*Wait, Ctx);
    if (F && F->isMain()) {
      *It->second += 1;
      continue;
    }
    // A start routine: once per creation of it, each in `main`, outside loops, and
    // named nowhere else (a call or a stored pointer would run it again).
    const llvm::SmallVector<unsigned, 1> Creations =
        F ? Model.spawnsOf(*F) : llvm::SmallVector<unsigned, 1>();
    const bool Counted =
        F && !isa<CXXMethodDecl>(F) && llvm::all_of(Creations, [&](unsigned Id) {
          const SpawnSite &S = Model.spawns()[Id];
          const FunctionDecl *Spawner = runsOnceIn(*S.Site, Ctx);
          return Spawner && Spawner->isMain() && S.LiftedFrom < 0;
        });
    if (!Counted || Creations.empty() || Model.Mentions.count(*F, Ctx) != Creations.size())
      It->second.reset();
    else
      *It->second += Creations.size();
  }

  for (const auto &[Wait, Barrier] : Calls.Waits) {
    const std::optional<uint64_t> Count = Waiters.lookup(Barrier);
    auto Init = Calls.Inits.find(Barrier);
    if (!Count || Init == Calls.Inits.end() || Init->second.size() != 1 ||
        !runsOnceIn(*Init->second.front(), Ctx))
      continue;
    const std::optional<int64_t> Limit = integerConstant(Init->second.front()->getArg(2), Ctx);
    if (!Limit || *Limit < 0 || static_cast<uint64_t>(*Limit) < *Count)
      continue;
    if (Resolution B = resolveOperand(Model.Resolver, Wait->getArg(0)); B.isShared())
      OrderingWaits.try_emplace(Wait, B.Location);
  }
}

void BarrierModel::enterWaiter(const CallExpr &Call,
                               llvm::SmallVectorImpl<HeldLock> &EntryLocks) const {
  auto It = OrderingWaits.find(&Call);
  if (It == OrderingWaits.end())
    return;
  HeldLock Before{It->second, false, nullptr};
  Before.Barrier = HeldLock::BeforeWait;
  if (!llvm::is_contained(EntryLocks, Before))
    EntryLocks.push_back(Before);
}

bool BarrierModel::applyWait(const CallExpr &Call, FlowState &State) const {
  auto It = OrderingWaits.find(&Call);
  if (It == OrderingWaits.end())
    return false;
  llvm::erase_if(State.Locks, [&](const HeldLock &L) {
    return L.Barrier == HeldLock::BeforeWait && L.Mutex == It->second;
  });
  HeldLock After{It->second, false, nullptr};
  After.Barrier = HeldLock::AfterWait;
  if (!llvm::is_contained(State.Locks, After))
    State.Locks.push_back(After);
  return true;
}

} // namespace clang::tidy::untangle
