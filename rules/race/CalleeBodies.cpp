//===--- CalleeBodies.cpp - which bodies a call is followed into ---------===//
//
// Decides which function bodies a call is followed into; see race/CalleeBodies.h.
//
//===----------------------------------------------------------------------===//

#include "race/CalleeBodies.h"
#include "race/KnownTypes.h"
#include "race/LibraryEffects.h"
#include "race/Publication.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::untangle {

llvm::SmallVector<const FunctionDecl *, 2> CalleeBodies::ofCall(const CallExpr &Call) const {
  llvm::SmallVector<const FunctionDecl *, 2> Callees;
  if (const FunctionDecl *Direct = Call.getDirectCallee())
    Callees.push_back(Direct);
  else if (const FunctionDecl *Stored = storedInRecord(Call.getCallee()))
    Callees.push_back(Stored);
  else
    Callees = Pointers.targetsOf(Call.getCallee(), Ctx);
  llvm::erase_if(Callees, [&](const FunctionDecl *&Callee) {
    Callee = definitionOf(*Callee);
    return Callee == nullptr;
  });
  return Callees;
}

llvm::SmallVector<const FunctionDecl *, 2>
CalleeBodies::handedOut(const CallExpr &Call) const {
  llvm::SmallVector<const FunctionDecl *, 2> Callbacks;
  const FunctionDecl *Direct = Call.getDirectCallee();
  if (!Direct || Direct->hasBody() || isInSystemHeader(Direct, Ctx.getSourceManager()))
    return Callbacks;
  for (const Expr *Arg : Call.arguments()) {
    Arg = Arg->IgnoreParenImpCasts();
    if (const auto *AddressOf = dyn_cast<UnaryOperator>(Arg);
        AddressOf && AddressOf->getOpcode() == UO_AddrOf)
      Arg = AddressOf->getSubExpr()->IgnoreParens();
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Arg))
      if (const auto *Callback = dyn_cast<FunctionDecl>(Ref->getDecl()))
        if (const FunctionDecl *Definition = definitionOf(*Callback))
          Callbacks.push_back(Definition);
  }
  return Callbacks;
}

const FunctionDecl *CalleeBodies::definitionOf(const FunctionDecl &Callee) const {
  const FunctionDecl *Definition = nullptr;
  if (!Callee.hasBody(Definition) || !Definition || Definition->isDependentContext() ||
      isInSystemHeader(Definition, Ctx.getSourceManager()) ||
      isThreadSafeLibraryDecl(Definition))
    return nullptr;
  if (Depth >= MaxCallDepth || Definition == &Function ||
      llvm::is_contained(Env.PrivateFrames, Definition) || Definition == Env.Entry)
    return nullptr;
  return Definition;
}

const FunctionDecl *CalleeBodies::storedInRecord(const Expr *Callee) const {
  // `thread->start(..)` on a record the spawner filled in (race/Publication.h): the
  // function it stored there for this thread, not every function stored anywhere.
  Callee = Callee->IgnoreParenImpCasts();
  if (const auto *Deref = dyn_cast<UnaryOperator>(Callee);
      Deref && Deref->getOpcode() == UO_Deref)
    Callee = Deref->getSubExpr()->IgnoreParenImpCasts();
  const auto *Member = dyn_cast<MemberExpr>(Callee);
  if (!Member || !Member->isArrow())
    return nullptr;
  const FilledRecord *Record = Resolver.pointee(Member->getBase(), Env).Record;
  const auto *Field = dyn_cast<FieldDecl>(Member->getMemberDecl());
  if (!Record || !Field)
    return nullptr;
  auto It = Record->Functions.find(Field);
  return It == Record->Functions.end() ? nullptr : It->second;
}

} // namespace clang::tidy::untangle
