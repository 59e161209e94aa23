//===--- ChainRewriteBuilder.cpp - what every chain rewrite shares --------===//
//
// The parts of ChainRewriteBuilder (CoroutineRewriter.h) that the coroutine and the
// promise rewriters share: refusals, source text, and putting the rewritten chain in place.
//
//===----------------------------------------------------------------------===//

#include "rewrite/CoroutineRewriter.h"
#include "rewrite/UntangleTarget.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::untangle {

llvm::StringMap<std::string> parseTwins(llvm::StringRef Option) {
  llvm::StringMap<std::string> Twins;
  for (const std::string &Item : splitOptionList(Option)) {
    auto [From, To] = llvm::StringRef(Item).split('=');
    if (!From.trim().empty() && !To.trim().empty())
      Twins[From.trim()] = To.trim().str();
  }
  return Twins;
}

ChainRewriteBuilder::ChainRewriteBuilder(const CallbackChain &Chain, ASTContext &Context,
                                         const RewriteOptions &Options)
    : Chain(Chain), Context(Context), SM(Context.getSourceManager()),
      LangOpts(Context.getLangOpts()), Options(Options) {}

bool ChainRewriteBuilder::fail(RefusalReason Reason, SourceLocation Loc, std::string Detail) {
  if (!Outcome.Refused)
    Outcome.Refused = Refusal{Reason, SM.getExpansionLoc(Loc), std::move(Detail)};
  return false;
}

std::string ChainRewriteBuilder::text(SourceRange R) const {
  return Lexer::getSourceText(CharSourceRange::getTokenRange(R), SM, LangOpts).str();
}

std::optional<std::string> ChainRewriteBuilder::valueTypeText(const ValueDecl *V,
                                                              const PrintingPolicy &Policy) const {
  QualType T = V->getType().getNonReferenceType();
  if (isa<BindingDecl>(V) || T->getContainedAutoType() || T->isUndeducedType())
    return std::string("auto");
  if (const auto *RD = T->getAsCXXRecordDecl(); RD && RD->isLambda())
    return std::string("auto");
  if (T->isArrayType())
    return std::nullopt;
  if (const auto *Var = dyn_cast<VarDecl>(V);
      Var && !V->getType()->isReferenceType() && Var->getTypeSourceInfo()) {
    SourceRange R = Var->getTypeSourceInfo()->getTypeLoc().getSourceRange();
    if (R.isValid() && !R.getBegin().isMacroID() && !R.getEnd().isMacroID()) {
      std::string Written = text(R);
      if (!Written.empty() && Written.find("auto") == std::string::npos)
        return Written;
    }
  }
  return T.getAsString(Policy);
}

std::optional<std::vector<std::string>>
ChainRewriteBuilder::apiSignature(const ChainLevel &L, const PrintingPolicy &Policy) const {
  if (!L.Callee || L.CallbackIndex >= L.Callee->getNumParams())
    return std::nullopt;
  QualType T = L.Callee->getParamDecl(L.CallbackIndex)->getType().getNonReferenceType();
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl());
  if (!Spec || Spec->getTemplateArgs().size() < 1 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return std::nullopt;
  const auto *Proto = Spec->getTemplateArgs()[0].getAsType()->getAs<FunctionProtoType>();
  if (!Proto)
    return std::nullopt;
  std::vector<std::string> Types;
  for (QualType P : Proto->param_types())
    Types.push_back(P.getAsString(Policy));
  return Types;
}

std::vector<FixItHint> ChainRewriteBuilder::replaceChainWith(const std::string &Text) const {
  const CallExpr *Outermost = Chain.Root->Call;
  const unsigned Begin = Edits->offset(Outermost->getBeginLoc());
  const unsigned End = Edits->tokenEnd(Outermost->getEndLoc(), LangOpts);
  llvm::StringRef FileName = SM.getFileEntryRefForID(File)->getName();
  std::string Formatted = formatReplacement(Edits->code(), FileName, Begin, End, Text,
                                            Options.FormatStyle, Options.FallbackStyle);
  SourceLocation FileStart = SM.getLocForStartOfFile(File);
  std::vector<FixItHint> Fixes;
  Fixes.push_back(FixItHint::CreateReplacement(
      CharSourceRange::getCharRange(FileStart.getLocWithOffset(Begin),
                                    FileStart.getLocWithOffset(End)),
      Formatted));
  if (Options.AddInclude)
    Fixes.push_back(untangleRuntimeInclude(SM, File, Begin));
  return Fixes;
}

} // namespace clang::tidy::untangle
