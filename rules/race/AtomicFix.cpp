//===--- AtomicFix.cpp - the std::atomic fix of a reported race ------------===//
//
// A race on a scalar is fixed by making it `std::atomic<T>` -- but only if every use in
// the translation unit keeps compiling with the same spelling (loads, stores, ++, +=),
// no copy of its class is made, and the declaration is the only one. Otherwise the
// warning goes without a fix: a fix that does not compile is worse than none.
//
//===----------------------------------------------------------------------===//

#include "race/DataRaceCheck.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Analysis/Analyses/ExprMutationAnalyzer.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::untangle {

bool DataRaceCheck::atomicFixCompiles(const ValueDecl &D) const {
  const SourceManager &SM = Ctx->getSourceManager();
  const LangOptions &LO = Ctx->getLangOpts();
  QualType T = D.getType();
  if (!LO.CPlusPlus11 || T.isConstQualified() || T.isVolatileQualified() ||
      !(T->isIntegralOrUnscopedEnumerationType() || T->isPointerType()) ||
      T->isBooleanType() || T->isEnumeralType())
    return false;
  const auto *Declarator = dyn_cast<DeclaratorDecl>(&D);
  if (!Declarator || !Declarator->getTypeSourceInfo() ||
      D.getLocation().isMacroID() || !SM.isInMainFile(D.getLocation()) ||
      Declarator->getTypeSourceInfo()->getTypeLoc().getBeginLoc().isMacroID())
    return false;
  if (const auto *V = dyn_cast<VarDecl>(&D)) {
    // One declaration only (no `extern` elsewhere), a declarator of its own.
    if (isa<ParmVarDecl>(V) || V->getPreviousDecl() || V->getMostRecentDecl() != V)
      return false;
  }
  if (const auto *Field = dyn_cast<FieldDecl>(&D)) {
    // An atomic member makes the class non-copyable: no copy may be in use.
    const auto *Record = dyn_cast<CXXRecordDecl>(Field->getParent());
    if (!Record || Record->isUnion() || Field->isBitField())
      return false;
    for (const CXXConstructorDecl *Ctor : Record->ctors())
      if (Ctor->isCopyOrMoveConstructor() && Ctor->isUsed())
        return false;
    for (const CXXMethodDecl *M : Record->methods())
      if ((M->isCopyAssignmentOperator() || M->isMoveAssignmentOperator()) && M->isUsed())
        return false;
  }
  // Another declarator sharing this type (`int a, b;`).
  for (const Decl *Other : D.getDeclContext()->decls())
    if (Other != &D && Other->getBeginLoc() == D.getBeginLoc())
      return false;

  // Every use must be one std::atomic<T> supports with the same spelling: a load, a
  // store, ++, --, or +=, -=, |=, &=, ^=. Uses anywhere, a library's template
  // instantiated with the variable as argument too: the whole translation unit's parents.
  if (LimitedParents)
    LimitedParents->widen();
  auto AllUses = match(
      traverse(TK_AsIs,
               translationUnitDecl(forEachDescendant(
                   expr(anyOf(declRefExpr(to(valueDecl(equalsNode(&D)))),
                              memberExpr(member(valueDecl(equalsNode(&D))))))
                       .bind("use")))),
      *Ctx);
  for (const BoundNodes &Node : AllUses) {
    const auto *Use = Node.getNodeAs<Expr>("use");
    if (ExprMutationAnalyzer::isUnevaluated(Use, *Ctx))
      continue;
    DynTypedNodeList Parents = Ctx->getParents(*Use);
    if (Parents.empty())
      return false;
    DynTypedNode Parent = Parents[0];
    while (const auto *Paren = Parent.get<ParenExpr>()) {
      DynTypedNodeList Up = Ctx->getParents(*Paren);
      if (Up.empty())
        return false;
      Parent = Up[0];
    }
    if (const auto *Lambda = Parent.get<LambdaExpr>()) {
      // Capturing by reference is fine; a copy of an atomic is not.
      bool ByRef = llvm::any_of(Lambda->captures(), [&](const LambdaCapture &C) {
        return C.capturesVariable() && C.getCapturedVar() == &D &&
               C.getCaptureKind() == LCK_ByRef;
      });
      if (!ByRef)
        return false;
      continue;
    }
    if (const auto *Cast = Parent.get<ImplicitCastExpr>()) {
      if (Cast->getCastKind() != CK_LValueToRValue)
        return false;
      // The loaded value must keep its type: not deduced (`auto y = x;`, templates),
      // not passed through `...`.
      DynTypedNodeList Up = Ctx->getParents(*Cast);
      if (Up.empty())
        continue;
      if (const auto *V = Up[0].get<VarDecl>();
          V && V->getType()->getContainedDeducedType())
        return false;
      if (const auto *Call = Up[0].get<CallExpr>()) {
        const FunctionDecl *Callee = Call->getDirectCallee();
        if (!Callee || Callee->isVariadic() || Callee->getPrimaryTemplate())
          return false;
      }
      if (Up[0].get<CXXConstructExpr>() || Up[0].get<LambdaExpr>())
        return false;
      continue;
    }
    if (const auto *Unary = Parent.get<UnaryOperator>()) {
      if (!Unary->isIncrementDecrementOp())
        return false;
      continue;
    }
    if (const auto *Assign = Parent.get<BinaryOperator>()) {
      if (Assign->getLHS()->IgnoreParens() != Use)
        return false;
      switch (Assign->getOpcode()) {
      case BO_Assign:
      case BO_AddAssign:
      case BO_SubAssign:
        continue;
      case BO_OrAssign:
      case BO_AndAssign:
      case BO_XorAssign:
        if (T->isPointerType())
          return false;
        continue;
      default:
        return false;
      }
    }
    return false;
  }
  return true;
}

void DataRaceCheck::addAtomicFix(DiagnosticBuilder &Diag, const MemoryLocation &Location) {
  const ValueDecl *D = Location.declaration();
  // The object a pointer points to has no declaration of its own to make atomic.
  if (!D || Location.Pointee || !atomicFixCompiles(*D))
    return;
  const SourceManager &SM = Ctx->getSourceManager();
  const auto *Declarator = cast<DeclaratorDecl>(D);
  // From the first type specifier to the end of the declarator's type. The TypeLoc
  // alone misses a leading `const` (`const char *p`); the declaration's start has the
  // storage class (`static int n`), which stays outside the atomic.
  SourceLocation TypeBegin = Declarator->getInnerLocStart();
  const LangOptions &LO = Ctx->getLangOpts();
  while (true) {
    Token Tok;
    if (Lexer::getRawToken(TypeBegin, Tok, SM, LO, /*IgnoreWhiteSpace=*/true))
      return;
    if (!Tok.is(tok::raw_identifier) ||
        !llvm::is_contained({"static", "extern", "inline", "thread_local", "constexpr",
                             "constinit", "mutable"},
                            Tok.getRawIdentifier()))
      break;
    TypeBegin = Lexer::getLocForEndOfToken(Tok.getLocation(), 0, SM, LO);
  }
  Token First;
  if (Lexer::getRawToken(TypeBegin, First, SM, LO, /*IgnoreWhiteSpace=*/true))
    return;
  SourceRange TypeRange(
      First.getLocation(),
      Declarator->getTypeSourceInfo()->getTypeLoc().getSourceRange().getEnd());
  CharSourceRange Range = CharSourceRange::getTokenRange(TypeRange);
  llvm::StringRef Spelling = Lexer::getSourceText(Range, SM, LO);
  if (Spelling.empty())
    return;
  // `int *p` spells its type `int *`: keep a blank before the name.
  SourceLocation AfterType =
      Lexer::getLocForEndOfToken(TypeRange.getEnd(), 0, SM, LO);
  const char *Next = SM.getCharacterData(AfterType);
  std::string Replacement = ("std::atomic<" + Spelling + ">").str();
  if (!isWhitespace(*Next))
    Replacement += " ";
  Diag << FixItHint::CreateReplacement(Range, Replacement);
  if (!IncludesAtomic && !IncludeInserted) {
    IncludeInserted = true;
    SourceLocation Where = FirstInclude.isValid()
                               ? FirstInclude
                               : SM.getLocForStartOfFile(SM.getMainFileID());
    Diag << FixItHint::CreateInsertion(Where, "#include <atomic>\n");
  }
}

} // namespace clang::tidy::untangle
