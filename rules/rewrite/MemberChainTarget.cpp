//===--- MemberChainTarget.cpp - which coroutine a member chain becomes ---===//

#include "rewrite/MemberChainTarget.h"
#include "nesting/AsyncCallModel.h"
#include "rewrite/AsioTarget.h"
#include "rewrite/SourceEdits.h"
#include "llvm/ADT/StringExtras.h"

namespace clang::tidy::untangle {

namespace {

std::string quoted(const NamedDecl &D) { return "'" + D.getNameAsString() + "'"; }

bool isAsioStep(const Step &S) {
  return !S.Operation || S.Hop != ExecutorHop::None ||
         isAsioOperation(*AsyncCallModel::calleeOf(*S.Operation), S.TokenIndex);
}

} // namespace

std::string notAnAsioStep(const Step &S) {
  const FunctionDecl *Callee = AsyncCallModel::calleeOf(*S.Operation);
  return "the step of " + quoted(*S.Member) + " calls '" +
         (Callee ? Callee->getNameAsString() : std::string("?")) +
         "', not an Asio async_* operation taking a completion token (co_await needs one)";
}

TargetPlan planMemberChainTarget(llvm::ArrayRef<Step> Steps, const MemberChainConfig &Config,
                                 const SourceManager &SM, const LangOptions &LangOpts) {
  TargetPlan Plan;
  auto Refuse = [&](SourceLocation Loc, std::string Why) {
    Plan.RefusedAt = Loc;
    Plan.Refusal = std::move(Why);
    return Plan;
  };
  Plan.ToAsio = Config.Target == MemberChainTarget::Asio ||
                (Config.Target == MemberChainTarget::Auto && llvm::all_of(Steps, isAsioStep));
  for (unsigned I = 0; I < Steps.size(); ++I) {
    const Step &S = Steps[I];
    if (!S.Operation || (Plan.ToAsio && S.Hop != ExecutorHop::None))
      continue;
    const FunctionDecl &Callee = *AsyncCallModel::calleeOf(*S.Operation);
    const CXXMethodDecl &Next = *S.Next.Method;
    if (Plan.ToAsio) {
      if (!isAsioStep(S))
        return Refuse(S.Operation->getBeginLoc(), notAnAsioStep(S));
      if (Next.param_empty() || Next.getNumParams() > 2)
        return Refuse(Next.getLocation(), quoted(Next) + " does not take an error code and "
                                                         "at most one result");
      continue;
    }
    // The runtime's coroutine runs where each callback ran (from_callback resumes
    // inside it); an executor hop or binding is Asio's to keep.
    if (S.Hop != ExecutorHop::None || S.Next.BoundExecutor)
      return Refuse(S.Operation->getBeginLoc(),
                    "the step of " + quoted(*S.Member) + " hands the next member to an "
                        "executor (" +
                        (S.Next.BoundExecutor ? std::string("bind_executor")
                                              : quoted(Callee)) +
                        "), which only Asio's coroutine keeps (RewriteTarget asio or auto, "
                        "with every step an Asio operation)");
    const Expr *Handler = S.Operation->getArg(S.TokenIndex);
    if (!Config.Model || llvm::none_of(Config.Model->asyncCallbacks(*S.Operation),
                                       [&](const Callable &C) {
                                         return C.Arg->getBeginLoc() == Handler->getBeginLoc();
                                       }))
      return Refuse(S.Operation->getBeginLoc(),
                    quoted(Callee) + " is not known to call " + quoted(Next) +
                        " asynchronously (list it in AsyncFunctions if it does)");
    if (Config.MultiShot && Config.MultiShot->isMultiShot(Callee, S.TokenIndex))
      return Refuse(S.Operation->getBeginLoc(),
                    quoted(Callee) + " may call " + quoted(Next) +
                        " more than once; a co_await resumes once");
    std::vector<std::string> &Types = Plan.CallbackTypes[I];
    for (const ParmVarDecl *P : Next.parameters()) {
      std::string Written = writtenTypeText(*P, SM, LangOpts);
      if (Written.empty() || llvm::StringRef(Written).contains("auto"))
        return Refuse(P->getLocation(), "the type of a parameter of " + quoted(Next) +
                                            " is not written out (from_callback needs it)");
      Types.push_back(Written);
    }
  }
  return Plan;
}

CallbackBinding bindCallbackResults(const CXXMethodDecl &Next,
                                    llvm::function_ref<bool(const ParmVarDecl &)> Reusable,
                                    llvm::function_ref<std::string()> FreshUnused,
                                    const SourceManager &SM, const LangOptions &LangOpts) {
  auto Params = Next.parameters();
  CallbackBinding Binding;
  if (Params.empty())
    return Binding;
  auto Named = [](const ParmVarDecl *P) { return P->getIdentifier() != nullptr; };
  if (llvm::none_of(Params, Named)) // the results are not used: `co_await ...;`
    return Binding;
  if (llvm::all_of(Params, [&](const ParmVarDecl *P) {
        return !P->getIdentifier() || Reusable(*P);
      })) {
    if (Params.size() == 1)
      return {Params.front()->getNameAsString() + " = ", false};
    std::vector<std::string> Targets;
    for (const ParmVarDecl *P : Params)
      Targets.push_back(P->getIdentifier() ? P->getNameAsString() : "std::ignore");
    return {"std::tie(" + llvm::join(Targets, ", ") + ") = ", false};
  }
  Binding.Declares = true;
  if (Params.size() == 1) {
    Binding.Prefix = asioResultType(*Params.front(), "auto", SM, LangOpts) + " " +
                     Params.front()->getNameAsString() + " = ";
    return Binding;
  }
  std::vector<std::string> Names;
  for (const ParmVarDecl *P : Params)
    Names.push_back(P->getIdentifier() ? P->getNameAsString() : FreshUnused());
  Binding.Prefix = "auto [" + llvm::join(Names, ", ") + "] = ";
  return Binding;
}

} // namespace clang::tidy::untangle
