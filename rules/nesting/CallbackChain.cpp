//===--- CallbackChain.cpp - the chain both rewriters read ---------------===//

#include "nesting/CallbackChain.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::untangle {

namespace {

const Stmt *parentStmt(const Stmt *S, ASTContext &Context) {
  auto Parents = Context.getParents(*S);
  if (Parents.empty())
    return nullptr;
  return Parents[0].get<Stmt>();
}

bool isExpressionWrapper(const Stmt *S) {
  return isa<ExprWithCleanups, ImplicitCastExpr, CXXBindTemporaryExpr,
             MaterializeTemporaryExpr, ParenExpr>(S);
}

/// `call(cb); return;`: nothing runs after the call on this path, whatever follows the
/// block (`if (ec) { retry(cb); return; } use(x);`), so the call is the last thing done.
/// A rewrite inlines the callback body before the `return;`, which becomes a
/// `co_return;` and still skips what follows the block.
bool isFollowedOnlyByReturn(const CompoundStmt &Block, const Stmt *S) {
  if (Block.size() < 2 || Block.body_end()[-2] != S)
    return false;
  const auto *Return = dyn_cast<ReturnStmt>(Block.body_back());
  return Return && !Return->getRetValue();
}

bool inMacro(SourceRange R) {
  return R.getBegin().isMacroID() || R.getEnd().isMacroID();
}

/// Finds what a callback body does that decides the rewrite: the asynchronous calls it
/// starts (not looking into their callbacks, which are the next levels), gotos and
/// labels, returns. Nested synchronous lambdas are looked into for asynchronous calls
/// only.
class BodyScanner : public RecursiveASTVisitor<BodyScanner> {
  using Base = RecursiveASTVisitor<BodyScanner>;

public:
  struct AsyncCall {
    const CallExpr *Call;
    llvm::SmallVector<Callable, 2> Callbacks;
    bool InNestedLambda;
  };

  explicit BodyScanner(const AsyncCallModel &Model) : Model(Model) {}

  bool shouldVisitTemplateInstantiations() const { return false; }

  bool TraverseStmt(Stmt *S) {
    if (const auto *Call = dyn_cast_or_null<CallExpr>(S)) {
      llvm::SmallVector<Callable, 2> Callbacks = Model.asyncCallbacks(*Call);
      if (!Callbacks.empty()) {
        Found.push_back({Call, Callbacks, LambdaDepth > 0});
        // The callee and the other arguments run now; the callbacks are later levels.
        if (!TraverseStmt(const_cast<Expr *>(Call->getCallee())))
          return false;
        for (const Expr *Arg : Call->arguments())
          if (llvm::none_of(Callbacks, [&](const Callable &C) { return C.Arg == Arg; }))
            if (!TraverseStmt(const_cast<Expr *>(Arg)))
              return false;
        return true;
      }
    }
    return Base::TraverseStmt(S);
  }

  bool TraverseLambdaExpr(LambdaExpr *Lambda) {
    ++LambdaDepth;
    bool Result = Base::TraverseLambdaExpr(Lambda);
    --LambdaDepth;
    return Result;
  }
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }

  bool VisitGotoStmt(GotoStmt *S) {
    if (LambdaDepth == 0 && !Goto)
      Goto = S;
    return true;
  }
  bool VisitIndirectGotoStmt(IndirectGotoStmt *S) {
    if (LambdaDepth == 0 && !Goto)
      Goto = S;
    return true;
  }
  bool VisitLabelStmt(LabelStmt *S) {
    if (LambdaDepth == 0 && !Goto)
      Goto = S;
    return true;
  }
  bool VisitReturnStmt(ReturnStmt *S) {
    if (LambdaDepth == 0)
      Returns.push_back(S);
    return true;
  }
  bool VisitCoroutineBodyStmt(CoroutineBodyStmt *S) {
    Coroutine = true;
    return true;
  }
  bool VisitCoawaitExpr(CoawaitExpr *) {
    Coroutine = true;
    return true;
  }

  std::vector<AsyncCall> Found;
  const Stmt *Goto = nullptr;
  std::vector<const ReturnStmt *> Returns;
  bool Coroutine = false;

private:
  const AsyncCallModel &Model;
  unsigned LambdaDepth = 0;
};

class ChainBuilder {
public:
  ChainBuilder(const ChainOptions &Options, ASTContext &Context)
      : Options(Options), Context(Context), SM(Context.getSourceManager()) {}

  CallbackChain build(const CallExpr &Outermost) {
    CallbackChain Chain;
    Chain.Root = std::make_unique<ChainLevel>();
    Current = &Chain;
    Chain.Enclosing = findEnclosing(Outermost);
    if (Chain.Refused)
      return Chain;
    llvm::SmallVector<Callable, 2> Callbacks = Options.Model->asyncCallbacks(Outermost);
    if (!initLevel(*Chain.Root, Outermost, Callbacks, /*Parent=*/nullptr))
      return Chain;
    scanLevel(*Chain.Root);
    return Chain;
  }

private:
  bool refuse(RefusalReason Reason, SourceLocation Loc, std::string Detail) {
    if (!Current->Refused)
      Current->Refused = Refusal{Reason, SM.getExpansionLoc(Loc), std::move(Detail)};
    return false;
  }

  std::string calleeName(const ChainLevel &L) {
    return L.Callee ? "'" + L.Callee->getNameAsString() + "'" : "the call";
  }

  /// Walks up from the outermost call to the function or lambda holding it; a loop on
  /// the way starts the chain once per iteration (a fan-out).
  const Decl *findEnclosing(const CallExpr &Outermost) {
    DynTypedNode Node = DynTypedNode::create(Outermost);
    while (true) {
      auto Parents = Context.getParents(Node);
      if (Parents.empty())
        return nullptr;
      Node = Parents[0];
      if (const auto *S = Node.get<Stmt>()) {
        if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S)) {
          refuse(RefusalReason::FanOut, S->getBeginLoc(),
                 "the chain is started from inside a loop, once per iteration; the "
                 "chains run concurrently, and a rewrite must not make them sequential");
          return nullptr;
        }
        if (const auto *Lambda = dyn_cast<LambdaExpr>(S))
          return Lambda->getCallOperator();
      } else if (const auto *D = Node.get<Decl>()) {
        if (isa<FunctionDecl>(D))
          return D;
      }
    }
  }

  bool initLevel(ChainLevel &L, const CallExpr &Call,
                 llvm::ArrayRef<Callable> Callbacks, ChainLevel *Parent) {
    L.Call = &Call;
    L.Callee = AsyncCallModel::calleeOf(Call);
    L.Parent = Parent;
    L.Depth = Parent ? Parent->Depth + 1 : 1;
    if (inMacro(Call.getSourceRange()))
      return refuse(RefusalReason::Macro, Call.getBeginLoc(),
                    "the asynchronous call to " + calleeName(L) +
                        " comes from a macro expansion");
    if (Callbacks.size() != 1)
      return refuse(RefusalReason::Unsupported, Call.getBeginLoc(),
                    "the call to " + calleeName(L) + " takes more than one callback");
    const Callable &Callback = Callbacks.front();
    if (Callback.TheKind == Callable::Kind::LambdaVariable)
      return refuse(RefusalReason::NotALambda, Callback.Arg->getBeginLoc(),
                    "the callback of " + calleeName(L) + " is the lambda kept in '" +
                        Callback.Variable->getNameAsString() +
                        "', not written at the call; its body is not moved into the "
                        "chain");
    if (Callback.TheKind != Callable::Kind::Lambda || !Callback.Lambda)
      return refuse(RefusalReason::NotALambda, Callback.Arg->getBeginLoc(),
                    "the callback of " + calleeName(L) +
                        " is a named function, not a lambda; its body is not part of "
                        "this chain");
    L.Lambda = Callback.Lambda;
    for (unsigned I = 0; I < Call.getNumArgs(); ++I)
      if (Call.getArg(I) == Callback.Arg)
        L.CallbackIndex = I;
    if (inMacro(L.Lambda->getSourceRange()))
      return refuse(RefusalReason::Macro, L.Lambda->getBeginLoc(),
                    "the callback comes from a macro expansion");

    // The statement must be the call itself, ended by its `;`.
    const Stmt *S = statementOf(&Call, Context);
    const Stmt *Holder = parentStmt(S, Context);
    if (!Holder || !isa<CompoundStmt, IfStmt>(Holder) ||
        (isa<IfStmt>(Holder) && cast<IfStmt>(Holder)->getCond() == S))
      return refuse(RefusalReason::Unsupported, Call.getBeginLoc(),
                    "the result of the call to " + calleeName(L) +
                        " is used; only a call that is a statement of its own is "
                        "rewritten");
    L.Block = dyn_cast<CompoundStmt>(Holder);
    std::optional<Token> Semi =
        Lexer::findNextToken(S->getEndLoc(), SM, Context.getLangOpts());
    if (!Semi || !Semi->is(tok::semi))
      return refuse(RefusalReason::Unsupported, Call.getEndLoc(),
                    "cannot find the end of the statement");
    L.SemiLoc = Semi->getLocation();

    // The callback's result must be unused by the API, and the API must call it once.
    const CXXMethodDecl *Operator = L.Lambda->getCallOperator();
    QualType Result = Operator->getReturnType();
    bool ReturnsValue = !Result->isVoidType() && !Result->isUndeducedType() &&
                        !Result->isDependentType();
    if (!ReturnsValue && (Result->isUndeducedType() || Result->isDependentType())) {
      BodyScanner Returns(*Options.Model);
      Returns.TraverseStmt(L.Lambda->getBody());
      ReturnsValue = llvm::any_of(Returns.Returns, [](const ReturnStmt *R) {
        return R->getRetValue() && !R->getRetValue()->getType()->isVoidType();
      });
    }
    if (ReturnsValue)
      return refuse(RefusalReason::ResultUsed, L.Lambda->getBeginLoc(),
                    "the callback of " + calleeName(L) +
                        " returns a value, which the API uses (a coroutine step "
                        "returns nothing to it)");
    if (L.Callee && Options.MultiShot &&
        Options.MultiShot->isMultiShot(*L.Callee, L.CallbackIndex))
      return refuse(RefusalReason::MultiShot, Call.getBeginLoc(),
                    calleeName(L) +
                        " may call its callback more than once (MultiShotFunctions, or "
                        "its definition calls it from a loop); a co_await resumes once");
    return true;
  }

  void scanLevel(ChainLevel &L) {
    if (Current->Refused)
      return;
    BodyScanner Scan(*Options.Model);
    Scan.TraverseStmt(const_cast<CompoundStmt *>(L.body()));
    if (Scan.Coroutine) {
      refuse(RefusalReason::Unsupported, L.Lambda->getBeginLoc(),
             "the callback is already a coroutine");
      return;
    }
    if (Scan.Goto) {
      refuse(RefusalReason::Goto, Scan.Goto->getBeginLoc(),
             "the callback uses goto or a label; a flattened body would move the "
             "code they jump between");
      return;
    }
    for (const ReturnStmt *R : Scan.Returns)
      if (R->getReturnLoc().isMacroID()) {
        refuse(RefusalReason::Macro, R->getReturnLoc(),
               "a return of the callback comes from a macro expansion");
        return;
      }
    for (const BodyScanner::AsyncCall &Found : Scan.Found) {
      const Stmt *S = statementOf(Found.Call, Context);
      if (inMacro(Found.Call->getSourceRange())) {
        refuse(RefusalReason::Macro, Found.Call->getBeginLoc(),
               "an asynchronous call of the chain comes from a macro expansion");
        return;
      }
      // What stands between the call and the body: loops, handlers, try blocks.
      for (const Stmt *P = parentStmt(S, Context); P && P != L.body();
           P = parentStmt(P, Context)) {
        if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(P)) {
          refuse(RefusalReason::FanOut, P->getBeginLoc(),
                 "a loop in the callback starts asynchronous calls (a fan-out); a "
                 "rewrite must not make them sequential");
          return;
        }
        if (isa<CXXCatchStmt>(P)) {
          refuse(RefusalReason::InsideCatch, Found.Call->getBeginLoc(),
                 "the chain continues from a catch handler, where co_await is not "
                 "allowed");
          return;
        }
        if (isa<CXXTryStmt>(P)) {
          refuse(RefusalReason::InsideTry, Found.Call->getBeginLoc(),
                 "the chain continues from a try block; exceptions of the later "
                 "steps, which never reached this handler, would be caught by it");
          return;
        }
        if (isa<LambdaExpr>(P)) {
          refuse(RefusalReason::NotTailPosition, Found.Call->getBeginLoc(),
                 "the asynchronous call is made from a nested lambda, not from the "
                 "callback itself");
          return;
        }
      }
      const Stmt *Blocker = nullptr;
      if (Found.InNestedLambda || !isInTailPosition(S, L.body(), Context, &Blocker) ||
          isa_and_nonnull<ReturnStmt>(parentStmt(S, Context))) {
        refuse(RefusalReason::NotTailPosition,
               Blocker ? Blocker->getBeginLoc() : Found.Call->getBeginLoc(),
               "the asynchronous call is not the last thing its callback does: the "
               "code after it runs before its callback, and a rewrite would run it "
               "after");
        return;
      }
      auto Child = std::make_unique<ChainLevel>();
      if (!initLevel(*Child, *Found.Call, Found.Callbacks, &L))
        return;
      L.Children.push_back(std::move(Child));
    }
    for (auto &Child : L.Children)
      scanLevel(*Child);
  }

  const ChainOptions &Options;
  ASTContext &Context;
  const SourceManager &SM;
  CallbackChain *Current = nullptr;
};

} // namespace

unsigned CallbackChain::levels() const {
  return Root ? levelsInOrder(*Root).size() : 0;
}

unsigned CallbackChain::depth() const {
  unsigned Max = 0;
  if (Root)
    for (const ChainLevel *L : levelsInOrder(*Root))
      Max = std::max(Max, L->Depth);
  return Max;
}

std::vector<const ChainLevel *> levelsInOrder(const ChainLevel &Root) {
  std::vector<const ChainLevel *> Result{&Root};
  for (size_t I = 0; I < Result.size(); ++I)
    for (const auto &Child : Result[I]->Children)
      Result.push_back(Child.get());
  return Result;
}

const Stmt *statementOf(const Expr *E, ASTContext &Context) {
  const Stmt *S = E;
  while (const Stmt *P = parentStmt(S, Context)) {
    if (!isExpressionWrapper(P))
      break;
    S = P;
  }
  return S;
}

bool isInTailPosition(const Stmt *S, const Stmt *Body, ASTContext &Context,
                      const Stmt **Blocker) {
  const Stmt *Cur = S;
  while (true) {
    const Stmt *P = parentStmt(Cur, Context);
    if (!P)
      return false;
    if (const auto *Compound = dyn_cast<CompoundStmt>(P)) {
      if (isFollowedOnlyByReturn(*Compound, Cur))
        return true;
      if (Compound->body_back() != Cur) {
        if (Blocker) {
          auto It = llvm::find(Compound->body(), Cur);
          if (It != Compound->body_end() && std::next(It) != Compound->body_end())
            *Blocker = *std::next(It);
        }
        return false;
      }
      if (P == Body)
        return true;
    } else if (const auto *If = dyn_cast<IfStmt>(P)) {
      if (If->getThen() != Cur && If->getElse() != Cur)
        return false;
    } else if (!isa<ReturnStmt, AttributedStmt>(P) && !isExpressionWrapper(P)) {
      return false;
    }
    if (P == Body)
      return false;
    Cur = P;
  }
}

CallbackChain buildChain(const CallExpr &Outermost, const ChainOptions &Options,
                         ASTContext &Context) {
  return ChainBuilder(Options, Context).build(Outermost);
}

} // namespace clang::tidy::untangle
