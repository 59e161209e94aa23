//===--- UnseenWrappers.cpp - thread wrappers defined in another file -------===//
//
// A program may wrap its threads and locks in functions of its own defined in another
// translation unit (`stdThreadCreate(routine, args, &thread)` in a `std_thread.c`,
// declared in the project's header). Seen from one file they are declarations, and
// without them the rule sees no thread at all. Unless the options name the project's
// wrappers (ParallelSpawnFunctions, JoinFunctions, AcquireFunctions, ReleaseFunctions),
// a free function declared outside system headers, defined nowhere in the translation
// unit, and named and typed as a wrapper is taken for one (GuessWrappers):
// - it starts a thread: "thread" and create, start, spawn, new, run or launch among the
//   words of its name, and a parameter pointing to a function of one pointer (the
//   routine): `stdThreadCreate`, `os_thread_create`, `CreateThread`; not with key, local,
//   once, callback, handler, hook, cleanup or exit in the name (`create_thread_key`
//   takes a destructor, `on_thread_exit` a handler);
// - it joins one: "thread" and "join" (`stdThreadJoin`, `thread_join`);
// - it takes a lock: lock, mutex or critical with acquire, enter or take
//   (`stdThreadLockAcquire`, `enter_critical`), or a name ending in the word "lock"
//   (`os_mutex_lock`, `spinLock`);
// - it lets one go: lock, mutex or critical with release, leave or give, or a name
//   ending in "unlock".
// A lock function that also creates, initializes, destroys, frees or tries is none of
// them. Words are the name's snake_case and camelCase parts, in any case. A function of
// a system header, or with a reserved name, is the library's or a tool's, modelled by
// name or not at all; a wrong guess of a
// spawn would report races that are not there, which is why a spawn also needs the
// routine's type.
//
//===----------------------------------------------------------------------===//

#include "race/ConcurrencyModel.h"
#include "llvm/ADT/StringExtras.h"

namespace clang::tidy::untangle {

namespace {

// `stdThreadLockAcquire` -> std, thread, lock, acquire; `os_mutex_lock` -> os, mutex,
// lock; `CreateThread` -> create, thread.
llvm::SmallVector<std::string, 4> nameWords(llvm::StringRef Name) {
  llvm::SmallVector<std::string, 4> Words;
  std::string Word;
  for (size_t I = 0; I < Name.size(); ++I) {
    const char C = Name[I];
    const bool Boundary = !llvm::isAlnum(C) ||
                          (llvm::isUpper(C) && I > 0 && llvm::isLower(Name[I - 1]));
    if (Boundary && !Word.empty()) {
      Words.push_back(Word);
      Word.clear();
    }
    if (llvm::isAlnum(C))
      Word += llvm::toLower(C);
  }
  if (!Word.empty())
    Words.push_back(Word);
  return Words;
}

bool hasAny(llvm::ArrayRef<std::string> Words, std::initializer_list<llvm::StringRef> Of) {
  return llvm::any_of(Words, [&](const std::string &W) { return llvm::is_contained(Of, W); });
}

// A parameter that can take a thread's routine: a pointer to a function of one pointer.
bool takesRoutine(const FunctionDecl &F) {
  return llvm::any_of(F.parameters(), [](const ParmVarDecl *P) {
    const auto *Type = P->getType()->getPointeeType().isNull()
                           ? nullptr
                           : P->getType()->getPointeeType()->getAs<FunctionProtoType>();
    return Type && Type->getNumParams() == 1 && Type->getParamType(0)->isPointerType();
  });
}

} // namespace

ConcurrencyModel::WrapperRole ConcurrencyModel::guessedRole(const FunctionDecl &F) const {
  if (!GuessWrappers || !F.getIdentifier() || isa<CXXMethodDecl>(F) || F.hasBody() ||
      F.getASTContext().getSourceManager().isInSystemHeader(F.getLocation()))
    return WrapperRole::None;
  // A reserved name (`__tsan_mutex_pre_lock`) is the implementation's or a tool's,
  // modelled by name where it matters, not a wrapper of the program's.
  const llvm::StringRef Name = F.getName();
  if (Name.starts_with("__") || (Name.size() > 1 && Name[0] == '_' && llvm::isUpper(Name[1])))
    return WrapperRole::None;
  const llvm::SmallVector<std::string, 4> Words = nameWords(Name);
  // Thread-local keys, once-calls and callbacks registered for later take routines too.
  if (hasAny(Words, {"thread"}) &&
      !hasAny(Words, {"key", "local", "specific", "tls", "once", "callback", "handler",
                      "hook", "cleanup", "exit"})) {
    if (hasAny(Words, {"create", "start", "spawn", "new", "run", "launch"}) &&
        takesRoutine(F))
      return WrapperRole::Spawn;
    if (hasAny(Words, {"join"}) && F.getNumParams() > 0)
      return WrapperRole::Join;
  }
  if (!hasAny(Words, {"lock", "unlock", "mutex", "critical"}) ||
      hasAny(Words, {"create", "init", "destroy", "free", "new", "alloc", "delete", "try",
                     "trylock", "is", "get", "held", "owner"}))
    return WrapperRole::None;
  if (Words.back() == "unlock" || hasAny(Words, {"release", "leave", "give"}))
    return WrapperRole::Release;
  if (Words.back() == "lock" || hasAny(Words, {"acquire", "enter", "take"}))
    return WrapperRole::Acquire;
  return WrapperRole::None;
}

bool ConcurrencyModel::plays(WrapperRole Role, const NamedDecl *D) const {
  const NameList &Patterns = Role == WrapperRole::Spawn     ? SpawnPatterns
                             : Role == WrapperRole::Join    ? JoinPatterns
                             : Role == WrapperRole::Acquire ? AcquirePatterns
                                                            : ReleasePatterns;
  if (matches(Patterns, D))
    return true;
  const auto *F = dyn_cast_or_null<FunctionDecl>(D);
  return F && guessedRole(*F) == Role;
}

} // namespace clang::tidy::untangle
