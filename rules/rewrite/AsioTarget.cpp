//===--- AsioTarget.cpp - rewriting to Asio's own coroutines --------------===//

#include "rewrite/AsioTarget.h"
#include "rewrite/SourceEdits.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::untangle {

namespace {

bool inAsioNamespace(llvm::StringRef Qualified) {
  return Qualified.starts_with("boost::asio::") || Qualified.starts_with("asio::") ||
         Qualified.starts_with("boost::beast::");
}

/// An error code the completion passes first: boost::system::error_code,
/// std::error_code (standalone Asio's asio::error_code), or a generic `auto` parameter.
bool isErrorCodeParam(const ParmVarDecl &P) {
  QualType T = P.getType().getNonReferenceType();
  if (T->isDependentType() || T->isUndeducedType())
    return true;
  const CXXRecordDecl *Record = T->getAsCXXRecordDecl();
  if (!Record || Record->getName() != "error_code")
    return false;
  std::string Qualified = Record->getQualifiedNameAsString();
  return Qualified == "boost::system::error_code" || Qualified == "std::error_code" ||
         Qualified == "std::__1::error_code";
}

const NamespaceDecl *asioNamespace(const FunctionDecl &Operation, bool Standalone) {
  for (const DeclContext *DC = Operation.getDeclContext(); DC;
       DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC);
        NS && NS->getName() == "asio" &&
        (Standalone ? isa<TranslationUnitDecl>(NS->getParent())
                    : isa<NamespaceDecl>(NS->getParent()) &&
                          cast<NamespaceDecl>(NS->getParent())->getName() == "boost"))
      return NS->getCanonicalDecl();
  return nullptr;
}

/// A namespace alias of \p Target declared at namespace scope in \p File before \p Before.
const NamespaceAliasDecl *findAlias(const DeclContext &Scope, const NamespaceDecl *Target,
                                    const SourceManager &SM, FileID File,
                                    SourceLocation Before) {
  for (const Decl *D : Scope.decls()) {
    if (D->getLocation().isInvalid() || SM.getFileID(SM.getExpansionLoc(D->getLocation())) != File)
      continue;
    if (!SM.isBeforeInTranslationUnit(D->getLocation(), Before))
      break;
    if (const auto *Alias = dyn_cast<NamespaceAliasDecl>(D)) {
      if (const NamespaceDecl *NS = Alias->getNamespace();
          NS && NS->getCanonicalDecl() == Target)
        return Alias;
    } else if (const auto *NS = dyn_cast<NamespaceDecl>(D)) {
      if (const NamespaceAliasDecl *Inner = findAlias(*NS, Target, SM, File, Before))
        return Inner;
    }
  }
  return nullptr;
}

/// A name, a member access or `this`, possibly through accessors Beast code uses to
/// reach the socket: evaluating it once more has no effect.
bool isPlainObject(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (isa<DeclRefExpr, CXXThisExpr>(E))
    return true;
  if (const auto *Member = dyn_cast<MemberExpr>(E))
    return isPlainObject(Member->getBase());
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !Callee->getIdentifier())
      return false;
    llvm::StringRef Name = Callee->getName();
    if (Name != "get_lowest_layer" && Name != "next_layer" && Name != "lowest_layer" &&
        Name != "socket")
      return false;
    if (const auto *MemberCall = dyn_cast<CXXMemberCallExpr>(Call))
      return isPlainObject(MemberCall->getImplicitObjectArgument());
    return Call->getNumArgs() == 1 && isPlainObject(Call->getArg(0));
  }
  return false;
}

} // namespace

bool isAsioOperation(const FunctionDecl &Callee, unsigned TokenIndex) {
  if (!Callee.getIdentifier() || !Callee.getName().starts_with("async_") ||
      !inAsioNamespace(AsyncCallModel::qualifiedName(Callee)))
    return false;
  const FunctionDecl *Pattern = Callee.getTemplateInstantiationPattern();
  if (!Pattern)
    Pattern = &Callee;
  if (TokenIndex >= Pattern->getNumParams() ||
      !Pattern->getParamDecl(TokenIndex)
           ->getType()
           .getNonReferenceType()
           ->isTemplateTypeParmType())
    return false;
  // The token is the last argument; Boost 1.74 adds defaulted enable_if parameters.
  for (unsigned I = TokenIndex + 1; I < Pattern->getNumParams(); ++I)
    if (!Pattern->getParamDecl(I)->hasDefaultArg())
      return false;
  return true;
}

std::optional<Refusal> whyNotAsioChain(const CallbackChain &Chain) {
  for (const ChainLevel *L : levelsInOrder(*Chain.Root)) {
    if (!L->Callee || !isAsioOperation(*L->Callee, L->CallbackIndex))
      return Refusal{RefusalReason::Unsupported, L->Call->getBeginLoc(),
                     "the call to '" +
                         (L->Callee ? L->Callee->getNameAsString() : std::string("?")) +
                         "' is not an Asio operation taking a completion token "
                         "(RewriteTarget asio needs every step to be one)"};
    auto Params = L->Lambda->getCallOperator()->parameters();
    if (Params.empty() || Params.size() > 2 || !isErrorCodeParam(*Params.front()))
      return Refusal{RefusalReason::Unsupported, L->Lambda->getBeginLoc(),
                     "the callback of '" + L->Callee->getNameAsString() +
                         "' does not take an error code and at most one result, which "
                         "is what co_await with redirect_error gives"};
  }
  return std::nullopt;
}

AsioSpelling asioSpellingFor(const FunctionDecl &Operation, SourceLocation At,
                             ASTContext &Context) {
  AsioSpelling Spelling;
  Spelling.Standalone =
      llvm::StringRef(AsyncCallModel::qualifiedName(Operation)).starts_with("asio::");
  Spelling.Net = Spelling.Standalone ? "asio::" : "boost::asio::";
  Spelling.ErrorType = Spelling.Standalone ? "asio::error_code" : "boost::system::error_code";
  const SourceManager &SM = Context.getSourceManager();
  At = SM.getExpansionLoc(At);
  // Beast's operations name Boost.Asio through its own namespace: look for boost::asio.
  const NamespaceDecl *Target = asioNamespace(Operation, Spelling.Standalone);
  if (!Target && !Spelling.Standalone)
    for (const Decl *D : Context.getTranslationUnitDecl()->decls())
      if (const auto *Boost = dyn_cast<NamespaceDecl>(D); Boost && Boost->getName() == "boost")
        for (const Decl *Inner : Boost->decls())
          if (const auto *NS = dyn_cast<NamespaceDecl>(Inner); NS && NS->getName() == "asio")
            Target = NS->getCanonicalDecl();
  if (Target)
    if (const NamespaceAliasDecl *Alias = findAlias(*Context.getTranslationUnitDecl(),
                                                    Target, SM, SM.getFileID(At), At))
      Spelling.Net = Alias->getNameAsString() + "::";
  return Spelling;
}

std::optional<std::string> asioExecutorOf(const CallExpr &Call, const SourceManager &SM,
                                          const LangOptions &LangOpts) {
  const Expr *Object = nullptr;
  bool Arrow = false;
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call)) {
    Object = Member->getImplicitObjectArgument();
    if (const auto *Callee = dyn_cast<MemberExpr>(Member->getCallee()->IgnoreParens()))
      Arrow = Callee->isArrow();
  } else if (Call.getNumArgs() > 0) {
    Object = Call.getArg(0);
    Arrow = Object->getType()->isPointerType();
  }
  if (!Object || Object->isImplicitCXXThis() || !isPlainObject(Object))
    return std::nullopt;
  std::string Text =
      Lexer::getSourceText(CharSourceRange::getTokenRange(Object->getSourceRange()), SM,
                           LangOpts)
          .str();
  if (Text.empty())
    return std::nullopt;
  return Text + (Arrow ? "->" : ".") + "get_executor()";
}

std::optional<std::string> asioExecutorText(const Expr &Executor, const SourceManager &SM,
                                            const LangOptions &LangOpts) {
  const Expr *E = Executor.IgnoreImplicit()->IgnoreParens();
  if (const auto *Copy = dyn_cast<CXXConstructExpr>(E); Copy && Copy->getNumArgs() == 1)
    E = Copy->getArg(0)->IgnoreImplicit()->IgnoreParens();
  bool Plain = isPlainObject(E);
  if (const auto *Call = dyn_cast<CXXMemberCallExpr>(E); !Plain && Call) {
    const CXXMethodDecl *Method = Call->getMethodDecl();
    Plain = Method && Method->getIdentifier() && Method->getName() == "get_executor" &&
            Call->getNumArgs() == 0 && !Call->getImplicitObjectArgument()->isImplicitCXXThis() &&
            isPlainObject(Call->getImplicitObjectArgument());
  }
  if (!Plain || E->getBeginLoc().isMacroID() || E->getEndLoc().isMacroID())
    return std::nullopt;
  std::string Text =
      Lexer::getSourceText(CharSourceRange::getTokenRange(E->getSourceRange()), SM, LangOpts)
          .str();
  if (Text.empty())
    return std::nullopt;
  return Text;
}

bool outlivesCoSpawn(const ValueDecl &V, const Decl *Enclosing) {
  if (const auto *Var = dyn_cast<VarDecl>(&V); Var && !Var->hasLocalStorage())
    return true;
  // A reference to const is an input the operation copied when it started (a host name,
  // an endpoint), possibly bound to a temporary of the caller that is gone when the
  // coroutine starts: copied when it can be. What an operation works on or writes into
  // (a socket, a buffer) must outlive it by Asio's own rules: a reference to something
  // mutable, or that cannot be copied, is kept.
  auto ReferenceKept = [&] {
    QualType Referee = V.getType().getNonReferenceType();
    return !Referee.isConstQualified() || !isCopyable(Referee.getUnqualifiedType());
  };
  const auto *Function = dyn_cast_or_null<FunctionDecl>(Enclosing);
  if (!Function || !Function->getBody())
    return V.getType()->isReferenceType() && ReferenceKept();
  if (Function->isMain())
    return true;
  struct RunFinder : RecursiveASTVisitor<RunFinder> {
    bool Found = false;
    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *Call) {
      if (const CXXMethodDecl *M = Call->getMethodDecl();
          M && M->getIdentifier() && M->getName() == "run")
        Found |= AsyncCallModel::qualifiedName(*M->getParent()).find("io_context") !=
                 std::string::npos;
      return true;
    }
  } Finder;
  Finder.TraverseStmt(Function->getBody());
  return Finder.Found || (V.getType()->isReferenceType() && ReferenceKept());
}

namespace {

/// `char`, not `signed char` or `unsigned char` (bytes rather than text).
bool isPlainChar(QualType T) {
  const Type *Canonical = T.getCanonicalType().getTypePtr();
  return Canonical->isSpecificBuiltinType(BuiltinType::Char_S) ||
         Canonical->isSpecificBuiltinType(BuiltinType::Char_U);
}

/// std::basic_string, std::basic_string_view or Boost's basic_string_view, of char.
bool isCharString(QualType T) {
  const auto *Spec =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl());
  if (!Spec || !Spec->getIdentifier() ||
      (Spec->getName() != "basic_string" && Spec->getName() != "basic_string_view"))
    return false;
  const std::string Qualified = Spec->getQualifiedNameAsString();
  const TemplateArgumentList &Args = Spec->getTemplateArgs();
  return (Qualified.starts_with("std::") || Qualified.starts_with("boost::")) &&
         Args.size() > 0 && Args[0].getKind() == TemplateArgument::Type &&
         isPlainChar(Args[0].getAsType());
}

/// A pointer to data, or a class that is only a view: trivially copyable (no copy
/// constructor of its own that could copy what it refers to) and holding a pointer or
/// reference.
bool isNonOwning(QualType T) {
  if (T->isPointerType())
    return !T->isFunctionPointerType();
  if (T->isReferenceType())
    return true;
  const CXXRecordDecl *Record = T->getAsCXXRecordDecl();
  if (!Record || !Record->hasDefinition() || !Record->isTriviallyCopyable())
    return false;
  for (const FieldDecl *Field : Record->fields())
    if (isNonOwning(Field->getType()))
      return true;
  for (const CXXBaseSpecifier &Base : Record->bases())
    if (isNonOwning(Base.getType()))
      return true;
  return false;
}

} // namespace

CoSpawnCopy coSpawnCopyOf(const ValueDecl &V, llvm::ArrayRef<const Expr *> Arguments,
                          llvm::StringRef Starter) {
  QualType T = V.getType().getNonReferenceType().getUnqualifiedType();
  const std::string Name = "'" + V.getNameAsString() + "'";
  const bool CString = T->isPointerType() && T->getPointeeType().isConstQualified() &&
                       isPlainChar(T->getPointeeType());
  const bool View = isCharString(T) && isNonOwning(T);
  if (!CString && !View) {
    if (!isNonOwning(T))
      return {};
    return {false, false,
            Name + " is a " + (T->isPointerType() ? "pointer" : "view") +
                " the coroutine would read after " + Starter.str() +
                " returns (co_spawn starts it after a post), when what it refers to may be "
                "gone"};
  }
  // Each use must make a string or string view of it, as it does of a std::string.
  struct Uses : RecursiveASTVisitor<Uses> {
    const ValueDecl *Var;
    unsigned All = 0, AsString = 0;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      All += E->getDecl() == Var;
      return true;
    }
    bool VisitCXXConstructExpr(CXXConstructExpr *E) {
      if (E->getNumArgs() > 0 && isCharString(E->getType()))
        if (const auto *Ref = dyn_cast<DeclRefExpr>(E->getArg(0)->IgnoreParenImpCasts());
            Ref && Ref->getDecl() == Var)
          ++AsString;
      return true;
    }
  } Found;
  Found.Var = &V;
  for (const Expr *Argument : Arguments)
    Found.TraverseStmt(const_cast<Expr *>(Argument));
  if (Found.All != Found.AsString)
    return {false, false, Name + " is a " + (CString ? "C string" : "string view") +
                       " the coroutine would read after " + Starter.str() +
                       " returns (co_spawn starts it after a post), and the first operation "
                       "uses it other than as a string, so a std::string copy would not do"};
  return {true, View, ""};
}

bool isCopyable(QualType T) {
  if (!T->isRecordType())
    return !T->isArrayType();
  const CXXRecordDecl *Record = T->getAsCXXRecordDecl();
  if (!Record || !Record->hasDefinition())
    return false;
  if (Record->needsImplicitCopyConstructor())
    return !Record->defaultedCopyConstructorIsDeleted();
  return llvm::any_of(Record->ctors(), [](const CXXConstructorDecl *C) {
    return C->isCopyConstructor() && !C->isDeleted() && C->getAccess() == AS_public;
  });
}

std::string asioResultType(const ParmVarDecl &P, llvm::StringRef Fallback,
                           const SourceManager &SM, const LangOptions &LangOpts) {
  const std::string Written = writtenTypeText(P, SM, LangOpts);
  llvm::StringRef Type = llvm::StringRef(Written).trim();
  if (Type.empty() || Type.contains("auto"))
    return Fallback.str();
  Type.consume_front("const ");
  while (Type.consume_back("&") || Type.consume_back(" ") || Type.consume_back("const"))
    ;
  return Type.trim().str();
}

std::vector<std::string> asioResultTypes(const FunctionDecl &Handler, llvm::StringRef ErrorType,
                                         const SourceManager &SM, const LangOptions &LangOpts) {
  std::vector<std::string> Types;
  for (const ParmVarDecl *P : Handler.parameters())
    Types.push_back(asioResultType(*P, Types.empty() ? ErrorType : "auto", SM, LangOpts));
  return Types;
}

std::string asioCompletionToken(const AsioSpelling &Spelling, llvm::StringRef ErrorName) {
  return (Spelling.Net + "redirect_error(" + Spelling.Net + "use_awaitable, " + ErrorName + ")")
      .str();
}

std::string asioAwaitStatement(llvm::ArrayRef<ParmVarDecl *> Params,
                               const std::vector<std::string> &Names,
                               const std::vector<std::string> &Types, bool Reuse,
                               const std::string &Operation) {
  std::string Out;
  if (!Reuse || !Params[0]->getIdentifier())
    Out = Types[0] + " " + Names[0] + ";\n";
  if (Params.size() > 1 && Params[1]->getIdentifier())
    Out += (Reuse ? "" : Types[1] + " ") + Names[1] + " = ";
  return Out + "co_await " + Operation + ";";
}

std::vector<FixItHint> asioFilePrelude(const SourceManager &SM, FileID File,
                                       unsigned ChainBegin, const AsioSpelling &Spelling) {
  std::vector<FixItHint> Fixes;
  llvm::StringRef Code = SM.getBufferData(File);
  SourceLocation Start = SM.getLocForStartOfFile(File);
  const std::string Macro = Spelling.Standalone ? "ASIO_HAS_CO_AWAIT" : "BOOST_ASIO_HAS_CO_AWAIT";
  if (!Code.contains(Macro)) {
    // Before the first #include: any of them may bring Asio's configuration.
    unsigned First = includeInsertionOffset(Code, ChainBegin);
    for (unsigned Offset = 0; Offset < First;) {
      size_t LineEnd = Code.find('\n', Offset);
      llvm::StringRef Line = Code.slice(Offset, LineEnd).ltrim();
      if (Line.starts_with("#") && Line.drop_front().ltrim().starts_with("include")) {
        First = Offset;
        break;
      }
      Offset = LineEnd + 1;
    }
    std::string Prelude =
        "// co_await with Asio under clang++ (Asio enables it there only for the "
        "Coroutines TS)\n";
    if (!Spelling.Standalone)
      Prelude += "#include <utility> // Boost 1.74's awaitable.hpp uses std::exchange\n";
    Prelude += "#if defined(__clang__) && !defined(" + Macro + ")\n#define " + Macro +
               " 1\n#endif\n";
    Fixes.push_back(FixItHint::CreateInsertion(Start.getLocWithOffset(First), Prelude));
  }
  const std::string Dir = Spelling.Standalone ? "asio" : "boost/asio";
  if (!includesFile(SM, Dir + ".hpp")) {
    std::string Includes;
    for (const char *Header : {"co_spawn", "detached", "redirect_error", "use_awaitable"})
      if (!includesFile(SM, Dir + "/" + Header + ".hpp"))
        Includes += "#include <" + Dir + "/" + Header + ".hpp>\n";
    if (!Includes.empty())
      Fixes.push_back(FixItHint::CreateInsertion(
          Start.getLocWithOffset(includeInsertionOffset(Code, ChainBegin)), Includes));
  }
  return Fixes;
}

} // namespace clang::tidy::untangle
