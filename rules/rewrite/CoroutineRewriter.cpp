//===--- CoroutineRewriter.cpp - nested callbacks to one coroutine -------===//

#include "rewrite/CoroutineRewriter.h"
#include "rewrite/ChainScanner.h"
#include "rewrite/SourceEdits.h"
#include "rewrite/UntangleTarget.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

namespace clang::tidy::untangle {

namespace {

struct CoroutineParam {
  std::string Declaration; ///< `const std::string path`
  std::string Argument;    ///< `path`
  std::string Name;
};

class CoroutineBuilder : ChainRewriteBuilder {
public:
  CoroutineBuilder(const CallbackChain &Chain, ASTContext &Context,
                   const RewriteOptions &Options)
      : ChainRewriteBuilder(Chain, Context, Options), Root(*Chain.Root), Policy(LangOpts) {
    Policy.SuppressUnwrittenScope = true;
  }

  RewriteResult run() {
    RewriteResult Result;
    Levels = levelsInOrder(Root);
    File = SM.getFileID(SM.getSpellingLoc(Root.Call->getBeginLoc()));
    for (const ChainLevel *L : Levels)
      if (SM.getFileID(SM.getSpellingLoc(L->Call->getBeginLoc())) != File ||
          SM.getFileID(SM.getSpellingLoc(L->SemiLoc)) != File)
        return refused(RefusalReason::Macro, L->Call->getBeginLoc(),
                       "the chain spans more than one file");
    if (Options.Asio) {
      Executor = asioExecutorOf(*Root.Call, SM, LangOpts);
      if (!Executor)
        return refused(RefusalReason::Unsupported, Root.Call->getBeginLoc(),
                       "the I/O object of the first operation is not a plain name or "
                       "member, whose executor co_spawn could take");
    }
    Edits.emplace(SM, File);
    Names.emplace(SM, File, LangOpts);
    for (const ChainLevel *L : Levels)
      LevelOf[L->Lambda] = L;
    ChainScanner Scan(LevelOf, Root);
    Scan.TraverseStmt(const_cast<CallExpr *>(Root.Call));
    if (Scan.StarThis.isValid())
      return refused(RefusalReason::CaptureMode, Scan.StarThis,
                     "a lambda captures *this (a copy of the object)");
    if (!planParameters(Scan) || !planNames() || !planTypes() || !registerEdits(Scan))
      return std::move(Outcome);

    Result.Fixes = replaceChainWith(spawnText());
    return Result;
  }

private:
  RewriteResult refused(RefusalReason Reason, SourceLocation Loc, std::string Detail) {
    fail(Reason, Loc, std::move(Detail));
    return std::move(Outcome);
  }
  std::string fresh(llvm::StringRef Base) { return Names->fresh(Base); }
  std::string freshOrSame(llvm::StringRef Base) { return Names->freshOrSame(Base); }

  bool isChainLocal(const ValueDecl *V) const {
    SourceLocation Loc = SM.getSpellingLoc(V->getLocation());
    return SM.isPointWithin(Loc, SM.getSpellingLoc(Root.Lambda->getBeginLoc()),
                            SM.getSpellingLoc(Root.Lambda->getEndLoc()));
  }

  bool addParam(const ValueDecl *V, bool ByRef, std::string Decl, std::string Arg) {
    ParamIndex[V] = Params.size();
    ParamByRef[V] = ByRef;
    Params.push_back({std::move(Decl), std::move(Arg), V->getNameAsString()});
    return true;
  }

  bool planParameters(const ChainScanner &Scan) {
    llvm::DenseSet<const ValueDecl *> CopiedMutably;
    for (const ChainLevel *L : Levels)
      if (L->Lambda->isMutable())
        for (const LambdaCapture &C : L->Lambda->captures())
          if (C.capturesVariable() && C.getCaptureKind() == LCK_ByCopy)
            CopiedMutably.insert(C.getCapturedVar());

    for (const LambdaCapture &C : Root.Lambda->captures()) {
      if (C.capturesThis()) {
        if (C.getCaptureKind() == LCK_StarThis)
          return fail(RefusalReason::CaptureMode, C.getLocation(),
                      "the callback captures *this (a copy of the object)");
        NeedSelf = true;
        continue;
      }
      if (!C.capturesVariable())
        return fail(RefusalReason::Unsupported, C.getLocation(),
                    "the callback captures a variable-length array");
      const ValueDecl *V = C.getCapturedVar();
      const std::string Name = V->getNameAsString();
      if (Root.Lambda->isInitCapture(&C)) {
        const auto *Var = cast<VarDecl>(V);
        if (Var->getInitStyle() != VarDecl::CInit || !Var->getInit())
          return fail(RefusalReason::Unsupported, C.getLocation(),
                      "an init-capture is initialized with braces or parentheses");
        bool Ref = Var->getType()->isReferenceType();
        bool Const = !Ref && !Root.Lambda->isMutable();
        addParam(V, Ref,
                 std::string(Const ? "const " : "") + (Ref ? "auto& " : "auto ") + Name,
                 text(Var->getInit()->getSourceRange()));
        continue;
      }
      std::optional<std::string> Type = valueTypeText(V, Policy);
      if (!Type)
        return fail(RefusalReason::Unsupported, C.getLocation(),
                    "an array is captured");
      if (C.getCaptureKind() == LCK_ByRef) {
        addParam(V, true, *Type + "& " + Name, Name);
      } else {
        bool Const = !CopiedMutably.contains(V) &&
                     !V->getType().getNonReferenceType().isConstQualified();
        addParam(V, false, (Const ? "const " : "") + *Type + " " + Name, Name);
      }
    }
    // Locals the outermost call's own arguments use: they run at the coroutine's start,
    // before the enclosing function goes on, so a reference is enough.
    for (const ValueDecl *V : Scan.OuterRefs) {
      if (!isLocalVariable(V) || ParamIndex.count(V))
        continue;
      std::optional<std::string> Type = valueTypeText(V, Policy);
      if (!Type)
        return fail(RefusalReason::Unsupported, V->getLocation(), "an array is used");
      if (Options.Asio && !outlivesCoSpawn(*V, Chain.Enclosing)) {
        // co_spawn starts the coroutine after a post: the function may have returned.
        if (!isCopyable(V->getType().getNonReferenceType()))
          return fail(RefusalReason::Unsupported, V->getLocation(),
                      "'" + V->getNameAsString() +
                          "' is a local the first operation uses; co_spawn starts the "
                          "coroutine after the function returns, and it cannot be copied");
        CoSpawnCopy Copy = coSpawnCopyOf(*V, outerArguments(), starterName());
        if (!Copy.Refusal.empty())
          return fail(RefusalReason::Unsupported, V->getLocation(), Copy.Refusal);
        addParam(V, false, Copy.type(*Type) + " " + V->getNameAsString(),
                 Copy.argument(V->getNameAsString()));
        continue;
      }
      addParam(V, true, *Type + "& " + V->getNameAsString(), V->getNameAsString());
    }
    NeedSelf |= Scan.OuterThis;

    for (const ChainLevel *L : Levels) {
      if (L == &Root)
        continue;
      for (const LambdaCapture &C : L->Lambda->captures()) {
        if (C.capturesThis()) {
          if (C.getCaptureKind() == LCK_StarThis)
            return fail(RefusalReason::CaptureMode, C.getLocation(),
                        "a callback captures *this (a copy of the object)");
          NeedSelf = true;
          continue;
        }
        if (!C.capturesVariable())
          continue;
        const ValueDecl *V = C.getCapturedVar();
        if (L->Lambda->isInitCapture(&C)) {
          const auto *Var = cast<VarDecl>(V);
          if (Var->getInitStyle() != VarDecl::CInit || !Var->getInit())
            return fail(RefusalReason::Unsupported, C.getLocation(),
                        "an init-capture is initialized with braces or parentheses");
          InitCaptures[L].push_back(Var);
          continue;
        }
        if (C.getCaptureKind() != LCK_ByCopy)
          continue;
        if (!isChainLocal(V)) {
          auto It = ParamByRef.find(V);
          if (It != ParamByRef.end() && It->second)
            return fail(RefusalReason::CaptureMode, C.getLocation(),
                        "'" + V->getNameAsString() +
                            "' is captured by reference by an outer callback and by "
                            "copy by an inner one, which copies it only when the inner "
                            "callback is created");
        } else if (V->getType()->isReferenceType()) {
          return fail(RefusalReason::CaptureMode, C.getLocation(),
                      "'" + V->getNameAsString() +
                          "' is a reference captured by copy: the copy is taken when "
                          "the inner callback is created");
        }
      }
    }

    if (NeedSelf) {
      const DeclContext *DC = Chain.Enclosing ? Chain.Enclosing->getDeclContext() : nullptr;
      const CXXMethodDecl *Method = dyn_cast_or_null<CXXMethodDecl>(Chain.Enclosing);
      while (Method && Method->getParent()->isLambda()) {
        DC = Method->getParent()->getDeclContext();
        while (DC && !isa<FunctionDecl>(DC))
          DC = DC->getParent();
        Method = dyn_cast_or_null<CXXMethodDecl>(DC);
      }
      if (!Method || Method->isStatic())
        return fail(RefusalReason::Unsupported, Root.Call->getBeginLoc(),
                    "cannot find the class whose 'this' the chain uses");
      SelfName = "self";
      for (const char *Candidate : {"self", "that", "this_"})
        if (!Names->taken(Candidate)) {
          SelfName = Candidate;
          break;
        }
      SelfName = freshOrSame(SelfName);
      Params.push_back({Method->getThisType().getAsString(Policy) + " " + SelfName, "this",
                        SelfName});
    }
    return true;
  }

  /// The outermost call's arguments but its callback: what it reads when it starts.
  std::vector<const Expr *> outerArguments() const {
    std::vector<const Expr *> Arguments;
    for (unsigned I = 0; I < Root.Call->getNumArgs(); ++I)
      if (I != Root.CallbackIndex)
        Arguments.push_back(Root.Call->getArg(I));
    return Arguments;
  }

  std::string starterName() const {
    const auto *Function = dyn_cast_or_null<FunctionDecl>(Chain.Enclosing);
    return Function && Function->getIdentifier() ? Function->getNameAsString() + "()"
                                                 : "the function";
  }

  const void *blockKey(const ChainLevel *L) {
    if (L == &Root)
      return &Root;
    if (L->Block == L->Parent->body())
      return blockKey(L->Parent);
    const void *Key = L->Block ? static_cast<const void *>(L->Block)
                               : static_cast<const void *>(L->Call);
    if (!Scopes.count(Key) && L->Block)
      for (const Stmt *S : L->Block->body())
        if (const auto *DS = dyn_cast<DeclStmt>(S))
          for (const Decl *D : DS->decls())
            if (const auto *ND = dyn_cast<NamedDecl>(D); ND && ND->getIdentifier())
              Scopes[Key].try_emplace(ND->getName(), nullptr);
    Scopes[Key];
    return Key;
  }

  /// Declares \p V in the flattened scope \p Key; renames it when the name is taken.
  std::string declare(const void *Key, const ValueDecl *V) {
    std::string Name = V->getNameAsString();
    if (Scopes[Key].try_emplace(Name, V).second)
      return Name;
    std::string New = fresh(Name);
    Scopes[Key].try_emplace(New, V);
    Renamed[V] = New;
    return New;
  }

  /// A callback result can live in an earlier level's result variable of the same name
  /// when assigning it there means the same as declaring it: same type, a plain
  /// assignable object (not a reference, not const). No code of the earlier level runs
  /// after the later call starts (tail position), and every later level sees only the
  /// later variable (it shadowed the earlier one), so the earlier value is never read
  /// again.
  bool reusableResult(const void *Key, const ParmVarDecl *P) {
    auto Holder = Scopes[Key].find(P->getName());
    if (Holder == Scopes[Key].end())
      return false;
    const auto *Earlier = dyn_cast<ParmVarDecl>(Holder->second);
    if (!Earlier || Earlier == P)
      return false;
    auto Assignable = [](QualType T) {
      if (T.isNull() || T->isDependentType() || T->isReferenceType() ||
          T.isConstQualified() || T.isVolatileQualified())
        return false;
      if (T->isScalarType())
        return true;
      const CXXRecordDecl *Record = T->getAsCXXRecordDecl();
      if (!Record || !Record->hasDefinition())
        return false;
      if (Record->hasSimpleCopyAssignment() || Record->hasSimpleMoveAssignment())
        return true;
      return llvm::any_of(Record->methods(), [](const CXXMethodDecl *M) {
        return (M->isCopyAssignmentOperator() || M->isMoveAssignmentOperator()) &&
               !M->isDeleted() && M->getAccess() == AS_public;
      });
    };
    return Assignable(P->getType()) && Assignable(Earlier->getType()) &&
           Context.hasSameType(P->getType(), Earlier->getType());
  }

  std::string finalName(const ValueDecl *V) const {
    auto It = Renamed.find(V);
    return It == Renamed.end() ? V->getNameAsString() : It->second;
  }

  bool planNames() {
    Scopes[&Root];
    for (const CoroutineParam &P : Params)
      Scopes[&Root].try_emplace(P.Name, nullptr);
    CallbackName = freshOrSame("untangle_cb");
    for (const ChainLevel *L : Levels) {
      const void *Key = blockKey(L);
      for (const VarDecl *Init : InitCaptures.lookup(L))
        declare(Key, Init);
      // Results are assigned to the earlier levels' variables only when every named
      // one can be (`ec = co_await ...`, `std::tie(ec, n) = co_await ...`); otherwise
      // the colliding ones are renamed.
      // (std::tie needs the tuple from_callback gives; an awaitable twin may give a
      // struct, so several results of a twin are always declared.)
      auto Results = L->Lambda->getCallOperator()->parameters();
      const bool ReuseAll =
          (Results.size() == 1 || !twinOf(*L)) &&
          llvm::any_of(Results, [](const ParmVarDecl *P) { return P->getIdentifier(); }) &&
          llvm::all_of(Results, [&](const ParmVarDecl *P) {
            return !P->getIdentifier() || reusableResult(Key, P);
          });
      if (ReuseAll)
        ReusingLevels.insert(L);
      for (const ParmVarDecl *P : Results) {
        if (!P->getIdentifier())
          Unnamed[P] = fresh("unused");
        else if (!ReuseAll)
          declare(Key, P);
      }
      for (const Stmt *S : L->body()->body()) {
        const auto *DS = dyn_cast<DeclStmt>(S);
        if (!DS)
          continue;
        for (const Decl *D : DS->decls()) {
          if (const auto *Decomp = dyn_cast<DecompositionDecl>(D)) {
            for (const BindingDecl *B : Decomp->bindings())
              declare(Key, B);
          } else if (const auto *Var = dyn_cast<VarDecl>(D)) {
            declare(Key, Var);
          } else if (const auto *ND = dyn_cast<NamedDecl>(D); ND && ND->getIdentifier()) {
            if (!Scopes[Key].try_emplace(ND->getName(), nullptr).second)
              return fail(RefusalReason::Unsupported, ND->getLocation(),
                          "two callbacks declare a type or alias named '" +
                              ND->getNameAsString() + "', which one scope cannot hold");
          }
        }
      }
    }
    return true;
  }

  /// The types `from_callback<...>` needs: the callback's parameters as written, or,
  /// for `auto` parameters, the API's std::function signature.
  bool planTypes() {
    if (Options.Asio)
      return planAsioTypes();
    for (const ChainLevel *L : Levels) {
      std::vector<std::string> &Types = ArgTypes[L];
      const CXXMethodDecl *Operator = L->Lambda->getCallOperator();
      std::optional<std::vector<std::string>> FromApi;
      for (unsigned I = 0; I < Operator->getNumParams(); ++I) {
        const ParmVarDecl *P = Operator->getParamDecl(I);
        std::string Written = writtenTypeText(*P, SM, LangOpts);
        if (Written.empty() || llvm::StringRef(Written).contains("auto")) {
          if (!FromApi)
            FromApi = apiSignature(*L, Policy);
          if (!FromApi || I >= FromApi->size())
            return fail(RefusalReason::Unsupported, P->getLocation(),
                        "the callback's parameter types are not written, and the API "
                        "does not name them (no std::function signature)");
          Written = (*FromApi)[I];
        }
        Types.push_back(Written);
      }
    }
    return true;
  }

  bool checkEditable(SourceLocation Loc) {
    if (Loc.isMacroID())
      return fail(RefusalReason::Macro, Loc,
                  "code the rewrite must change comes from a macro expansion");
    return true;
  }

  bool registerEdits(const ChainScanner &Scan) {
    // Renamed names: every use, the declarations of locals, captures of nested lambdas.
    for (const auto &[V, New] : Renamed) {
      auto Rename = [&, New = New](SourceLocation Loc) {
        if (!checkEditable(Loc))
          return false;
        unsigned At = Edits->offset(Loc);
        Edits->replace(At, Edits->tokenEnd(Loc, LangOpts), New);
        return true;
      };
      if (auto It = Scan.Refs.find(V); It != Scan.Refs.end())
        for (SourceLocation Loc : It->second)
          if (!Rename(Loc))
            return false;
      if (auto It = Scan.CaptureRefs.find(V); It != Scan.CaptureRefs.end())
        for (SourceLocation Loc : It->second)
          if (!Rename(Loc))
            return false;
      if (!isa<ParmVarDecl>(V) && !InitCaptureSet.count(V) && !isInitCapture(V))
        if (!Rename(V->getLocation()))
          return false;
    }
    for (const ReturnStmt *R : Scan.Returns) {
      if (!checkEditable(R->getReturnLoc()))
        return false;
      unsigned At = Edits->offset(R->getReturnLoc());
      Edits->replace(At, At + 6, "co_return");
    }
    if (NeedSelf) {
      for (SourceLocation Loc : Scan.ImplicitThis) {
        if (!checkEditable(Loc))
          return false;
        Edits->insert(Edits->offset(Loc), SelfName + "->");
      }
      for (SourceLocation Loc : llvm::concat<const SourceLocation>(Scan.ExplicitThis,
                                                                   Scan.ThisCaptures)) {
        if (!checkEditable(Loc))
          return false;
        unsigned At = Edits->offset(Loc);
        Edits->replace(At, At + 4, SelfName);
      }
    }
    for (const ChainLevel *L : Levels) {
      const Expr *Arg = L->Call->getArg(L->CallbackIndex);
      Edits->replace(Edits->offset(Arg->getBeginLoc()),
                     Edits->tokenEnd(Arg->getEndLoc(), LangOpts),
                     Options.Asio ? asioToken(*L) : untangleCallbackArgument(CallbackName));
      if (L == &Root) {
        Edits->add(Edits->offset(L->Call->getBeginLoc()),
                   Edits->tokenEnd(L->Call->getEndLoc(), LangOpts),
                   [this] { return spawnText(); });
      } else {
        Edits->add(Edits->offset(L->Call->getBeginLoc()), Edits->offset(L->SemiLoc) + 1,
                   [this, L] { return stepText(*L); });
      }
    }
    return true;
  }

  bool isInitCapture(const ValueDecl *V) const {
    const auto *Var = dyn_cast<VarDecl>(V);
    return Var && Var->isInitCapture();
  }

  std::string bodyText(const ChainLevel &L) {
    return Edits->render(Edits->offset(L.body()->getLBracLoc()) + 1,
                         Edits->offset(L.body()->getRBracLoc()));
  }

  std::string renderExpr(const Expr *E) {
    return Edits->render(Edits->offset(E->getBeginLoc()),
                         Edits->tokenEnd(E->getEndLoc(), LangOpts));
  }

  std::string awaitText(const ChainLevel &L) {
    const CXXMethodDecl *Operator = L.Lambda->getCallOperator();
    std::vector<std::string> Names;
    for (const ParmVarDecl *P : Operator->parameters())
      Names.push_back(P->getIdentifier() ? finalName(P) : Unnamed.lookup(P));
    const std::vector<std::string> &Types = ArgTypes[&L];
    if (Options.Asio)
      return asioAwaitStatement(Operator->parameters(), Names, Types,
                                ReusingLevels.contains(&L), renderExpr(L.Call));

    std::string Awaitable;
    std::string Qualified = L.Callee ? AsyncCallModel::qualifiedName(*L.Callee) : "";
    if (const std::string *Twin = twinOf(L)) {
      Awaitable = *Twin + "(";
      bool First = true;
      for (unsigned I = 0; I < L.Call->getNumArgs(); ++I) {
        if (I == L.CallbackIndex || isa<CXXDefaultArgExpr>(L.Call->getArg(I)))
          continue;
        Awaitable += (First ? "" : ", ") + renderExpr(L.Call->getArg(I));
        First = false;
      }
      Awaitable += ")";
    } else if (const auto *Member = dyn_cast<CXXMemberCallExpr>(L.Call);
               Member && Qualified == "untangle::EventLoop::post" && Names.empty() &&
               !Member->getImplicitObjectArgument()->isImplicitCXXThis()) {
      // The runtime's own twin: `co_await loop.schedule()` resumes in a macrotask
      // posted to the same loop, exactly when the posted callback would have run.
      const auto *Callee = cast<MemberExpr>(Member->getCallee()->IgnoreParens());
      Awaitable = renderExpr(Callee->getBase()) + (Callee->isArrow() ? "->" : ".") +
                  "schedule()";
    } else {
      Awaitable = untangleFromCallback(Types, CallbackName, renderExpr(L.Call));
    }

    return untangleResultBinding(Operator->parameters(), Names, Types.empty() ? "" : Types.front(),
                                 ReusingLevels.contains(&L)) +
           "co_await " + Awaitable + ";";
  }

  /// The awaitable function the option AwaitableTwins names for this level's API.
  const std::string *twinOf(const ChainLevel &L) const {
    if (!L.Callee)
      return nullptr;
    auto Twin = Options.AwaitableTwins.find(AsyncCallModel::qualifiedName(*L.Callee));
    return Twin == Options.AwaitableTwins.end() ? nullptr : &Twin->second;
  }

  std::string initCaptureText(const ChainLevel &L) {
    std::string Out;
    for (const VarDecl *Var : InitCaptures.lookup(&L))
      Out += std::string(Var->getType()->isReferenceType() ? "auto& " : "auto ") +
             finalName(Var) + " = " + renderExpr(Var->getInit()) + ";\n";
    return Out;
  }

  static std::string joinBody(const std::string &Body) {
    return llvm::StringRef(Body).starts_with("\n") ? Body : "\n" + Body;
  }

  std::string stepText(const ChainLevel &L) {
    std::string Out = L.Block ? "" : "{\n";
    Out += initCaptureText(L) + awaitText(L) + joinBody(bodyText(L));
    if (!L.Block)
      Out += "\n}";
    return Out;
  }

  std::string spawnText() {
    std::string Declarations, Arguments;
    for (const CoroutineParam &P : Params) {
      Declarations += (Declarations.empty() ? "" : ", ") + P.Declaration;
      Arguments += (Arguments.empty() ? "" : ", ") + P.Argument;
    }
    if (Options.Asio) {
      const std::string &Net = Options.Asio->Net;
      return Net + "co_spawn(" + *Executor + ", [](" + Declarations + ") -> " + Net +
             "awaitable<void> {\n" + awaitText(Root) + joinBody(bodyText(Root)) + "\n}(" +
             Arguments + "), " + Net + "detached)";
    }
    return "untangle::spawn([](" + Declarations + ") -> untangle::Task<void> {\n" +
           awaitText(Root) + joinBody(bodyText(Root)) + "\n}(" + Arguments + "))";
  }

  // ---- RewriteTarget asio (AsioTarget.h) ----

  bool planAsioTypes() {
    for (const ChainLevel *L : Levels)
      ArgTypes[L] = asioResultTypes(*L->Lambda->getCallOperator(), Options.Asio->ErrorType,
                                    SM, LangOpts);
    return true;
  }

  std::string asioToken(const ChainLevel &L) {
    const ParmVarDecl *Error = L.Lambda->getCallOperator()->getParamDecl(0);
    return asioCompletionToken(*Options.Asio, Error->getIdentifier() ? finalName(Error)
                                                                    : Unnamed.lookup(Error));
  }

  std::optional<std::string> Executor;

  const ChainLevel &Root;
  PrintingPolicy Policy;

  std::vector<const ChainLevel *> Levels;
  llvm::DenseMap<const LambdaExpr *, const ChainLevel *> LevelOf;
  std::optional<NameSupply> Names;
  std::vector<CoroutineParam> Params;
  llvm::DenseMap<const ValueDecl *, unsigned> ParamIndex;
  llvm::DenseMap<const ValueDecl *, bool> ParamByRef;
  llvm::DenseMap<const ChainLevel *, std::vector<const VarDecl *>> InitCaptures;
  llvm::DenseSet<const ValueDecl *> InitCaptureSet;
  /// Per flattened scope, each name taken and the declaration holding it (null for
  /// names the rewrite does not move: the coroutine's parameters, a block's own locals).
  llvm::DenseMap<const void *, llvm::StringMap<const ValueDecl *>> Scopes;
  llvm::DenseMap<const ValueDecl *, std::string> Renamed;
  /// Levels whose results are assigned to earlier levels' variables, not declared.
  llvm::DenseSet<const ChainLevel *> ReusingLevels;
  llvm::DenseMap<const ParmVarDecl *, std::string> Unnamed;
  std::map<const ChainLevel *, std::vector<std::string>> ArgTypes;
  bool NeedSelf = false;
  std::string SelfName;
  std::string CallbackName;
};

} // namespace

RewriteResult rewriteAsCoroutine(const CallbackChain &Chain, ASTContext &Context,
                                 const RewriteOptions &Options) {
  if (Chain.Refused)
    return {{}, Chain.Refused};
  return CoroutineBuilder(Chain, Context, Options).run();
}

} // namespace clang::tidy::untangle
