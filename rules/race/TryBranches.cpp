//===--- TryBranches.cpp - what a branch on a call's result establishes ---===//
//
// Some calls succeed or not, and the program branches on which: a try-lock holds its
// lock only where it returned success (`if (pthread_mutex_trylock(&m) == 0)`), a
// try-join or a timed join has ended its thread only where it returned 0
// (`if (!pthread_tryjoin_np(t, 0))`). The pthread calls may also be compared with
// EBUSY, their "not now" result: `!= EBUSY` is taken as success, as the programs that
// write it mean (the other errors are misuse). And `setjmp(env)` returns a second
// time, non-zero, from a `longjmp(env, ..)`, with the locks held there. This file
// finds the call a branch tests and says on which successor the lock is held or the
// thread joined; race/Locksets.cpp and race/SpawnPaths.cpp apply it to the flow.
//
//===----------------------------------------------------------------------===//

#include "race/ConcurrencyModel.h"
#include "race/KnownTypes.h"
#include "race/Locksets.h"
#include "race/UserCodeParents.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::untangle {

namespace {

// A call with arguments of a function named one of \p Names.
bool isNamedCall(const CallExpr &Call, std::initializer_list<llvm::StringRef> Names) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  return Callee && Callee->getIdentifier() && Call.getNumArgs() > 0 &&
         isNamed(Callee->getName(), Names);
}

} // namespace

bool isTryJoin(const CallExpr &Call) {
  return isNamedCall(Call, {"pthread_tryjoin_np", "pthread_timedjoin_np", "pthread_clockjoin_np"});
}

bool joinsUnlessTested(const CallExpr &Call) {
  return isTryJoin(Call) && Call.getDirectCallee()->getName() != "pthread_tryjoin_np";
}

const CallExpr *FunctionFlow::testedCall(const CFGBlock &B, bool &TrueWhenTruthy) const {
  const auto *Cond = dyn_cast_or_null<Expr>(B.getTerminatorCondition());
  if (!Cond || B.succ_size() != 2)
    return nullptr;
  // `!` and `== 0` flip whether the condition is true for a truthy result, `!= 0`
  // keeps it.
  TrueWhenTruthy = true;
  const Expr *E = stripImplicit(Cond);
  while (true) {
    if (const auto *Not = dyn_cast<UnaryOperator>(E); Not && Not->getOpcode() == UO_LNot) {
      TrueWhenTruthy = !TrueWhenTruthy;
      E = stripImplicit(Not->getSubExpr());
      continue;
    }
    const auto *Compare = dyn_cast<BinaryOperator>(E);
    if (!Compare || !Compare->isEqualityOp())
      break;
    const Expr *L = stripImplicit(Compare->getLHS()), *R = stripImplicit(Compare->getRHS());
    const auto *Constant = dyn_cast<IntegerLiteral>(R);
    if (!Constant)
      break;
    // Comparing with EBUSY tests failure: `!= EBUSY` reads like `== 0`.
    const bool IsBusy = R->getBeginLoc().isMacroID() &&
                        Lexer::getImmediateMacroName(R->getBeginLoc(), Ctx.getSourceManager(),
                                                     Ctx.getLangOpts()) == "EBUSY";
    if (!IsBusy && Constant->getValue() != 0)
      break;
    if ((Compare->getOpcode() == BO_EQ) != IsBusy)
      TrueWhenTruthy = !TrueWhenTruthy;
    E = L;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return Call;
  // `int rc = f(..); if (!rc)` or `rc = f(..); if (!rc)`: the result kept in a local
  // variable by the statement right before the branch, so nothing can have changed it
  // in between.
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  const auto *Result = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  const Stmt *Branch = B.getTerminatorStmt();
  const auto *Block =
      Result && Result->hasLocalStorage() && Branch && Parents
          ? dyn_cast_or_null<CompoundStmt>(Parents->getParent(Branch))
          : nullptr;
  if (!Block)
    return nullptr;
  const Stmt *Previous = nullptr;
  for (const Stmt *Child : Block->body()) {
    if (Child == Branch)
      break;
    Previous = Child;
  }
  if (const auto *Assign = dyn_cast_or_null<BinaryOperator>(Previous);
      Assign && Assign->getOpcode() == BO_Assign) {
    const auto *Target = dyn_cast<DeclRefExpr>(stripImplicit(Assign->getLHS()));
    if (!Target || Target->getDecl() != Result)
      return nullptr;
    return dyn_cast<CallExpr>(stripImplicit(Assign->getRHS()));
  }
  const auto *Declaration = dyn_cast_or_null<DeclStmt>(Previous);
  if (!Declaration || !Declaration->isSingleDecl() ||
      Declaration->getSingleDecl() != Result || !Result->getInit())
    return nullptr;
  return dyn_cast<CallExpr>(stripImplicit(Result->getInit()));
}

bool mayFailToLock(const CallExpr &Call) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  return Callee && Callee->getIdentifier() && Call.getNumArgs() == 1 &&
         isNamed(Callee->getName(),
                 {"pthread_mutex_lock", "pthread_rwlock_wrlock", "pthread_spin_lock"});
}

std::optional<std::pair<MemoryLocation, unsigned>>
FunctionFlow::tryLockBranch(const CFGBlock &B) const {
  bool TrueWhenTruthy = true;
  const CallExpr *Call = testedCall(B, TrueWhenTruthy);
  const Expr *MutexExpr = nullptr;
  if (!Call)
    return std::nullopt;
  const ConcurrencyModel::LockEffect Effect = Model.lockEffect(*Call, MutexExpr);
  if (Effect != ConcurrencyModel::LockEffect::TryAcquire &&
      !(Effect == ConcurrencyModel::LockEffect::Acquire && TestedCalls.contains(Call)))
    return std::nullopt;
  Resolution M = resolveOperand(Model.Resolver, MutexExpr);
  if (!M.isShared())
    return std::nullopt;
  // `try_lock()` returns true on success, the pthread calls 0.
  const bool SuccessIsTruthy = isa<CXXMemberCallExpr>(Call);
  const bool HeldWhenTrue = SuccessIsTruthy == TrueWhenTruthy;
  return std::make_pair(M.Location, HeldWhenTrue ? 0u : 1u);
}

std::optional<std::pair<const Decl *, unsigned>>
FunctionFlow::tryJoinBranch(const CFGBlock &B) const {
  bool TrueWhenTruthy = true;
  const CallExpr *Call = testedCall(B, TrueWhenTruthy);
  if (!Call || !isTryJoin(*Call))
    return std::nullopt;
  const Decl *Handle = designatedDecl(Call->getArg(0));
  if (!Handle)
    return std::nullopt;
  // They return 0 once the thread has ended.
  return std::make_pair(Handle, TrueWhenTruthy ? 1u : 0u);
}

namespace {

/// The `longjmp(Buffer, ..)` calls of the translation unit's code, with their functions.
class LongjmpFinder : public UserCodeVisitor<LongjmpFinder> {
public:
  LongjmpFinder(const Decl *Buffer, const SourceManager &SM)
      : UserCodeVisitor(SM), Buffer(Buffer) {}
  bool VisitCallExpr(CallExpr *Call) {
    if (Enclosing &&
        isNamedCall(*Call, {"longjmp", "_longjmp", "siglongjmp", "__longjmp_chk"}) &&
        designatedDecl(Call->getArg(0)) == Buffer)
      Sites.push_back({Enclosing, Call});
    return true;
  }
  llvm::SmallVector<std::pair<const FunctionDecl *, const CallExpr *>, 2> Sites;

private:
  const Decl *Buffer;
};

} // namespace

std::optional<std::pair<unsigned, llvm::SmallVector<HeldLock, 1>>>
FunctionFlow::longjmpBranch(const CFGBlock &B) const {
  bool TrueWhenTruthy = true;
  const CallExpr *Call = testedCall(B, TrueWhenTruthy);
  if (!Call || !isNamedCall(*Call, {"setjmp", "_setjmp", "sigsetjmp", "__sigsetjmp"}))
    return std::nullopt;
  const Decl *Buffer = designatedDecl(Call->getArg(0));
  // The flows of the functions that jump back are computed here, once each; a jump
  // back from within this function, or from a flow computed for another's setjmp,
  // is not followed (its state is not known yet).
  static thread_local unsigned Nesting = 0;
  if (!Buffer || Nesting > 0)
    return std::nullopt;
  LongjmpFinder Finder(Buffer, Ctx.getSourceManager());
  Finder.TraverseDecl(Ctx.getTranslationUnitDecl());
  std::optional<llvm::SmallVector<HeldLock, 1>> Held;
  ++Nesting;
  for (const auto &[Function, Site] : Finder.Sites) {
    if (Parents->hasParent(Site)) {
      Held.reset();
      break;
    }
    FunctionFlow Jumper(*Function, Ctx, Model);
    const FlowState *State = Jumper.stateBefore(Site);
    if (!State)
      continue; // never reached
    llvm::SmallVector<HeldLock, 1> Locks;
    for (const HeldLock &L : State->Locks)
      if (!L.creationEdge() && !L.AtomicEdge && !L.Guard)
        Locks.push_back(L);
    if (Held)
      llvm::erase_if(*Held, [&](const HeldLock &L) { return !llvm::is_contained(Locks, L); });
    else
      Held = std::move(Locks);
  }
  --Nesting;
  if (!Held)
    return std::nullopt;
  return std::make_pair(TrueWhenTruthy ? 0u : 1u, std::move(*Held));
}

} // namespace clang::tidy::untangle
