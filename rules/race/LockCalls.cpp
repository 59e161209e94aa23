//===--- LockCalls.cpp - which calls lock, unlock or order ----------------===//
//
// What a call does to the locks a thread holds: a mutex member or a pthread lock call
// takes or lets go of its operand, a try-lock holds it where it succeeded, `std::lock`
// takes all of its arguments, an annotation (`__tsan_release`, `AnnotateHappensAfter`)
// is one end of a happens-before edge on an address, and an argument-less lock call
// (SV-COMP's `__VERIFIER_atomic_begin`, an embedded port's `enter_critical()`) takes
// the program's one critical section, as does the whole body of an SV-COMP
// `__VERIFIER_atomic_*` function. The flow analysis (race/Locksets.cpp) applies these
// effects; here they are only classified, so that one table says which calls count.
//
//===----------------------------------------------------------------------===//

#include "race/ConcurrencyModel.h"
#include "race/KnownTypes.h"
#include "race/Locksets.h"

namespace clang::tidy::untangle {

bool isLockGuardType(QualType T, bool &SharedGuard) {
  std::string Name = recordName(T);
  SharedGuard = Name == "std::shared_lock";
  return SharedGuard || Name == "std::lock_guard" || Name == "std::unique_lock" ||
         Name == "std::scoped_lock";
}

ConcurrencyModel::LockEffect ConcurrencyModel::lockEffect(const CallExpr &Call,
                                                          const Expr *&Mutex) const {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return LockEffect::None;
  llvm::StringRef Name = Callee->getName();
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call)) {
    Mutex = Member->getImplicitObjectArgument();
    if (isOneOf(recordName(objectType(*Member)), MutexTypes)) {
      if (Name == "lock")
        return LockEffect::Acquire;
      if (Name == "lock_shared")
        return LockEffect::AcquireShared;
      if (Name == "unlock" || Name == "unlock_shared")
        return LockEffect::Release;
      if (Name == "try_lock")
        return LockEffect::TryAcquire;
      return LockEffect::None;
    }
  } else if (Call.getNumArgs() > 0) {
    Mutex = Call.getArg(0);
    if (Name == "pthread_mutex_lock" || Name == "pthread_rwlock_wrlock" ||
        Name == "pthread_spin_lock")
      return LockEffect::Acquire;
    if (Name == "pthread_rwlock_rdlock")
      return LockEffect::AcquireShared;
    if (Name == "pthread_mutex_unlock" || Name == "pthread_rwlock_unlock" ||
        Name == "pthread_spin_unlock")
      return LockEffect::Release;
    if (Name == "pthread_mutex_trylock" || Name == "pthread_rwlock_trywrlock" ||
        Name == "pthread_spin_trylock")
      return LockEffect::TryAcquire;
    if (Callee->isInStdNamespace() && Name == "lock" && Call.getNumArgs() >= 2)
      return LockEffect::AcquireAll;
    // ThreadSanitizer's custom-mutex annotations: held from post_lock to pre_unlock.
    // Flags other than a plain lock (`__tsan_mutex_try_lock | (ok ? 0 : failed)`) say
    // it may have failed: held on the success branch only, if at all.
    if (Name == "__tsan_mutex_post_lock") {
      const bool Plain = Call.getNumArgs() < 2 ||
                         integerConstant(Call.getArg(1), Callee->getASTContext()) == 0;
      return Plain ? LockEffect::Acquire : LockEffect::TryAcquire;
    }
    if (Name == "__tsan_mutex_pre_unlock")
      return LockEffect::Release;
    // Happens-before annotations on an address; `AnnotateHappens*(file, line, addr)`
    // is what the ANNOTATE_HAPPENS_* macros expand to.
    if (Name == "AnnotateHappensBefore" || Name == "AnnotateHappensAfter") {
      if (Call.getNumArgs() < 3)
        return LockEffect::None;
      Mutex = Call.getArg(2);
    }
    if (Name == "__tsan_release" || Name == "AnnotateHappensBefore")
      return LockEffect::HappensBefore;
    if (Name == "__tsan_acquire" || Name == "AnnotateHappensAfter")
      return LockEffect::HappensAfter;
  }
  // SV-COMP's atomic sections and an argument-less lock function of the options
  // (`enter_critical()`) take the program's one critical section: the call itself
  // stands for it (resolveOperand).
  const bool Section = Name == "__VERIFIER_atomic_begin" || Name == "__VERIFIER_atomic_end";
  const bool Acquires =
      plays(WrapperRole::Acquire, Callee) || Name == "__VERIFIER_atomic_begin";
  if (!Acquires && !Section && !plays(WrapperRole::Release, Callee))
    return LockEffect::None;
  if (Call.getNumArgs() > 0 && !Section)
    Mutex = Call.getArg(0);
  else if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
    Mutex = Member->getImplicitObjectArgument();
  else
    Mutex = &Call;
  return Acquires ? LockEffect::Acquire : LockEffect::Release;
}

bool runsAtomically(const FunctionDecl &F) {
  if (!F.getIdentifier())
    return false;
  llvm::StringRef Name = F.getName();
  return Name.starts_with("__VERIFIER_atomic_") && Name != "__VERIFIER_atomic_begin" &&
         Name != "__VERIFIER_atomic_end";
}

bool guardsInitialization(const VarDecl &V, const ASTContext &Ctx) {
  return V.isStaticLocal() && V.getInit() && Ctx.getLangOpts().CPlusPlus &&
         Ctx.getLangOpts().ThreadsafeStatics;
}

} // namespace clang::tidy::untangle
