//===--- LibraryEffects.cpp - what library types and calls do to memory ---===//

#include "race/LibraryEffects.h"
#include "race/KnownTypes.h"

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

bool isAtomicOrOnceCall(const CallExpr &Call) {
  const FunctionDecl *F = Call.getDirectCallee();
  if (!F || !F->getIdentifier())
    return false;
  llvm::StringRef Name = F->getName();
  if (F->getBuiltinID() != 0 &&
      (Name.starts_with("__atomic_") || Name.starts_with("__sync_") ||
       Name.starts_with("__c11_atomic_")))
    return true;
  std::string Qualified = AsyncCallModel::qualifiedName(*F);
  return Qualified == "std::call_once" || Qualified == "pthread_once" ||
         llvm::StringRef(Qualified).starts_with("std::atomic_") ||
         (Name.starts_with("atomic_") && F->isExternC());
}

bool isContainerReadOnlyMember(const CXXMethodDecl &M) {
  if (M.getOverloadedOperator() == OO_Subscript)
    return true;
  return M.getIdentifier() &&
         llvm::is_contained({"at", "begin", "end", "rbegin", "rend", "front", "back",
                             "data", "find", "lower_bound", "upper_bound",
                             "equal_range"},
                            M.getName());
}

} // namespace clang::tidy::untangle
