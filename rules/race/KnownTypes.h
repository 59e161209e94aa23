//===--- KnownTypes.h - the library types the rule knows by name -*- C++ -*-===//
//
// untangle-data-race recognizes threads, mutexes, guards, executors and the like by
// their qualified names, not by matching declarations: one translation unit sees many
// standard libraries (libstdc++, libc++) and concurrency libraries (Asio, Boost, the
// project's own runtime), and a name is what they have in common. The tables live here,
// once, so that the spawn, lockset and library-effect parts of the rule agree on them.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_KNOWNTYPES_H
#define UNTANGLE_RULES_RACE_KNOWNTYPES_H

#include "nesting/AsyncCallModel.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace clang::tidy::untangle {

inline constexpr llvm::StringLiteral ThreadTypes[] = {"std::thread", "std::jthread"};
inline constexpr llvm::StringLiteral MutexTypes[] = {
    "std::mutex",        "std::recursive_mutex",       "std::timed_mutex",
    "std::shared_mutex", "std::recursive_timed_mutex", "std::shared_timed_mutex"};
// Objects whose every operation synchronizes (or that only hold synchronization state).
inline constexpr llvm::StringLiteral SynchronizedTypes[] = {
    "std::atomic", "std::atomic_ref", "std::atomic_flag", "std::condition_variable",
    "std::condition_variable_any", "std::once_flag", "std::latch", "std::barrier",
    "std::counting_semaphore", "std::binary_semaphore", "std::future",
    "std::shared_future", "std::promise", "std::thread", "std::jthread",
    "std::stop_source", "std::stop_token", "std::lock_guard", "std::unique_lock",
    "std::scoped_lock", "std::shared_lock",
    // The executors themselves: posting to them is thread-safe by contract.
    "untangle::ThreadPool", "untangle::EventLoop", "untangle::WaitGroup",
    "asio::thread_pool", "asio::io_context", "boost::asio::thread_pool",
    "boost::asio::io_context"};
inline constexpr llvm::StringLiteral CPthreadTypes[] = {
    "pthread_mutex_t", "pthread_rwlock_t", "pthread_spinlock_t", "pthread_cond_t",
    "pthread_t", "pthread_once_t", "pthread_barrier_t", "sem_t"};
inline constexpr llvm::StringLiteral ThreadPoolTypes[] = {
    "untangle::ThreadPool", "asio::thread_pool", "boost::asio::thread_pool"};
inline constexpr llvm::StringLiteral SingleThreadedExecutorTypes[] = {
    "untangle::EventLoop", "asio::io_context", "boost::asio::io_context",
    "asio::io_service", "boost::asio::io_service"};

inline std::string recordName(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  if (const auto *RD = T->getAsRecordDecl())
    return AsyncCallModel::qualifiedName(*RD);
  return {};
}

// The class of the object a member function is called on (`m.f()` and `p->f()`).
inline QualType objectType(const CXXMemberCallExpr &Call) {
  QualType T = Call.getImplicitObjectArgument()->IgnoreParenBaseCasts()->getType();
  return T->isPointerType() ? T->getPointeeType() : T;
}

template <size_t N> bool isOneOf(llvm::StringRef Name, const llvm::StringLiteral (&List)[N]) {
  return llvm::is_contained(List, Name);
}

inline bool isNamed(llvm::StringRef Name, std::initializer_list<llvm::StringRef> Names) {
  return llvm::is_contained(Names, Name);
}

// The expression under implicit casts, parentheses and temporaries.
inline const Expr *stripImplicit(const Expr *E) {
  while (true) {
    E = E->IgnoreParenImpCasts();
    if (const auto *C = dyn_cast<ExprWithCleanups>(E))
      E = C->getSubExpr();
    else if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else
      return E;
  }
}

// The value of an integer constant expression (`2`, `N - 1`, `memory_order_acquire`).
inline std::optional<int64_t> integerConstant(const Expr *E, const ASTContext &Ctx) {
  Expr::EvalResult Result;
  if (!E || E->isValueDependent() || !E->EvaluateAsInt(Result, Ctx))
    return std::nullopt;
  return Result.Val.getInt().getExtValue();
}

inline bool isLoopStmt(const Stmt *S) {
  return isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S);
}

// Declared in a system header: the standard library's own code is not walked, and its
// internals are not what the user can fix.
inline bool isInSystemHeader(const Decl *D, const SourceManager &SM) {
  return D && SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation()));
}

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_RACE_KNOWNTYPES_H
