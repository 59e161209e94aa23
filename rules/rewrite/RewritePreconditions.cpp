//===--- RewritePreconditions.cpp - when a chain may be rewritten --------===//

#include "rewrite/RewritePreconditions.h"
#include "nesting/AsyncCallModel.h"
#include "nesting/CallbackChain.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::untangle {

const char DefaultMultiShotFunctions[] =
    "set_interval;on;once_each;subscribe;connect;watch*;*_each;"
    "uWS::*;listen;ws;on_message;on_data;on_event;add_listener;addEventListener";

llvm::StringRef refusalName(RefusalReason Reason) {
  switch (Reason) {
  case RefusalReason::MultiShot:
    return "multi-shot";
  case RefusalReason::NotTailPosition:
    return "not-tail-position";
  case RefusalReason::FanOut:
    return "fan-out";
  case RefusalReason::InsideCatch:
    return "inside-catch";
  case RefusalReason::InsideTry:
    return "inside-try";
  case RefusalReason::ResultUsed:
    return "callback-result-used";
  case RefusalReason::Goto:
    return "goto";
  case RefusalReason::Macro:
    return "macro";
  case RefusalReason::NotALambda:
    return "not-a-lambda";
  case RefusalReason::CaptureMode:
    return "capture-mode";
  case RefusalReason::Unsupported:
    return "unsupported";
  case RefusalReason::PromiseOrder:
    return "promise-order";
  case RefusalReason::FlatChain:
    return "flat-chain";
  }
  return "unknown";
}

namespace {

const FunctionDecl *definitionOf(const FunctionDecl &F) {
  const FunctionDecl *D = &F;
  if (const FunctionDecl *Pattern = D->getTemplateInstantiationPattern())
    D = Pattern;
  if (const FunctionDecl *Def = D->getDefinition())
    return Def->hasBody() ? Def : nullptr;
  return nullptr;
}

/// Every reference to one variable in a body, with the statements around it.
class References : public RecursiveASTVisitor<References> {
public:
  explicit References(const ValueDecl *Target) : Target(Target) {}
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (E->getDecl() == Target)
      Found.push_back(E);
    return true;
  }
  bool TraverseLambdaCapture(LambdaExpr *LE, const LambdaCapture *C, Expr *Init) {
    if (C->capturesVariable() && C->getCapturedVar() == Target && !Init)
      CapturedBy.push_back(LE);
    return RecursiveASTVisitor::TraverseLambdaCapture(LE, C, Init);
  }
  const ValueDecl *Target;
  std::vector<const DeclRefExpr *> Found;
  std::vector<const LambdaExpr *> CapturedBy;
};

bool isLoop(const Stmt *S) {
  return isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S);
}

const Stmt *parentOf(const Stmt *S, ASTContext &Context) {
  auto Parents = Context.getParents(*S);
  return Parents.empty() ? nullptr : Parents[0].get<Stmt>();
}

bool inLoopWithin(const Stmt *S, const Stmt *Body, ASTContext &Context) {
  for (const Stmt *P = parentOf(S, Context); P && P != Body; P = parentOf(P, Context))
    if (isLoop(P))
      return true;
  return false;
}

const Expr *stripMove(const Expr *E) {
  while (true) {
    const Expr *Before = E;
    E = E->IgnoreParenImpCasts();
    if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(E))
      E = Temp->getSubExpr();
    else if (const auto *Bind = dyn_cast<CXXBindTemporaryExpr>(E))
      E = Bind->getSubExpr();
    else if (const auto *Cleanups = dyn_cast<ExprWithCleanups>(E))
      E = Cleanups->getSubExpr();
    else if (const auto *Construct = dyn_cast<CXXConstructExpr>(E);
             Construct && Construct->getNumArgs() == 1)
      E = Construct->getArg(0);
    else if (const auto *Call = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *F = AsyncCallModel::calleeOf(*Call);
      if (F && Call->getNumArgs() == 1 &&
          (AsyncCallModel::qualifiedName(*F) == "std::move" ||
           AsyncCallModel::qualifiedName(*F) == "std::forward"))
        E = Call->getArg(0);
    }
    if (E == Before)
      return E;
  }
}

/// `loop.post(f)`, `loop.set_timeout(d, f)`: the runtime calls `f` from a task of its
/// own and runs the microtasks right after it.
bool isLoopTaskCall(const CallExpr &Call, const Expr *&Task) {
  const FunctionDecl *F = AsyncCallModel::calleeOf(Call);
  if (!F || Call.getNumArgs() == 0)
    return false;
  std::string Name = AsyncCallModel::qualifiedName(*F);
  if (Name != "untangle::EventLoop::post" && Name != "untangle::EventLoop::set_timeout")
    return false;
  Task = Call.getArg(Call.getNumArgs() - 1);
  return true;
}

} // namespace

// The globs become anchored regexes matched like every other name list (NameList).
static std::vector<std::string> globsToRegexes(const std::vector<std::string> &Globs) {
  std::vector<std::string> Regexes;
  for (const std::string &Glob : Globs)
    Regexes.push_back(globToRegex(Glob));
  return Regexes;
}

MultiShotModel::MultiShotModel(const std::vector<std::string> &Globs)
    : Names(globsToRegexes(Globs)) {}

bool MultiShotModel::isMultiShot(const FunctionDecl &Callee, unsigned ParamIndex) const {
  if (Names.matches(Callee))
    return true;
  const FunctionDecl *Def = definitionOf(Callee);
  if (!Def || ParamIndex >= Def->getNumParams())
    return false;
  // The callback parameter used inside a loop: called, posted or stored once per turn.
  References Refs(Def->getParamDecl(ParamIndex));
  Refs.TraverseStmt(Def->getBody());
  ASTContext &Context = Def->getASTContext();
  for (const DeclRefExpr *Ref : Refs.Found)
    if (inLoopWithin(Ref, Def->getBody(), Context))
      return true;
  for (const LambdaExpr *Lambda : Refs.CapturedBy)
    if (inLoopWithin(Lambda, Def->getBody(), Context))
      return true;
  return false;
}

bool callsBackLastFromOwnLoopTask(const FunctionDecl &Callee, unsigned ParamIndex) {
  std::string Name = AsyncCallModel::qualifiedName(Callee);
  if (Name == "untangle::EventLoop::post" || Name == "untangle::EventLoop::set_timeout")
    return ParamIndex + 1 == Callee.getNumParams();
  const FunctionDecl *Def = definitionOf(Callee);
  if (!Def || ParamIndex >= Def->getNumParams())
    return false;
  ASTContext &Context = Def->getASTContext();
  const ParmVarDecl *Param = Def->getParamDecl(ParamIndex);
  References Refs(Param);
  Refs.TraverseStmt(Def->getBody());
  if (Refs.Found.empty())
    return false;

  struct Owners : RecursiveASTVisitor<Owners> {
    bool VisitLambdaExpr(LambdaExpr *L) {
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable() && L->isInitCapture(&C))
          Owner[cast<VarDecl>(C.getCapturedVar())] = L;
      return true;
    }
    llvm::DenseMap<const VarDecl *, const LambdaExpr *> Owner;
  } InitCaptureOwners;
  InitCaptureOwners.TraverseStmt(Def->getBody());

  // Each use is either the task handed to the loop (`post(std::move(done))`), or inside
  // a lambda handed to the loop, which calls it (or its init-captured copy) last.
  for (const DeclRefExpr *Ref : Refs.Found) {
    const LambdaExpr *Task = nullptr;
    bool Ok = false;
    // Up through statements and the init-capture declarations of lambdas.
    DynTypedNode Node = DynTypedNode::create(*Ref);
    while (true) {
      auto Parents = Context.getParents(Node);
      if (Parents.empty())
        break;
      Node = Parents[0];
      if (const auto *Lambda = Node.get<LambdaExpr>()) {
        Task = Lambda;
        break;
      }
      if (const auto *Call = Node.get<CallExpr>()) {
        const Expr *TaskArg = nullptr;
        if (isLoopTaskCall(*Call, TaskArg) && stripMove(TaskArg) == Ref) {
          Ok = !inLoopWithin(Call, Def->getBody(), Context);
          break;
        }
      }
      if (const auto *Var = Node.get<VarDecl>(); Var && Var->isInitCapture()) {
        Task = InitCaptureOwners.Owner.lookup(Var);
        break;
      }
      if (Node.get<Stmt>() == Def->getBody() || Node.get<FunctionDecl>())
        break;
    }
    if (Ok)
      continue;
    if (!Task)
      return false;
    // The lambda must be the task argument of post/set_timeout.
    const Stmt *TaskHolder = parentOf(Task, Context);
    while (TaskHolder && !isa<CallExpr>(TaskHolder) && isa<Expr>(TaskHolder))
      TaskHolder = parentOf(TaskHolder, Context);
    const Expr *TaskArg = nullptr;
    if (!TaskHolder || !isLoopTaskCall(*cast<CallExpr>(TaskHolder), TaskArg) ||
        stripMove(TaskArg) != Task || inLoopWithin(TaskHolder, Def->getBody(), Context))
      return false;
    // In the task, every call of the callback (through the param or an init-capture
    // initialized from it) is in tail position.
    const ValueDecl *Copy = Param;
    for (const LambdaCapture &C : Task->captures())
      if (C.capturesVariable() && Task->isInitCapture(&C)) {
        const auto *Init = cast<VarDecl>(C.getCapturedVar());
        if (Init->getInit() && stripMove(Init->getInit()) == Ref)
          Copy = Init;
      }
    References Calls(Copy);
    Calls.TraverseStmt(Task->getBody());
    for (const DeclRefExpr *Use : Calls.Found) {
      const Stmt *UseParent = parentOf(Use, Context);
      while (UseParent && isa<ImplicitCastExpr>(UseParent))
        UseParent = parentOf(UseParent, Context);
      const auto *Call = dyn_cast_or_null<CallExpr>(UseParent);
      if (!Call || !isInTailPosition(Call, Task->getBody(), Context))
        return false;
    }
  }
  return true;
}

} // namespace clang::tidy::untangle
