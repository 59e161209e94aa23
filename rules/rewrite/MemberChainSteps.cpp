//===--- MemberChainSteps.cpp - the steps of a chain of members ----------===//

#include "rewrite/MemberChainSteps.h"
#include "nesting/AsyncCallModel.h"

namespace clang::tidy::untangle {

const Expr *peel(const Expr *E) {
  while (E) {
    E = E->IgnoreImplicit()->IgnoreParens();
    // Besides copies and moves: the implicit conversion of a handler to the
    // std::function parameter of a callback API (not `T(x)` as written).
    const auto *Construct = dyn_cast<CXXConstructExpr>(E);
    if (!Construct || Construct->getNumArgs() != 1 || isa<CXXTemporaryObjectExpr>(Construct) ||
        !(Construct->getConstructor()->isCopyOrMoveConstructor() ||
          Construct->getConstructor()->isConvertingConstructor(/*AllowExplicit=*/false)))
      return E;
    E = Construct->getArg(0);
  }
  return E;
}

namespace {

bool isSharedFromThis(const Expr *E) {
  const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(peel(E));
  return Call && Call->getMethodDecl() && Call->getMethodDecl()->getIdentifier() &&
         Call->getMethodDecl()->getName() == "shared_from_this" &&
         isa<CXXThisExpr>(Call->getImplicitObjectArgument()->IgnoreParenImpCasts());
}

/// The arguments as written: Boost 1.74 adds defaulted enable_if parameters.
unsigned writtenArgs(const CallExpr &Call) {
  unsigned N = Call.getNumArgs();
  while (N > 0 && isa<CXXDefaultArgExpr>(Call.getArg(N - 1)))
    --N;
  return N;
}

bool isPlaceholder(const Expr *E, unsigned Number) {
  const auto *Ref = dyn_cast_or_null<DeclRefExpr>(peel(E));
  return Ref && Ref->getDecl()->getIdentifier() &&
         Ref->getDecl()->getName() == "_" + std::to_string(Number) &&
         AsyncCallModel::qualifiedName(*Ref->getDecl()).find("placeholders") !=
             std::string::npos;
}

} // namespace

/// The member a handler continues in, when the handler is one of the forms the rewrite
/// knows to keep the object alive with shared_from_this() and to pass the completion's
/// arguments on unchanged.
NextMember handlerTarget(const Expr *Arg, const CXXRecordDecl &Class) {
  const Expr *E = peel(Arg);
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = AsyncCallModel::calleeOf(*Call);
    if (!Callee || Call->getNumArgs() < 2)
      return {};
    std::string Name = AsyncCallModel::qualifiedName(*Callee);
    // bind_executor(strand_, <handler>): the handler, run on strand_.
    if (Name == "boost::asio::bind_executor" || Name == "asio::bind_executor") {
      NextMember Bound = writtenArgs(*Call) == 2 ? handlerTarget(Call->getArg(1), Class)
                                                 : NextMember{};
      if (Bound.Method && !Bound.BoundExecutor)
        Bound.BoundExecutor = Call->getArg(0);
      return Bound.BoundExecutor == Call->getArg(0) ? Bound : NextMember{};
    }
    const auto *AddrOf = dyn_cast<UnaryOperator>(peel(Call->getArg(0)));
    const auto *Ref = AddrOf && AddrOf->getOpcode() == UO_AddrOf
                          ? dyn_cast<DeclRefExpr>(AddrOf->getSubExpr()->IgnoreParens())
                          : nullptr;
    const auto *Method = Ref ? dyn_cast<CXXMethodDecl>(Ref->getDecl()) : nullptr;
    if (!Method || Method->getParent() != &Class || !isSharedFromThis(Call->getArg(1)))
      return {};
    if (Name == "boost::beast::bind_front_handler" || Name == "std::bind_front")
      return Call->getNumArgs() == 2 ? NextMember{Method, Ref->getLocation()} : NextMember{};
    if (Name != "std::bind" || Call->getNumArgs() != 2 + Method->getNumParams())
      return {};
    for (unsigned I = 0; I < Method->getNumParams(); ++I)
      if (!isPlaceholder(Call->getArg(2 + I), I + 1))
        return {};
    return {Method, Ref->getLocation()};
  }
  // [self = shared_from_this()](error_code ec, std::size_t n) { self->on_read(ec, n); }
  const auto *Lambda = dyn_cast<LambdaExpr>(E);
  if (!Lambda || Lambda->capture_size() != 1 || !Lambda->isInitCapture(Lambda->capture_begin()))
    return {};
  const auto *Self = cast<VarDecl>(Lambda->capture_begin()->getCapturedVar());
  const CompoundStmt *Body = Lambda->getCompoundStmtBody();
  if (!isSharedFromThis(Self->getInit()) || !Body || Body->size() != 1)
    return {};
  const auto *Call = dyn_cast<CXXMemberCallExpr>(peel(dyn_cast<Expr>(Body->body_front())));
  const CXXMethodDecl *Method = Call ? Call->getMethodDecl() : nullptr;
  const auto *Member = Call ? dyn_cast<MemberExpr>(Call->getCallee()->IgnoreParens()) : nullptr;
  if (!Method || !Member || Method->getParent() != &Class)
    return {};
  const auto *Arrow = dyn_cast<CXXOperatorCallExpr>(peel(Call->getImplicitObjectArgument()));
  const auto *SelfRef =
      Arrow && Arrow->getNumArgs() == 1 ? dyn_cast<DeclRefExpr>(peel(Arrow->getArg(0))) : nullptr;
  const CXXMethodDecl *Operator = Lambda->getCallOperator();
  if (!SelfRef || SelfRef->getDecl() != Self ||
      Call->getNumArgs() != Operator->getNumParams())
    return {};
  for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
    const auto *Forwarded = dyn_cast<DeclRefExpr>(peel(Call->getArg(I)));
    if (!Forwarded || Forwarded->getDecl() != Operator->getParamDecl(I))
      return {};
  }
  return {Method, Member->getMemberLoc()};
}

ExecutorHop executorHopOf(const CallExpr &Call, unsigned TokenIndex) {
  const FunctionDecl *Callee = AsyncCallModel::calleeOf(Call);
  if (!Callee || TokenIndex != 1 || writtenArgs(Call) != 2)
    return ExecutorHop::None;
  std::string Name = AsyncCallModel::qualifiedName(*Callee);
  if (Name == "boost::asio::dispatch" || Name == "asio::dispatch")
    return ExecutorHop::Dispatch;
  if (Name == "boost::asio::post" || Name == "asio::post")
    return ExecutorHop::Post;
  return ExecutorHop::None;
}

} // namespace clang::tidy::untangle
