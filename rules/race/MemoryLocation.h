//===--- MemoryLocation.h - which bytes an lvalue names -------*- C++ -*-===//
//
// The memory model of untangle-data-race: an access is to a variable, a field of a
// variable, or a field of an object the analysis cannot name (`p->count`), which then
// stands for that field of every object of its class. Pointers and references are
// followed as far as one translation unit shows what they were bound to (a pointer
// initialized once, a parameter bound at a spawn or a call); anything else is Unknown
// and reported never, because a race the rule cannot name is not one it can explain.
// Whether a location is the running context's own (a by-value capture, a callee's
// local, a thread_local whose address its function keeps) is decided here too: such a
// location cannot race. Pointer arithmetic names what a subscript does (`p + 2`, `p[2]`).
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_MEMORYLOCATION_H
#define UNTANGLE_RULES_RACE_MEMORYLOCATION_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>
#include <string>

namespace clang::tidy::untangle {

class PointerTargets;
class UnpublishedObjects;
struct FilledRecord;

/// A memory location named by the program: a variable, a field of a variable, or a
/// field of an object the analysis cannot name (`p->count`, `this->count`), which then
/// stands for that field of every object of the class.
struct MemoryLocation {
  const ValueDecl *Root = nullptr;
  const FieldDecl *Field = nullptr;
  /// Hidden state of a library (`strtok`'s saved position, see race/LibraryCalls.h):
  /// no declaration names it, the table does. Empty for program memory.
  llvm::StringRef HiddenState;
  /// The object was freed, so it is heap memory: never a named variable.
  bool Heap = false;
  /// Not the pointer variable Root but the object it points to, a scalar the program
  /// allocated (`int *q = malloc(..)`) or any a global pointer holds (`*x` for a
  /// global `int *x`): named by the pointer, so that `*x` in two threads is one
  /// location. It never aliases a named variable (`x = &g` is not followed) and only
  /// the pointee of the same pointer.
  bool Pointee = false;
  /// An element of the array Root named with a constant index (`a[1]`, `a[1].f`);
  /// WholeObject for the whole variable; SomeElement for a non-constant index
  /// (`a[i]`), which may be any element: it overlaps each numbered one and the whole
  /// array, but another `a[j]` only when both are indexed by the same shared variable
  /// (`buf[count]` in two threads; `results[id]` of two workers are apart).
  static constexpr int64_t WholeObject = -1;
  static constexpr int64_t SomeElement = -2;
  int64_t Element = WholeObject;
  /// For SomeElement: the global or static variable the index reads, if it is one.
  const VarDecl *Index = nullptr;

  MemoryLocation() = default;
  MemoryLocation(const ValueDecl *Root, const FieldDecl *Field) : Root(Root), Field(Field) {}
  static MemoryLocation hidden(llvm::StringRef State) {
    MemoryLocation L;
    L.HiddenState = State;
    return L;
  }
  /// The program's one critical section: what an argument-less lock call
  /// (`__VERIFIER_atomic_begin()`, `enter_critical()`) takes (race/LockCalls.cpp).
  static MemoryLocation criticalSection() { return hidden("the critical section"); }
  bool operator==(const MemoryLocation &O) const {
    return Root == O.Root && Field == O.Field && HiddenState == O.HiddenState &&
           Heap == O.Heap && Pointee == O.Pointee && Element == O.Element &&
           Index == O.Index;
  }
  /// Can both name the same bytes? A field of an unnamed object aliases that field of
  /// any object; a whole variable aliases each of its fields and elements; two
  /// distinct constant indices of one array (`a[0]`, `a[1]`) never alias.
  bool mayAlias(const MemoryLocation &O) const;
  /// The declaration whose type says what is stored there; null for hidden state.
  const ValueDecl *declaration() const {
    return Field ? static_cast<const ValueDecl *>(Field) : Root;
  }
  std::string name() const;
};

/// What an lvalue or a pointer refers to, seen from one running context.
struct Resolution {
  enum class Kind {
    Shared,   ///< A location other contexts can reach.
    Confined, ///< The context's own copy (by-value capture, callee local, thread_local).
    Unknown,  ///< Nothing the analysis can name (a non-constant index, an unbound pointer).
  };
  Kind TheKind = Kind::Unknown;
  MemoryLocation Location;
  /// A local of the context's own entry function: each instance of the context has its
  /// own, so two instances of one body never share it.
  bool FrameLocal = false;
  /// A record the spawner filled in before handing it to this thread: what its
  /// fields hold (race/Publication.h). Null for any other object.
  const FilledRecord *Record = nullptr;

  static Resolution unknown() { return {}; }
  static Resolution confined() { return {Kind::Confined, {}, false}; }
  static Resolution shared(MemoryLocation L, bool FrameLocal) {
    return {Kind::Shared, L, FrameLocal};
  }
  bool isShared() const { return TheKind == Kind::Shared; }
};

/// How a function runs while resolving names: which parameters and `this` are bound to
/// what the caller passed, and which frames' locals belong to the running context alone.
struct Environment {
  const FunctionDecl *Entry = nullptr;
  /// The function whose body is being read; says through which lambdas a variable of
  /// an enclosing function is captured, by copy or by reference.
  const FunctionDecl *Current = nullptr;
  llvm::SmallVector<const FunctionDecl *, 4> PrivateFrames;
  llvm::SmallDenseMap<const ParmVarDecl *, Resolution, 4> Params;
  std::optional<Resolution> This;
  /// Function-pointer parameters bound to the function the caller passed
  /// (`start_task(handle, arg)` runs `handle` where `start_task` spawns `fn`).
  llvm::SmallDenseMap<const ParmVarDecl *, const FunctionDecl *, 2> Functions;
};

/// Resolves lvalues (`x`, `s.f`, `p->f`, `*p`, `a[2]`) and pointers (`&x`, `p`, `this`)
/// to memory locations.
class LocationResolver {
public:
  /// What pointer fields hold (race/PointerTargets.h), once the translation unit's
  /// table is built; without it a pointer field names nothing.
  const PointerTargets *Pointers = nullptr;
  /// Which uses of a local pointer reach an object its run allocated and has not yet
  /// published (race/Publication.h); such an object is the run's own.
  const UnpublishedObjects *Unpublished = nullptr;

  Resolution lvalue(const Expr *E, const Environment &Env, unsigned Depth = 0) const;
  Resolution pointee(const Expr *E, const Environment &Env, unsigned Depth = 0) const;
  /// Is \p Pointer a local of the context's entry that a call gave it (`job *j =
  /// queue_pull(q)`, `p = malloc(..)`)? What it points to is taken as that run's own:
  /// each worker pops its own job (a field through it is frame-local).
  bool ownPointer(const Expr *Pointer, const Environment &Env) const;

  /// What a thread started at \p Site is handed through \p Pointer, when it is a
  /// different object each iteration of the loop around the spawn: an element
  /// (`pthread_create(.., &jobs[i])`, `jobs + i` in a loop stepping `i`) or a fresh
  /// allocation (`args = malloc(..)` declared in the loop). Each thread gets its own, so
  /// two runs of the body never share it (frame-local). An array is named if the
  /// analysis can name it (`jobs` an array), else the object is unnamed and its fields
  /// stand for that field of any object. Unknown if \p Pointer is neither.
  Resolution elementPerIteration(const Expr *Pointer, const Expr &Site, ASTContext &Ctx,
                                 const Environment &Env) const;

private:
  Resolution variable(const VarDecl *V, const Environment &Env, unsigned Depth) const;
};

/// `malloc(..)`, `calloc(..)`, `realloc(..)`, `new T`: a fresh object.
bool allocates(const Expr *E);

/// The declaration an expression designates as a handle or executor (`t`, `threads[i]`,
/// `this->pool_`, the range of a range-for loop variable).
const Decl *designatedDecl(const Expr *E);

/// The variable an access path starts from: `p` of `p->handle`, `(*p).f`, `*p`,
/// `p[i]`, `&p->f`; null if the path starts anywhere else (a call, `this`).
const VarDecl *pathRoot(const Expr *E);

/// What a lock call's operand names: a pointer-typed one what it points to, anything
/// else itself (an unbound pointer parameter names itself, within its function).
Resolution resolveOperand(const LocationResolver &R, const Expr *E);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_RACE_MEMORYLOCATION_H
