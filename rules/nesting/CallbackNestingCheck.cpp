//===--- CallbackNestingCheck.cpp - untangle-callback-nesting ------------===//

#include "nesting/CallbackNestingCheck.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang::ast_matchers;

namespace clang::tidy::untangle {

namespace {

constexpr llvm::StringLiteral DefaultCompletionHandlerNames =
    "cb;callback;done;handler;completion;on_*;*_cb;*_callback;*_handler";

/// Instantiations of one template are one function to the reader: chains are keyed
/// by the function as written.
const FunctionDecl *asWritten(const FunctionDecl *F) {
  if (const FunctionDecl *Pattern = F->getTemplateInstantiationPattern())
    F = Pattern;
  return F->getCanonicalDecl();
}

bool isUserCode(const FunctionDecl &F, const SourceManager &SM) {
  return F.getLocation().isValid() && !SM.isInSystemHeader(F.getLocation());
}

SourceLocation reportLoc(SourceLocation Loc, const SourceManager &SM) {
  // Inside a macro, point at the expansion the user wrote, never at the macro body.
  return SM.getExpansionLoc(Loc);
}

} // namespace

/// Walks one function body top-down, keeping the stack of asynchronous calls whose
/// callbacks enclose the current point. Synchronous lambdas (algorithm predicates,
/// immediately invoked lambdas, std::visit visitors) are walked through without
/// adding a level, so they never count, also between two asynchronous levels.
class NestingVisitor : public RecursiveASTVisitor<NestingVisitor> {
  using Base = RecursiveASTVisitor<NestingVisitor>;

public:
  NestingVisitor(CallbackNestingCheck &Check, const FunctionDecl &Root,
                 const SourceManager &SM)
      : Check(Check), Root(asWritten(&Root)), Body(Root.getBody()), SM(SM) {}

  bool shouldVisitTemplateInstantiations() const { return false; }

  bool TraverseStmt(Stmt *S) {
    if (const auto *Call = dyn_cast_or_null<CallExpr>(S)) {
      llvm::SmallVector<Callable, 2> Callbacks = Check.Model.asyncCallbacks(*Call);
      if (!Callbacks.empty())
        return traverseAsyncCall(*Call, Callbacks);
      recordPlainCall(*Call);
    }
    return Base::TraverseStmt(S);
  }

  bool TraverseLambdaExpr(LambdaExpr *Lambda) {
    return Base::TraverseLambdaExpr(Lambda) && traverseGenericInstantiations(*Lambda);
  }

  // A local class's member functions are functions of their own; the matcher visits
  // them separately, with a fresh stack.
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }

  // A lambda kept in a variable and passed as a callback (`auto on_read = [&]...;
  // async_read(s, buf, on_read);`) runs where it is passed, at that depth; it is walked
  // there, not where it is defined.
  bool TraverseVarDecl(VarDecl *Variable) {
    if (isHeldCallback(*Variable))
      return true;
    return Base::TraverseVarDecl(Variable);
  }

private:
  bool traverseAsyncCall(const CallExpr &Call, llvm::ArrayRef<Callable> Callbacks) {
    // The callee and the other arguments are evaluated now, at the current level.
    if (!TraverseStmt(const_cast<Expr *>(Call.getCallee())))
      return false;
    for (const Expr *Arg : Call.arguments())
      if (llvm::none_of(Callbacks, [&](const Callable &C) { return C.Arg == Arg; }))
        if (!TraverseStmt(const_cast<Expr *>(Arg)))
          return false;

    for (const Callable &Callback : Callbacks) {
      const unsigned Depth = Stack.size() + 1;
      Deepest = std::max(Deepest, Depth);
      if (!Callback.Lambda && Callback.Function &&
          isUserCode(*Callback.Function, SM))
        Check.Continuations.addEdge(Root, asWritten(Callback.Function), Depth,
                                    reportLoc(Callback.Arg->getBeginLoc(), SM));

      // The first level past the maximum is the one reported; deeper levels only
      // make the message say how deep the pyramid goes.
      const bool CrossesMaximum = Depth == Check.MaxDepth + 1;
      const unsigned DeepestOutside = Deepest;
      if (CrossesMaximum)
        Deepest = Depth;

      Stack.push_back({&Call, AsyncCallModel::calleeOf(Call)});
      bool Continue = Callback.Lambda
                          ? traverseLambdaBody(*Callback.Lambda)
                          : TraverseStmt(const_cast<Expr *>(Callback.Arg));
      Stack.pop_back();
      if (!Continue)
        return false;

      if (CrossesMaximum)
        Check.reportNesting(Callback, Stack, Deepest, SM);
      Deepest = std::max(Deepest, DeepestOutside);
    }
    return true;
  }

  bool isHeldCallback(const VarDecl &Variable) {
    const Expr *Init = Variable.getInit();
    if (!Init || isa<ParmVarDecl>(Variable))
      return false;
    std::optional<Callable> Held = AsyncCallModel::classifyCallable(Init);
    if (!Held || !Held->Lambda)
      return false;
    // Only functions that keep a lambda in a variable pay for finding where it goes.
    if (!HeldCallbacks) {
      HeldCallbacks.emplace();
      HeldCallbackFinder Finder{Check.Model, *HeldCallbacks};
      Finder.TraverseStmt(const_cast<Stmt *>(Body));
    }
    return HeldCallbacks->contains(&Variable);
  }

  // Every variable whose lambda some asynchronous call in the function takes.
  struct HeldCallbackFinder : RecursiveASTVisitor<HeldCallbackFinder> {
    HeldCallbackFinder(const AsyncCallModel &Model, llvm::SmallPtrSet<const VarDecl *, 4> &Held)
        : Model(Model), Held(Held) {}
    const AsyncCallModel &Model;
    llvm::SmallPtrSet<const VarDecl *, 4> &Held;
    bool VisitCallExpr(CallExpr *Call) {
      for (const Callable &Callback : Model.asyncCallbacks(*Call))
        if (Callback.TheKind == Callable::Kind::LambdaVariable)
          Held.insert(Callback.Variable);
      return true;
    }
  };

  bool traverseLambdaBody(const LambdaExpr &Lambda) {
    return TraverseStmt(Lambda.getBody()) && traverseGenericInstantiations(Lambda);
  }

  // A generic lambda's body as written is a template, where calls with `auto`
  // arguments are unresolved; its instantiations say what is really called.
  bool traverseGenericInstantiations(const LambdaExpr &Lambda) {
    const FunctionTemplateDecl *Template = Lambda.getDependentCallOperator();
    if (!Template)
      return true;
    for (const FunctionDecl *Instance : Template->specializations())
      if (Instance->getBody() && !TraverseStmt(Instance->getBody()))
        return false;
    return true;
  }

  // A plain call to a function that itself starts the next operation is part of a
  // flat chain (`on_handshake` calls `do_read()`, which calls async_read). Calling a
  // function object of the user's is such a call too: Beast-style servers give
  // `handle_request(req, send)` a `send` whose operator() starts the write. A lambda's
  // body is walked where it is written, so calling one adds nothing here.
  void recordPlainCall(const CallExpr &Call) {
    if (const auto *Operator = dyn_cast<CXXOperatorCallExpr>(&Call);
        Operator && Operator->getOperator() != OO_Call)
      return;
    const FunctionDecl *Callee = AsyncCallModel::calleeOf(Call);
    if (!Callee || !isUserCode(*Callee, SM) || !Callee->isDefined())
      return;
    if (const auto *Method = dyn_cast<CXXMethodDecl>(Callee);
        Method && Method->getParent()->isLambda())
      return;
    // Starting another object (`std::make_shared<session>(...)->run()` in an accept
    // handler, `client->run()` in main) starts a chain of its own: only a member called
    // on this object continues this one. In a callback, `self->on_read(ec, n)` does.
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call);
        Member && Stack.empty() &&
        !isa<CXXThisExpr>(Member->getImplicitObjectArgument()->IgnoreParenImpCasts()))
      return;
    Check.Continuations.addEdge(Root, asWritten(Callee), Stack.size(),
                                reportLoc(Call.getBeginLoc(), SM));
  }

  CallbackNestingCheck &Check;
  const FunctionDecl *Root;
  const Stmt *Body; // of the function walked: an instantiation has its own variables
  const SourceManager &SM;
  llvm::SmallVector<CallbackNestingCheck::AsyncLevel, 8> Stack;
  unsigned Deepest = 0;
  std::optional<llvm::SmallPtrSet<const VarDecl *, 4>> HeldCallbacks;
};

CallbackNestingCheck::CallbackNestingCheck(llvm::StringRef Name,
                                           ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), MaxDepth(Options.get("MaxDepth", 2U)),
      MaxChainLength(Options.get("MaxChainLength", 4U)),
      AsyncFunctions(Options.get("AsyncFunctions", "")),
      SyncFunctions(Options.get("SyncFunctions", "")),
      CompletionHandlerNames(
          Options.get("CompletionHandlerNames", DefaultCompletionHandlerNames)),
      Model(AsyncCallModelOptions{splitOptionList(AsyncFunctions),
                                  splitOptionList(SyncFunctions),
                                  splitOptionList(CompletionHandlerNames)}),
      Scope(*Context),
      RewriteStyle(Options.get("RewriteStyle", "coroutine")),
      MultiShotFunctions(Options.get("MultiShotFunctions", DefaultMultiShotFunctions)),
      AwaitableTwins(Options.get("AwaitableTwins", "")),
      RewriteTarget(Options.get("RewriteTarget", "auto")),
      Rewriter({RewriteStyle, MultiShotFunctions, AwaitableTwins, RewriteTarget}, Model) {
  validatePatterns("AsyncFunctions", AsyncFunctions);
  validatePatterns("SyncFunctions", SyncFunctions);
  if (RewriteTarget != "auto" && RewriteTarget != "untangle" && RewriteTarget != "asio")
    configurationDiag("invalid value '%0' for option '%1.RewriteTarget': expected 'auto', "
                      "'untangle' or 'asio'")
        << RewriteTarget << getID();
}

void CallbackNestingCheck::validatePatterns(llvm::StringRef OptionName, llvm::StringRef Value) {
  for (const InvalidPattern &Bad : invalidPatterns(Value))
    configurationDiag(InvalidPatternMessage) << Bad.Pattern << getID() << OptionName << Bad.Reason;
}

void CallbackNestingCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "MaxDepth", MaxDepth);
  Options.store(Opts, "MaxChainLength", MaxChainLength);
  Options.store(Opts, "AsyncFunctions", AsyncFunctions);
  Options.store(Opts, "SyncFunctions", SyncFunctions);
  Options.store(Opts, "CompletionHandlerNames", CompletionHandlerNames);
  Options.store(Opts, "RewriteStyle", RewriteStyle);
  Options.store(Opts, "MultiShotFunctions", MultiShotFunctions);
  Options.store(Opts, "AwaitableTwins", AwaitableTwins);
  Options.store(Opts, "RewriteTarget", RewriteTarget);
}

void CallbackNestingCheck::registerMatchers(MatchFinder *Finder) {
  // Every function body is walked once from its top, so the enclosing asynchronous
  // calls are known without a parent map. Lambda bodies are reached from the function
  // that contains them. Template instantiations are walked too (their calls are
  // resolved); reports are deduplicated by location.
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isImplicit()),
                   unless(isExpansionInSystemHeader()),
                   unless(cxxMethodDecl(ofClass(cxxRecordDecl(isLambda())))))
          .bind("function"),
      this);
}

void CallbackNestingCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Function = Result.Nodes.getNodeAs<FunctionDecl>("function");
  // A function whose findings would not be shown is not walked (see ReportScope);
  // chains passing through it are cut there.
  if (!Scope.contains(Function->getLocation(), *Result.SourceManager))
    return;
  SM = Result.SourceManager;
  Ctx = Result.Context;
  NestingVisitor(*this, *Function, *Result.SourceManager)
      .TraverseStmt(Function->getBody());
}

void CallbackNestingCheck::reportNesting(const Callable &Callback,
                                         llvm::ArrayRef<AsyncLevel> Enclosing,
                                         unsigned DeepestLevel,
                                         const SourceManager &SM) {
  const SourceLocation Loc = reportLoc(Callback.Arg->getBeginLoc(), SM);
  if (!ReportedCallbacks.insert(Loc).second)
    return;
  const unsigned Depth = Enclosing.size() + 1;
  RewriteResult Rewrite = Enclosing.empty() || !Ctx
                              ? RewriteResult{}
                              : Rewriter.rewrite(*Enclosing.front().Call, *Ctx);
  {
    auto Finding = diag(Loc, "asynchronous callback nested %0 levels deep (maximum is %1)"
                             "%select{|; the nesting reaches %3 levels}2");
    Finding << Depth << MaxDepth << (DeepestLevel > Depth) << DeepestLevel;
    for (const FixItHint &Fix : Rewrite.Fixes)
      Finding << Fix;
  }
  // The pyramid, outermost first: each asynchronous call whose callback encloses this.
  for (const auto &[Index, Level] : llvm::enumerate(Enclosing)) {
    auto Note = diag(reportLoc(Level.Call->getExprLoc(), SM),
                     "level %0: callback of this asynchronous call%select{| to %2}1",
                     DiagnosticIDs::Note)
                << static_cast<unsigned>(Index + 1) << (Level.Callee != nullptr);
    if (Level.Callee)
      Note << Level.Callee->getDeclName();
  }
  if (Rewrite.Refused)
    diag(Rewrite.Refused->Loc, ChainRewriter::refusalMessage(*Rewrite.Refused, RewriteStyle),
         DiagnosticIDs::Note);
}

void CallbackNestingCheck::onEndOfTranslationUnit() {
  for (const ContinuationGraph::Chain &Chain : Continuations.longestChains()) {
    if (Chain.AsyncSteps <= MaxChainLength)
      continue;
    const ContinuationGraph::Edge &First = *Chain.Edges.front();
    // The rewrite is of one class's members: a chain started by a free function (a
    // lambda in main starting a session) is rewritten from the first member on.
    std::vector<const FunctionDecl *> Functions{First.From};
    for (const ContinuationGraph::Edge *E : Chain.Edges)
      Functions.push_back(E->To);
    auto FirstMember = llvm::find_if(Functions, [](const FunctionDecl *F) {
      return isa<CXXMethodDecl>(F);
    });
    if (FirstMember != Functions.end())
      Functions.erase(Functions.begin(), FirstMember);
    RewriteResult Rewrite =
        Ctx ? Rewriter.rewriteFlat(*Functions.front(), Functions, *Ctx) : RewriteResult{};
    {
      auto Finding = diag(First.Loc, "chain of %0 asynchronous steps spread across functions, "
                                     "starting in '%1' (maximum is %2)");
      Finding << Chain.AsyncSteps << AsyncCallModel::qualifiedName(*First.From)
              << MaxChainLength;
      for (const FixItHint &Fix : Rewrite.Fixes)
        Finding << Fix;
    }
    unsigned Step = 0;
    for (const ContinuationGraph::Edge *E : Chain.Edges) {
      if (E->AsyncSteps == 0) {
        diag(E->Loc, "'%0' calls '%1', which continues the chain", DiagnosticIDs::Note)
            << AsyncCallModel::qualifiedName(*E->From)
            << AsyncCallModel::qualifiedName(*E->To);
        continue;
      }
      Step += E->AsyncSteps;
      diag(E->Loc, "step %0: '%1' continues asynchronously in '%2'",
           DiagnosticIDs::Note)
          << Step << AsyncCallModel::qualifiedName(*E->From)
          << AsyncCallModel::qualifiedName(*E->To);
    }
    // Every finding carries a fix or says why not (the doc's promise).
    if (Rewrite.Refused)
      diag(Rewrite.Refused->Loc,
           ChainRewriter::refusalMessage(*Rewrite.Refused, RewriteStyle),
           DiagnosticIDs::Note);
    if (Rewrite.AsioRefused)
      diag(Rewrite.AsioRefused->Loc,
           "the rewrite targets the untangle runtime, not Asio's coroutines "
           "(RewriteTarget auto): %0",
           DiagnosticIDs::Note)
          << Rewrite.AsioRefused->Detail;
  }
  Continuations = ContinuationGraph();
  ReportedCallbacks.clear();
  Scope.endOfTranslationUnit();
  Rewriter.endOfTranslationUnit();
}

} // namespace clang::tidy::untangle
