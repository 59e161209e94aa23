//===--- MemberChainExecutor.cpp - where a member coroutine runs ----------===//

#include "rewrite/MemberChainExecutor.h"
#include "nesting/AsyncCallModel.h"
#include "rewrite/AsioTarget.h"
#include "llvm/ADT/STLExtras.h"
#include <optional>

namespace clang::tidy::untangle {

namespace {

/// Executors are compared as written: `stream_.get_executor()` twice is one executor;
/// two spellings of one executor are taken for two (a refusal, never a wrong rewrite).
std::string withoutBlanks(llvm::StringRef Text) {
  std::string Out;
  for (char C : Text)
    if (!isspace(static_cast<unsigned char>(C)))
      Out += C;
  return Out;
}

std::string calleeName(const Step &S) {
  const FunctionDecl *Callee = AsyncCallModel::calleeOf(*S.Operation);
  return "'" + (Callee ? Callee->getNameAsString() : std::string("?")) + "'";
}

} // namespace

ExecutorPlan planCoroutineExecutor(llvm::ArrayRef<Step> Steps, bool Standalone,
                                   const SourceManager &SM, const LangOptions &LangOpts) {
  ExecutorPlan Plan;
  auto Refuse = [&](SourceLocation Loc, std::string Why) {
    Plan.Executor.clear();
    Plan.RefusedAt = Loc;
    Plan.Refusal = std::move(Why);
    return Plan;
  };
  // Where the handler of \p S ran before the rewrite.
  auto HandlerExecutor = [&](const Step &S) -> std::optional<std::string> {
    if (S.Hop != ExecutorHop::None)
      return asioExecutorText(*S.Operation->getArg(0), SM, LangOpts);
    if (S.Next.BoundExecutor)
      return asioExecutorText(*S.Next.BoundExecutor, SM, LangOpts);
    return asioExecutorOf(*S.Operation, SM, LangOpts);
  };
  const Step &First = Steps.front();
  // post(strand_, bind_executor(other_, h)) runs h on other_: one shape too many.
  if (First.Hop != ExecutorHop::None && First.Next.BoundExecutor)
    return Refuse(First.Operation->getBeginLoc(),
                  "the handler of the first step's " + calleeName(First) +
                      " is bound to an executor of its own");
  std::optional<std::string> Executor = HandlerExecutor(First);
  if (!Executor)
    return Refuse(First.Operation->getBeginLoc(),
                  First.Hop != ExecutorHop::None
                      ? "the executor of the first step's " + calleeName(First) +
                            " is not a plain name, member or '<object>.get_executor()', "
                            "which co_spawn could take"
                  : First.Next.BoundExecutor
                      ? std::string("the executor the first handler is bound to is not a "
                                    "plain name, member or '<object>.get_executor()'")
                      : std::string("the I/O object of the first operation is not a plain "
                                    "name or member, whose executor co_spawn could take"));
  if (First.Hop == ExecutorHop::Post && Standalone)
    return Refuse(First.Operation->getBeginLoc(),
                  "Asio 1.22's co_spawn runs the coroutine at once when the caller is "
                  "already on the executor, which the post it would replace never does");
  bool Bound = llvm::any_of(Steps, [](const Step &S) {
    return S.Hop != ExecutorHop::None || S.Next.BoundExecutor;
  });
  for (const Step &S : Steps) {
    if (!S.Operation)
      continue;
    if (S.Hop != ExecutorHop::None && &S != &First)
      return Refuse(S.Operation->getBeginLoc(),
                    "the chain hands the next member to an executor with " + calleeName(S) +
                        " after its first step; only a leading dispatch or post is "
                        "rewritten (co_spawn on its executor stands for it)");
    if (!Bound)
      continue;
    std::optional<std::string> Runs = HandlerExecutor(S);
    if (!Runs || withoutBlanks(*Runs) != withoutBlanks(*Executor))
      return Refuse(S.Operation->getArg(S.TokenIndex)->getBeginLoc(),
                    "the handler of " + calleeName(S) + " runs on '" +
                        (Runs ? *Runs : std::string("an executor not named plainly")) +
                        "', not on '" + *Executor +
                        "', where the coroutine would run it (bind it with bind_executor "
                        "to that executor, or make the first step use it)");
  }
  Plan.Executor = *Executor;
  return Plan;
}

} // namespace clang::tidy::untangle
