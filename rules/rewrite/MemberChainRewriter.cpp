//===--- MemberChainRewriter.cpp - a flat chain to one member coroutine ---===//

#include "rewrite/MemberChainRewriter.h"
#include "rewrite/AsioTarget.h"
#include "rewrite/MemberChainExecutor.h"
#include "rewrite/MemberChainFixes.h"
#include "rewrite/MemberChainSteps.h"
#include "rewrite/MemberChainTarget.h"
#include "rewrite/SourceEdits.h"
#include "rewrite/UntangleTarget.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

namespace clang::tidy::untangle {

namespace {

class MemberChainBuilder : ChainRewriteBuilder {
public:
  MemberChainBuilder(const CallbackChain &NoChain, const CXXMethodDecl &Entry,
                     llvm::ArrayRef<const FunctionDecl *> ChainFunctions, ASTContext &Context,
                     const RewriteOptions &Options, const MemberChainConfig &Config)
      : ChainRewriteBuilder(NoChain, Context, Options), Entry(Entry),
        Class(*Entry.getParent()), ChainFunctions(ChainFunctions), Config(Config),
        Policy(LangOpts) {
    Policy.SuppressUnwrittenScope = true;
  }

  RewriteResult run() {
    if (!collectSteps() || !checkMembers() || !checkUses())
      return std::move(Outcome);
    Target = planMemberChainTarget(Steps, Config, SM, LangOpts);
    ToAsio = Outcome.ToAsio = Target.ToAsio; // a refusal from here on is of this form
    if (!Target.Refusal.empty())
      return refuse(Target.RefusedAt, Target.Refusal);
    ExecutorPlan Executor;
    if (ToAsio) {
      Spelling = asioSpellingFor(*AsyncCallModel::calleeOf(*Steps.front().Operation),
                                 Steps.front().Operation->getBeginLoc(), Context);
      Net = Spelling.Net;
      Executor = planCoroutineExecutor(Steps, Spelling.Standalone, SM, LangOpts);
      if (Executor.Executor.empty())
        return refuse(Executor.RefusedAt, Executor.Refusal);
    }
    Names.emplace(SM, File, LangOpts);
    CallbackName = freshOrSame("untangle_cb");
    if (!registerBodyEdits())
      return std::move(Outcome);
    std::string Body;
    Blocks.emplace_back();
    std::string SelfName = freshOrSame("self");
    Blocks.back()[SelfName] = QualType();
    std::string Params = "std::shared_ptr<" + Class.getNameAsString() + "> " + SelfName;
    std::string Args = "shared_from_this()";
    if (!planEntryArguments(Params, Args) || !stepText(0, Body))
      return std::move(Outcome);
    if (LoopStart == 0)
      Body = "for (;;) {\n" + Body + "\n}";
    std::string Name = freshOrSame(Entry.getNameAsString() + "_coroutine");
    std::string Coroutine = (ToAsio ? Net + "awaitable<void> " : "untangle::Task<void> ") +
                            Name + "(" + Params + ") {\n" + Body + "\n}";
    std::string Spawn = ToAsio ? Net + "co_spawn(" + Executor.Executor + ", " + Name + "(" +
                                     Args + "), " + Net + "detached);"
                               : "untangle::spawn(" + Name + "(" + Args + "));";
    return finish(Coroutine, Spawn);
  }

private:
  RewriteResult refuse(SourceLocation Loc, std::string Detail) {
    fail(RefusalReason::FlatChain, Loc, std::move(Detail));
    return std::move(Outcome);
  }
  bool refuseStep(SourceLocation Loc, std::string Detail) {
    return fail(RefusalReason::FlatChain, Loc, std::move(Detail));
  }

  std::string name(const CXXMethodDecl *M) { return "'" + M->getNameAsString() + "'"; }

  /// Follows the chain from the entry, member by member, until it ends or comes back.
  bool collectSteps() {
    const CXXMethodDecl *Member = &Entry;
    llvm::DenseMap<const CXXMethodDecl *, unsigned> Index;
    while (true) {
      Index[Member] = Steps.size();
      Steps.emplace_back();
      Step &S = Steps.back();
      S.Member = Member;
      const auto *Body = dyn_cast_or_null<CompoundStmt>(Member->getBody());
      if (!Body || Body->body_empty())
        break;
      S.Continuation = Body->body_back();
      // An assignment (`handler_ = std::bind_front(...)`) keeps a handler, it does not
      // continue the chain.
      const auto *Call = dyn_cast_or_null<CallExpr>(peel(dyn_cast<Expr>(S.Continuation)));
      if (!Call || isa<CXXOperatorCallExpr>(Call)) {
        S.Continuation = nullptr;
        break;
      }
      for (unsigned I = 0; I < Call->getNumArgs() && !S.Next.Method; ++I)
        if (NextMember N = handlerTarget(Call->getArg(I), Class); N.Method) {
          S.Next = N;
          S.Operation = Call;
          S.TokenIndex = I;
        }
      const FunctionDecl *Callee = S.Operation ? AsyncCallModel::calleeOf(*Call) : nullptr;
      if (Callee)
        S.Hop = executorHopOf(*Call, S.TokenIndex);
      if (S.Hop != ExecutorHop::None) {
        if (!S.Next.Method->parameters().empty())
          return refuseStep(S.Next.Method->getLocation(),
                            name(S.Next.Method) + " takes parameters, which the handler of '" +
                                Callee->getNameAsString() + "' is not given");
      } else if (S.Operation) {
        if (!Callee || (Config.Target == MemberChainTarget::Asio &&
                        !isAsioOperation(*Callee, S.TokenIndex)))
          return refuseStep(S.Operation->getBeginLoc(), notAnAsioStep(S));
      } else if (const auto *Plain = dyn_cast<CXXMemberCallExpr>(Call);
                 Plain && Plain->getNumArgs() == 0 && Plain->getMethodDecl() &&
                 Plain->getMethodDecl()->getParent() == &Class &&
                 isa<CXXThisExpr>(Plain->getImplicitObjectArgument()->IgnoreParenImpCasts()) &&
                 Plain->getImplicitObjectArgument()->isImplicitCXXThis()) {
        S.Next = {Plain->getMethodDecl(),
                  cast<MemberExpr>(Plain->getCallee()->IgnoreParens())->getMemberLoc()};
      } else {
        S.Continuation = nullptr;
        break;
      }
      if (auto It = Index.find(S.Next.Method); It != Index.end()) {
        LoopStart = It->second;
        break;
      }
      Member = S.Next.Method;
    }
    if (!Steps.front().Operation)
      return refuseStep(Entry.getLocation(),
                        "the chain's first member does not end with an Asio operation whose "
                        "handler is the next member (bind_front_handler, std::bind_front, "
                        "std::bind with placeholders, or a lambda capturing "
                        "shared_from_this() that calls it)");
    if (LoopStart == 0u && Steps.front().Hop != ExecutorHop::None)
      return refuseStep(Entry.getLocation(),
                        "the chain comes back to " + name(&Entry) +
                            ", which hands the next member to an executor again");
    if (LoopStart == 0u && !loopEntryRepeatable())
      return refuseStep(Entry.getLocation(),
                        "the chain comes back to " + name(&Entry) +
                            ", which takes parameters, declares or returns before its "
                            "operation, or is reached again asynchronously");
    // The rewrite covers the whole reported chain or nothing.
    for (const FunctionDecl *F : ChainFunctions)
      if (llvm::none_of(Steps, [&](const Step &S) {
            return S.Member->getCanonicalDecl() == F->getCanonicalDecl();
          })) {
        // A server's handle_request(req, send) whose send object starts the write.
        if (const auto *M = dyn_cast<CXXMethodDecl>(F); !M || M->getParent() != &Class)
          return refuseStep(F->getLocation(),
                            "the chain continues through '" +
                                AsyncCallModel::qualifiedName(*F) + "', which is not a "
                                "member of '" + Class.getNameAsString() +
                                "' (a helper function or a function object such as a "
                                "send lambda); the member coroutine cannot await a step "
                                "started there");
        return refuseStep(F->getLocation(),
                          "the chain reaches '" + F->getNameAsString() +
                              "' other than through the last statement of a member (a "
                              "branch, a nested call or a non-Asio step)");
      }
    return Steps.size() > 1 || refuseStep(Entry.getLocation(), "a chain of one member");
  }

  /// A loop back to the entry (do_read -> on_read -> on_write -> do_read) repeats what
  /// the entry does before its operation at the end of each round, where the call
  /// stood: that is possible when the entry has no parameters and its statements before
  /// the operation declare nothing and do not return.
  bool loopEntryRepeatable() {
    if (Steps.back().Operation || Entry.getNumParams() != 0)
      return false;
    const auto *Body = cast<CompoundStmt>(Entry.getBody());
    for (const Stmt *S : Body->body()) {
      if (S == Steps.front().Continuation)
        break;
      if (isa<DeclStmt, ReturnStmt>(S))
        return false;
      BodyFacts Facts(Entry);
      Facts.TraverseStmt(const_cast<Stmt *>(S));
      if (!Facts.Returns.empty() || Facts.Goto)
        return false;
      for (const MemberExpr *M : Facts.ImplicitMembers)
        RepeatedMembers.push_back(M);
    }
    return true;
  }

  /// Members of one plain class, defined in it, in this file, outside macros.
  bool checkMembers() {
    if (Class.getDescribedClassTemplate() || isa<ClassTemplateSpecializationDecl>(Class) ||
        Class.isLocalClass())
      return refuseStep(Class.getLocation(), "the class is a template or local class");
    File = SM.getFileID(SM.getExpansionLoc(Entry.getLocation()));
    for (const Step &S : Steps) {
      const CXXMethodDecl *M = S.Member;
      if (M->isOutOfLine() || M->isVirtual() || M->isStatic() || M->isTemplated() ||
          M->getBeginLoc().isMacroID() || M->getEndLoc().isMacroID() ||
          SM.getFileID(M->getLocation()) != File)
        return refuseStep(M->getLocation(),
                          name(M) + " is not a plain member function defined in the class "
                                    "in this file, outside macros");
      if (S.Continuation && (S.Continuation->getBeginLoc().isMacroID() ||
                             S.Continuation->getEndLoc().isMacroID()))
        return refuseStep(S.Continuation->getBeginLoc(), "the step comes from a macro");
      if (M != &Entry && M->getCanonicalDecl() != M)
        return refuseStep(M->getLocation(), name(M) + " is declared apart from its definition");
    }
    return true;
  }

  /// A removed member must be used nowhere but where the chain continues into it.
  bool checkUses() {
    MemberUses Uses;
    for (Decl *D : Context.getTranslationUnitDecl()->decls())
      if (D->getLocation().isValid() && SM.getFileID(SM.getExpansionLoc(D->getLocation())) == File)
        Uses.TraverseDecl(D);
    llvm::DenseSet<SourceLocation> Expected;
    for (const Step &S : Steps)
      if (S.Next.Method)
        Expected.insert(S.Next.RefLoc);
    // Each use must be where the chain continues (the loop's first member has two: where
    // the loop is entered and where it comes back).
    for (const Step &S : llvm::drop_begin(Steps))
      for (SourceLocation Loc : Uses.Uses.lookup(S.Member->getCanonicalDecl()))
        if (!Expected.contains(Loc))
          return refuseStep(Loc, name(S.Member) + " is also used outside the chain, which "
                                                  "needs it as it is");
    return true;
  }

  std::string freshOrSame(llvm::StringRef Base) { return Names->freshOrSame(Base); }

  /// return -> co_return in every moved body; the token in place of each handler.
  bool registerBodyEdits() {
    Edits.emplace(SM, File);
    for (unsigned I = 0; I < Steps.size(); ++I) {
      const Step &S = Steps[I];
      if (S.Operation && S.Hop == ExecutorHop::None) {
        const Expr *Handler = S.Operation->getArg(S.TokenIndex);
        Edits->add(Edits->offset(Handler->getBeginLoc()),
                   Edits->tokenEnd(Handler->getEndLoc(), LangOpts),
                   [this, I] {
                     return ToAsio ? asioCompletionToken(Spelling, ErrorNames[I])
                                   : untangleCallbackArgument(CallbackName);
                   });
      }
      if (I == 0)
        continue;
      BodyFacts &Facts = *this->Facts.emplace_back(std::make_unique<BodyFacts>(*S.Member));
      Facts.TraverseStmt(S.Member->getBody());
      if (Facts.Goto)
        return refuseStep(S.Member->getLocation(), name(S.Member) + " uses goto");
      for (const ReturnStmt *R : Facts.Returns) {
        if (R->getReturnLoc().isMacroID())
          return refuseStep(R->getReturnLoc(), "a return comes from a macro");
        unsigned At = Edits->offset(R->getReturnLoc());
        Edits->replace(At, At + 6, "co_return");
      }
    }
    return true;
  }

  bool planEntryArguments(std::string &Params, std::string &Args) {
    struct Refs : RecursiveASTVisitor<Refs> {
      bool VisitDeclRefExpr(DeclRefExpr *E) {
        if (const auto *Var = dyn_cast<VarDecl>(E->getDecl()); Var && Var->isLocalVarDeclOrParm())
          if (llvm::find(Found, Var) == Found.end())
            Found.push_back(Var);
        return true;
      }
      std::vector<const VarDecl *> Found;
    } Locals;
    const Step &First = Steps.front();
    std::vector<const Expr *> Arguments;
    // A dispatch or post takes only its executor, which co_spawn takes in the entry.
    for (unsigned I = 0; I < First.Operation->getNumArgs() && First.Hop == ExecutorHop::None;
         ++I)
      if (I != First.TokenIndex) {
        Arguments.push_back(First.Operation->getArg(I));
        Locals.TraverseStmt(const_cast<Expr *>(Arguments.back()));
      }
    for (const VarDecl *V : Locals.Found) {
      // The coroutine takes copies: what the first operation writes into (a buffer the
      // caller passed by reference) would be its own copy, which the caller never sees.
      if (V->getType()->isLValueReferenceType() &&
          !V->getType().getNonReferenceType().isConstQualified())
        return refuseStep(V->getLocation(),
                          "'" + V->getNameAsString() +
                              "' is a reference to something the first operation may "
                              "change; the coroutine would work on a copy of its own");
      QualType T = V->getType().getNonReferenceType().getUnqualifiedType();
      if (!isCopyable(T) || T->isArrayType())
        return refuseStep(V->getLocation(), "'" + V->getNameAsString() +
                                                "' is used by the first operation and "
                                                "cannot be copied into the coroutine");
      // The runtime's spawn runs the first operation before the entry returns.
      CoSpawnCopy Copy;
      if (ToAsio)
        Copy = coSpawnCopyOf(*V, Arguments, Entry.getNameAsString() + "()");
      if (!Copy.Refusal.empty())
        return refuseStep(V->getLocation(), Copy.Refusal);
      Params += ", " + Copy.type(T.getAsString(Policy)) + " " + V->getNameAsString();
      Args += ", " + Copy.argument(V->getNameAsString());
      Blocks.back()[V->getName()] = Copy.AsString ? QualType() : T.getCanonicalType();
    }
    return true;
  }

  const QualType *visible(llvm::StringRef Name) const {
    for (auto Block = Blocks.rbegin(); Block != Blocks.rend(); ++Block)
      if (auto It = Block->find(Name); It != Block->end())
        return &It->second;
    return nullptr;
  }

  /// Names the next member's parameters get, and whether its body needs a block of its
  /// own (a name taken in the current block with another type, or one of its locals).
  bool planResults(unsigned I, std::string &Out, bool &Braced) {
    const Step &S = Steps[I];
    const CXXMethodDecl *Next = S.Next.Method;
    auto Params = Next->parameters();
    Braced = false;
    // The runtime's form declares all results at once (`auto [ec, n] = ...`) unless it
    // assigns them all to earlier ones: then any name of the block is a collision.
    const bool DeclaresAll =
        !ToAsio && S.Operation &&
        !llvm::all_of(Next->parameters(),
                      [&](const ParmVarDecl *P) { return !P->getIdentifier() || reusable(*P); });
    auto Collides = [&](llvm::StringRef Name, QualType T, bool Param) {
      auto It = Blocks.back().find(Name);
      if (It == Blocks.back().end())
        return false;
      return !Param || DeclaresAll || It->second.isNull() || It->second != T;
    };
    for (const ParmVarDecl *P : Params)
      if (P->getIdentifier() &&
          Collides(P->getName(),
                   P->getType().getNonReferenceType().getUnqualifiedType().getCanonicalType(),
                   true))
        Braced = true;
    for (const Stmt *Statement : cast<CompoundStmt>(Next->getBody())->body())
      if (const auto *DS = dyn_cast<DeclStmt>(Statement))
        for (const Decl *D : DS->decls())
          if (const auto *ND = dyn_cast<NamedDecl>(D); ND && ND->getIdentifier() &&
                                                       Collides(ND->getName(), {}, false))
            Braced = true;
    if (Braced) {
      Out += "{\n";
      Blocks.emplace_back();
    }
    if (!S.Operation)
      return true;
    if (!ToAsio)
      return planCallbackResults(I);
    std::string Declarations;
    for (unsigned J = 0; J < Params.size(); ++J) {
      const ParmVarDecl *P = Params[J];
      QualType T = P->getType().getNonReferenceType().getUnqualifiedType().getCanonicalType();
      std::string Name = P->getIdentifier() ? P->getNameAsString() : "";
      if (Name.empty() && J == 0)
        Name = freshOrSame("ec");
      if (Name.empty())
        continue;
      const QualType *Earlier = visible(Name);
      bool Reuse = Earlier && !Earlier->isNull() && *Earlier == T;
      if (Protected.contains(Name) && !Reuse)
        return refuseStep(P->getLocation(), "'" + Name + "' would hide the loop's variable");
      std::string Type =
          asioResultType(*P, J == 0 ? Spelling.ErrorType : "auto", SM, LangOpts);
      if (J == 0) {
        ErrorNames[I] = Name;
        if (!Reuse)
          Declarations += Type + " " + Name + ";\n";
      } else {
        Assignments[I] = (Reuse ? "" : Type + " ") + Name + " = ";
      }
      Blocks.back()[Name] = T;
    }
    Out += Declarations;
    return true;
  }

  /// The runtime's form: a visible variable of \p P's name and type takes its result.
  bool reusable(const ParmVarDecl &P) const {
    const QualType *Earlier = visible(P.getName());
    return Earlier && !Earlier->isNull() &&
           *Earlier ==
               P.getType().getNonReferenceType().getUnqualifiedType().getCanonicalType();
  }

  /// The runtime's form: how step \p I binds its results (MemberChainTarget.h).
  bool planCallbackResults(unsigned I) {
    const CXXMethodDecl &Next = *Steps[I].Next.Method;
    CallbackBinding Binding = bindCallbackResults(
        Next, [&](const ParmVarDecl &P) { return reusable(P); },
        [&] { return Names->fresh("unused"); }, SM, LangOpts);
    Assignments[I] = Binding.Prefix;
    if (!Binding.Declares)
      return true;
    Declaring.insert(I);
    for (const ParmVarDecl *P : Next.parameters())
      if (P->getIdentifier()) {
        if (Protected.contains(P->getName()))
          return refuseStep(P->getLocation(),
                            "'" + P->getNameAsString() + "' would hide the loop's variable");
        Blocks.back()[P->getName()] =
            P->getType().getNonReferenceType().getUnqualifiedType().getCanonicalType();
      }
    return true;
  }

  /// Class members whose names a local of an enclosing step now hides get `this->`;
  /// any other such name is refused.
  bool guardOuterNames(unsigned I) {
    const BodyFacts &F = *Facts[I - 1];
    for (const MemberExpr *E : F.ImplicitMembers)
      if (visible(E->getMemberDecl()->getName()))
        Edits->insert(Edits->offset(E->getMemberLoc()), "this->");
    for (const DeclRefExpr *E : F.Outside)
      if (visible(E->getDecl()->getName()))
        return refuseStep(E->getLocation(), "'" + E->getDecl()->getNameAsString() +
                                                "' would be hidden by another step's local");
    for (const Stmt *Statement : cast<CompoundStmt>(Steps[I].Member->getBody())->body())
      if (const auto *DS = dyn_cast<DeclStmt>(Statement))
        for (const Decl *D : DS->decls())
          if (const auto *ND = dyn_cast<NamedDecl>(D); ND && ND->getIdentifier()) {
            if (Protected.contains(ND->getName()))
              return refuseStep(ND->getLocation(), "'" + ND->getNameAsString() +
                                                       "' would hide the loop's variable");
            Blocks.back()[ND->getName()] = QualType();
          }
    return true;
  }

  /// What step \p I awaits: its operation (Asio), or from_callback starting it.
  std::string operationText(unsigned I) {
    const CallExpr *Op = Steps[I].Operation;
    std::string Call = Edits->render(Edits->offset(Op->getBeginLoc()),
                                     Edits->tokenEnd(Op->getEndLoc(), LangOpts));
    return ToAsio ? Call : untangleFromCallback(Target.CallbackTypes[I], CallbackName, Call);
  }

  /// The text that replaces step \p I's continuation (for the entry: the coroutine's
  /// body): the co_await of its operation and the next member's body after it.
  bool stepText(unsigned I, std::string &Out) {
    const Step &S = Steps[I];
    const unsigned NextIndex = I + 1;
    if (NextIndex == Steps.size()) {
      // The chain comes back to an earlier member: the loop goes round again, after
      // what the entry does before its operation when the loop is back to the entry.
      if (LoopStart == 0u) {
        for (const MemberExpr *M : RepeatedMembers)
          if (visible(M->getMemberDecl()->getName()))
            Edits->insert(Edits->offset(M->getMemberLoc()), "this->");
        const auto *Body = cast<CompoundStmt>(Entry.getBody());
        Out += Edits->render(Edits->offset(Body->getLBracLoc()) + 1,
                             Edits->offset(Steps.front().Continuation->getBeginLoc()));
      }
      if (S.Operation) {
        std::string Decl;
        bool Braced = false;
        Blocks.emplace_back(); // the results are the loop's variables: assigned, not declared
        if (!planResults(I, Decl, Braced))
          return false;
        Blocks.pop_back();
        if (ToAsio ? !Decl.empty() || llvm::StringRef(Assignments.lookup(I)).contains(' ') ||
                         !Protected.contains(ErrorNames[I])
                   : Declaring.contains(I))
          return refuseStep(S.Operation->getBeginLoc(),
                            "the loop's results cannot be kept in one set of variables");
        Out += Assignments.lookup(I) + "co_await " + operationText(I) + ";";
      }
      return true;
    }
    bool Braced = false;
    std::string Declarations;
    if (!planResults(I, Declarations, Braced))
      return false;
    Out += Declarations;
    if (S.Operation && S.Hop == ExecutorHop::None)
      Out += Assignments.lookup(I) + "co_await " + operationText(I) + ";\n";
    const bool LoopHere = LoopStart && *LoopStart == NextIndex;
    if (LoopHere) {
      Out += "for (;;) {\n";
      Blocks.emplace_back();
      for (const ParmVarDecl *P : S.Next.Method->parameters())
        if (P->getIdentifier())
          Protected.insert(P->getName());
    }
    if (!guardOuterNames(NextIndex))
      return false;
    const Step &Next = Steps[NextIndex];
    const auto *Body = cast<CompoundStmt>(Next.Member->getBody());
    unsigned BodyBegin = Edits->offset(Body->getLBracLoc()) + 1;
    unsigned BodyEnd = Edits->offset(Body->getRBracLoc());
    if (Next.Continuation) {
      unsigned ContBegin = Edits->offset(Next.Continuation->getBeginLoc());
      std::optional<Token> Semi =
          Lexer::findNextToken(Next.Continuation->getEndLoc(), SM, LangOpts);
      if (!Semi || !Semi->is(tok::semi))
        return refuseStep(Next.Continuation->getEndLoc(), "cannot find the end of the step");
      std::string Rest;
      if (!stepText(NextIndex, Rest))
        return false;
      Out += llvm::StringRef(Edits->render(BodyBegin, ContBegin)).ltrim("\n").str() + Rest +
             Edits->render(Edits->offset(Semi->getLocation()) + 1, BodyEnd);
    } else {
      Out += llvm::StringRef(Edits->render(BodyBegin, BodyEnd)).ltrim("\n").str();
    }
    if (LoopHere)
      Out += "\n}";
    if (Braced)
      Out += "\n}";
    return true;
  }

  RewriteResult finish(const std::string &Coroutine, const std::string &Spawn) {
    RewriteResult Result;
    if (std::optional<SourceLocation> Unfound = placeMemberCoroutine(
            Steps, *Edits, Coroutine, Spawn, Options, LangOpts, Result.Fixes))
      return refuse(*Unfound, "cannot find the end of the first step");
    Result.ToAsio = ToAsio;
    if (ToAsio && Options.AddAsioPrelude)
      for (FixItHint &Fix : asioFilePrelude(SM, File, Edits->offset(Entry.getBeginLoc()), Spelling))
        Result.Fixes.push_back(std::move(Fix));
    if (!ToAsio && Options.AddInclude)
      Result.Fixes.push_back(untangleRuntimeInclude(SM, File, Edits->offset(Entry.getBeginLoc())));
    return Result;
  }

  const CXXMethodDecl &Entry;
  const CXXRecordDecl &Class;
  llvm::ArrayRef<const FunctionDecl *> ChainFunctions;
  const MemberChainConfig &Config;
  bool ToAsio = false;
  TargetPlan Target;
  /// The runtime's form: the name of from_callback's callback, and the steps whose
  /// results are declared (not assigned to earlier ones).
  std::string CallbackName;
  llvm::DenseSet<unsigned> Declaring;
  PrintingPolicy Policy;
  std::vector<Step> Steps;
  std::optional<unsigned> LoopStart;
  std::string Net;
  AsioSpelling Spelling;
  std::optional<NameSupply> Names;
  std::vector<llvm::StringMap<QualType>> Blocks;
  llvm::StringSet<> Protected;
  llvm::DenseMap<unsigned, std::string> ErrorNames, Assignments;
  std::vector<std::unique_ptr<BodyFacts>> Facts;
  std::vector<const MemberExpr *> RepeatedMembers;
};

} // namespace

RewriteResult rewriteMemberChain(const FunctionDecl &Entry,
                                 llvm::ArrayRef<const FunctionDecl *> ChainFunctions,
                                 ASTContext &Context, const RewriteOptions &Options,
                                 const MemberChainConfig &Config) {
  const auto *Method = dyn_cast<CXXMethodDecl>(&Entry);
  const SourceManager &SM = Context.getSourceManager();
  if (!Method || Method->isStatic() || !Method->hasBody())
    return {{},
            Refusal{RefusalReason::FlatChain, SM.getExpansionLoc(Entry.getLocation()),
                    "the chain does not start in a member function"}};
  CallbackChain NoChain;
  return MemberChainBuilder(NoChain, *Method, ChainFunctions, Context, Options, Config).run();
}

} // namespace clang::tidy::untangle
