//===--- PromiseRewriter.cpp - nested callbacks to a promise chain -------===//
//
//   untangle::to_promise<std::error_code, std::string>(
//       [&](auto untangle_cb) { read_file(path, std::move(untangle_cb)); })
//       .then([path](const auto &untangle_r) {
//         auto [ec, text] = untangle_r;
//         if (ec) return untangle::Promise<std::tuple<...>>::rejected(<stop>);
//         return untangle::to_promise<std::error_code, int>(...);
//       })
//       .then(...)
//       .catch_(<ignore the stop, and callbacks an API dropped>);
//
// Each step keeps its own capture list (the lambdas are all created when the chain
// starts, as the outermost callback was, and capture the same variables of the enclosing
// function), so a step may use only its own parameters and locals, not an outer step's.
// An early `return` in a step that is not the last stops the chain with broken_promise,
// which the final catch_ ignores -- exactly as a callback an API drops is silent.
//
//===----------------------------------------------------------------------===//

#include "rewrite/PromiseRewriter.h"
#include "rewrite/SourceEdits.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::untangle {

namespace {

/// The returns of one step's own body, and what the step's code refers to.
class StepScanner : public RecursiveASTVisitor<StepScanner> {
  using Base = RecursiveASTVisitor<StepScanner>;

public:
  explicit StepScanner(const LambdaExpr *Step) : Step(Step) {}
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool TraverseLambdaExpr(LambdaExpr *L) {
    if (L != Step)
      ++Nested;
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable() && !L->isInitCapture(&C))
        Captured.push_back({C.getCapturedVar(), C.getLocation()});
    bool Ok = Base::TraverseLambdaExpr(L);
    if (L != Step)
      --Nested;
    return Ok;
  }
  bool VisitReturnStmt(ReturnStmt *R) {
    if (!Nested)
      Returns.push_back(R);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    Captured.push_back({E->getDecl(), E->getLocation()});
    return true;
  }
  std::vector<const ReturnStmt *> Returns;
  std::vector<std::pair<const ValueDecl *, SourceLocation>> Captured;

private:
  const LambdaExpr *Step;
  unsigned Nested = 0;
};

class PromiseBuilder : ChainRewriteBuilder {
public:
  PromiseBuilder(const CallbackChain &Chain, ASTContext &Context,
                 const RewriteOptions &Options)
      : ChainRewriteBuilder(Chain, Context, Options) {}

  RewriteResult run() {
    for (const ChainLevel *L = Chain.Root.get(); L;
         L = L->Children.empty() ? nullptr : L->Children.front().get())
      Steps.push_back(L);
    if (!checkShape())
      return std::move(Outcome);
    File = SM.getFileID(SM.getSpellingLoc(Steps.front()->Call->getBeginLoc()));
    Edits.emplace(SM, File);
    if (!registerEdits())
      return std::move(Outcome);

    RewriteResult Result;
    Result.Fixes = replaceChainWith(chainText());
    return Result;
  }

private:
  bool within(SourceLocation Loc, const LambdaExpr *L) const {
    Loc = SM.getSpellingLoc(Loc);
    return SM.isPointWithin(Loc, SM.getSpellingLoc(L->getBeginLoc()),
                            SM.getSpellingLoc(L->getEndLoc()));
  }

  bool checkShape() {
    for (const ChainLevel *L = Chain.Root.get(); L;) {
      if (L->Children.size() > 1)
        return fail(RefusalReason::Unsupported, L->Children[1]->Call->getBeginLoc(),
                    "the chain branches (each branch of an if/else continues); a flat "
                    "promise chain has one next step (the coroutine style keeps the "
                    "branches)");
      L = L->Children.empty() ? nullptr : L->Children.front().get();
    }
    for (const ChainLevel *L : Steps) {
      std::string Name = L->Callee ? "'" + L->Callee->getNameAsString() + "'" : "the API";
      if (!L->Callee || !callsBackLastFromOwnLoopTask(*L->Callee, L->CallbackIndex))
        return fail(RefusalReason::PromiseOrder, L->Call->getBeginLoc(),
                    Name + " is not known to call back only from a loop task of its own, "
                           "as the last thing that task does; a promise continuation runs "
                           "as a microtask after the rest of that task (or after the "
                           "caller, for a synchronous call back), so other work could "
                           "interleave differently (the coroutine style resumes inside "
                           "the callback)");
      if (L != Steps.back() && L->Children.front()->Block != L->body())
        return fail(RefusalReason::Unsupported, L->Children.front()->Call->getBeginLoc(),
                    "the next step starts inside an if; a promise step must return the "
                    "next promise on every path");
      for (const ParmVarDecl *P : L->Lambda->getCallOperator()->parameters()) {
        QualType T = P->getType();
        if (T->isUndeducedType() || T->getContainedAutoType() || T->isDependentType() ||
            (T->isLValueReferenceType() && !T.getNonReferenceType().isConstQualified()))
          return fail(RefusalReason::Unsupported, P->getLocation(),
                      "a callback parameter is generic or a non-const reference");
      }
      // A step sees only its own parameters and locals, and what its lambda captured
      // from the enclosing function.
      if (L == Steps.front())
        continue;
      StepScanner Scan(L->Lambda);
      Scan.TraverseStmt(const_cast<LambdaExpr *>(L->Lambda));
      for (const auto &[D, Loc] : Scan.Captured)
        if (within(D->getLocation(), Chain.Root->Lambda) && !within(D->getLocation(), L->Lambda))
          return fail(RefusalReason::Unsupported, Loc,
                      "a later callback uses '" + D->getNameAsString() +
                          "' of an outer one; promise steps do not share a scope (the "
                          "coroutine style does)");
    }
    return true;
  }

  std::string resultType(const ChainLevel &L) {
    const CXXMethodDecl *Op = L.Lambda->getCallOperator();
    std::vector<std::string> Types = writtenTypes(L);
    if (Types.empty())
      return "void";
    if (Types.size() == 1)
      return "std::decay_t<" + Types[0] + ">";
    std::string Out = "std::tuple<";
    for (size_t I = 0; I < Types.size(); ++I)
      Out += (I ? ", " : "") + ("std::decay_t<" + Types[I] + ">");
    (void)Op;
    return Out + ">";
  }

  std::vector<std::string> writtenTypes(const ChainLevel &L) {
    std::vector<std::string> Types;
    for (const ParmVarDecl *P : L.Lambda->getCallOperator()->parameters())
      Types.push_back(text(writtenTypeRange(*P)));
    return Types;
  }

  std::string toPromise(const ChainLevel &L) {
    std::string List;
    for (const std::string &T : writtenTypes(L))
      List += (List.empty() ? "" : ", ") + T;
    return "untangle::to_promise<" + List + ">([&](auto untangle_cb) { " +
           Edits->render(Edits->offset(L.Call->getBeginLoc()),
                         Edits->tokenEnd(L.Call->getEndLoc(), LangOpts)) +
           "; })";
  }

  bool registerEdits() {
    for (size_t I = 0; I < Steps.size(); ++I) {
      const ChainLevel &L = *Steps[I];
      const Expr *Arg = L.Call->getArg(L.CallbackIndex);
      Edits->replace(Edits->offset(Arg->getBeginLoc()),
                     Edits->tokenEnd(Arg->getEndLoc(), LangOpts), "std::move(untangle_cb)");
      StepScanner Scan(L.Lambda);
      Scan.TraverseStmt(const_cast<LambdaExpr *>(L.Lambda));
      if (I + 1 < Steps.size()) {
        const ChainLevel &Next = *Steps[I + 1];
        Edits->add(Edits->offset(Next.Call->getBeginLoc()), Edits->offset(Next.SemiLoc) + 1,
                   [this, &Next] { return "return " + toPromise(Next) + ";"; });
        // An early return stops the chain: the final catch_ ignores broken_promise.
        for (const ReturnStmt *R : Scan.Returns) {
          if (R->getReturnLoc().isMacroID() || R->getRetValue())
            return fail(RefusalReason::Unsupported, R->getReturnLoc(),
                        "a callback returns the result of a call; a promise step must "
                        "return the next promise");
          Edits->replace(Edits->offset(R->getBeginLoc()),
                         Edits->tokenEnd(R->getEndLoc(), LangOpts),
                         "return untangle::Promise<" + resultType(Next) +
                             ">::rejected(std::make_exception_ptr(untangle::broken_"
                             "promise()))");
        }
      }
    }
    return true;
  }

  std::string stepText(const ChainLevel &L) {
    const CXXMethodDecl *Op = L.Lambda->getCallOperator();
    std::string Params, Bindings;
    if (Op->getNumParams() == 1) {
      Params = text(Op->getParamDecl(0)->getSourceRange());
    } else if (Op->getNumParams() > 1) {
      Params = "const auto &untangle_r";
      Bindings = "auto [";
      for (unsigned I = 0; I < Op->getNumParams(); ++I) {
        const ParmVarDecl *P = Op->getParamDecl(I);
        Bindings += (I ? ", " : "") + (P->getIdentifier()
                                           ? P->getNameAsString()
                                           : "untangle_unused_" + std::to_string(I));
      }
      Bindings += "] = untangle_r;\n";
    }
    std::string Body = Edits->render(Edits->offset(L.body()->getLBracLoc()) + 1,
                                     Edits->offset(L.body()->getRBracLoc()));
    if (!Bindings.empty() && llvm::StringRef(Body).starts_with("\n"))
      Body.erase(0, 1);
    return text(L.Lambda->getIntroducerRange()) + "(" + Params + ")" +
           (L.Lambda->isMutable() ? " mutable" : "") + " {\n" + Bindings + Body + "\n}";
  }

  std::string chainText() {
    std::string Out = toPromise(*Steps.front());
    for (const ChainLevel *L : Steps)
      Out += "\n.then(" + stepText(*L) + ")";
    Out += "\n.catch_([](std::exception_ptr untangle_e) {\n"
           "try { std::rethrow_exception(untangle_e); }\n"
           "catch (const untangle::broken_promise &) {}\n"
           "})";
    return Out;
  }

  std::vector<const ChainLevel *> Steps;
};

} // namespace

RewriteResult rewriteAsPromise(const CallbackChain &Chain, ASTContext &Context,
                               const RewriteOptions &Options) {
  if (Chain.Refused)
    return {{}, Chain.Refused};
  return PromiseBuilder(Chain, Context, Options).run();
}

} // namespace clang::tidy::untangle
