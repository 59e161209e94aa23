//===--- LibraryEffects.cpp - what library types and calls do to memory ---===//

#include "race/LibraryEffects.h"
#include "race/KnownTypes.h"
#include "llvm/ADT/StringMap.h"

namespace clang::tidy::untangle {

bool isSynchronizedType(QualType T) {
  T = T.getNonReferenceType();
  while (const auto *Array = T->getAsArrayTypeUnsafe())
    T = Array->getElementType();
  if (T->isAtomicType())
    return true;
  std::string Name = recordName(T);
  if (!Name.empty())
    return isOneOf(Name, SynchronizedTypes) || isOneOf(Name, MutexTypes) ||
           llvm::StringRef(Name).ends_with("WaitGroup");
  if (const auto *Typedef = T->getAs<TypedefType>())
    return isOneOf(Typedef->getDecl()->getName(), CPthreadTypes);
  return false;
}

bool isThreadSafeLibraryDecl(const Decl *D) {
  for (const DeclContext *DC = D ? D->getDeclContext() : nullptr; DC;
       DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC);
        NS && NS->getParent()->isTranslationUnit() && NS->getIdentifier())
      return isNamed(NS->getName(), {"untangle", "asio", "boost", "pplx", "web",
                                     "Concurrency", "concurrency"});
  return false;
}

bool isAtomicCall(const CallExpr &Call) {
  const FunctionDecl *F = Call.getDirectCallee();
  if (!F || !F->getIdentifier())
    return false;
  llvm::StringRef Name = F->getName();
  if (F->getBuiltinID() != 0 &&
      (Name.starts_with("__atomic_") || Name.starts_with("__sync_") ||
       Name.starts_with("__c11_atomic_")))
    return true;
  std::string Qualified = AsyncCallModel::qualifiedName(*F);
  return llvm::StringRef(Qualified).starts_with("std::atomic_") ||
         (Name.starts_with("atomic_") && F->isExternC());
}

const Expr *onceFlag(const CallExpr &Call, const Expr *&Routine) {
  const FunctionDecl *F = Call.getDirectCallee();
  if (!F || !F->getIdentifier() || Call.getNumArgs() < 2)
    return nullptr;
  const std::string Qualified = AsyncCallModel::qualifiedName(*F);
  if (Qualified != "pthread_once" && Qualified != "std::call_once")
    return nullptr;
  Routine = Call.getArg(1);
  return Call.getArg(0);
}

std::optional<bool> containerMemberWrites(const CXXMethodDecl &M) {
  if (!M.getParent()->isInStdNamespace())
    return std::nullopt;
  if (M.isCopyAssignmentOperator() || M.isMoveAssignmentOperator() ||
      M.getOverloadedOperator() == OO_Equal)
    return true;
  if (M.getOverloadedOperator() == OO_Subscript) {
    // A map's `[]` inserts the key when it is missing; a sequence's only indexes.
    std::string Owner = AsyncCallModel::qualifiedName(*M.getParent());
    return Owner == "std::map" || Owner == "std::unordered_map";
  }
  if (!M.getIdentifier())
    return std::nullopt;
  llvm::StringRef Name = M.getName();
  if (isNamed(Name, {"emplace", "emplace_back", "emplace_front", "emplace_hint",
                     "try_emplace", "insert", "insert_or_assign", "erase", "clear",
                     "push_back", "push_front", "pop_back", "pop_front", "resize",
                     "reserve", "shrink_to_fit", "swap", "assign", "merge", "extract",
                     "splice", "remove", "remove_if", "unique", "sort", "reverse"}))
    return true;
  if (isNamed(Name, {"at", "begin", "end", "rbegin", "rend", "front", "back", "data",
                     "find", "count", "contains", "lower_bound", "upper_bound",
                     "equal_range", "size", "empty"}))
    return false;
  return std::nullopt;
}

const LibraryCall *libraryCall(const FunctionDecl &F) {
  // A body does not disqualify: with _FORTIFY_SOURCE glibc defines memcpy and friends
  // inline in its headers, and those bodies are not walked (they are system code).
  if (!F.getIdentifier())
    return nullptr;
  llvm::StringRef Name = F.getName();
  // Fortified calls may also expand to `__builtin___snprintf_chk(..)`: the checked
  // builtins take the same pointers; their extra arguments (sizes, flags) are not
  // pointers and so have no effect in the table's terms.
  const bool Builtin = F.getBuiltinID() != 0 &&
                       (Name.consume_front("__builtin___") ||
                        Name.consume_front("__builtin_"));
  if (Builtin) {
    Name.consume_back("_chk");
  } else {
    const DeclContext *DC = F.getDeclContext()->getRedeclContext();
    if (!DC->isTranslationUnit() && !DC->isStdNamespace())
      return nullptr;
    if (!F.getASTContext().getSourceManager().isInSystemHeader(F.getLocation()))
      return nullptr;
  }
  static const llvm::StringMap<const LibraryCall *> ByName = [] {
    llvm::StringMap<const LibraryCall *> Map;
    for (const LibraryCall &Row : LibraryCalls)
      Map[Row.Name] = &Row;
    return Map;
  }();
  auto It = ByName.find(Name);
  return It == ByName.end() ? nullptr : It->second;
}

char libraryArgumentEffect(const LibraryCall &Row, unsigned Index, QualType Pointee) {
  llvm::StringRef Args = Row.Args;
  const bool Variadic = Args.consume_back("*");
  if (Index < Args.size() - (Variadic ? 1 : 0))
    return Args[Index];
  if (!Variadic || Args.empty())
    return Index < Args.size() ? Args[Index] : '-';
  // The letter of the first variadic argument stands for all of them; a variadic read
  // is a `%s`, so only character pointers are read (`%p` reads nothing).
  const char Effect = Args.back();
  return Effect == 'r' && !Pointee->isAnyCharacterType() ? '-' : Effect;
}

DescriptorEdge descriptorEdge(const CallExpr &Call) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || !Callee->getIdentifier() || Call.getNumArgs() == 0 ||
      !Callee->getDeclContext()->getRedeclContext()->isTranslationUnit() ||
      !Callee->getASTContext().getSourceManager().isInSystemHeader(Callee->getLocation()))
    return DescriptorEdge::None;
  const Expr *Descriptor = Call.getArg(0);
  if (!Descriptor->getType()->isIntegerType() ||
      Descriptor->isIntegerConstantExpr(Callee->getASTContext()))
    return DescriptorEdge::None;
  llvm::StringRef Name = Callee->getName();
  if (isNamed(Name, {"write", "writev", "send", "sendto", "sendmsg", "connect"}))
    return DescriptorEdge::Release;
  if (isNamed(Name, {"read", "readv", "recv", "recvfrom", "recvmsg", "accept", "accept4"}))
    return DescriptorEdge::Acquire;
  return DescriptorEdge::None;
}

} // namespace clang::tidy::untangle
