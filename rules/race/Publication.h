//===--- Publication.h - objects a run owns until it publishes them -*- C++ -*-===//
//
// A run of a function that allocates an object (`p = malloc(..)`, `new T`) is the only
// code able to reach it until it publishes the pointer: stores it anywhere (`A->next =
// p`, `q = p`), hands it to a thread or to a function that may keep it, or returns it.
// What the run does through `p` before that point cannot race, whichever thread runs
// it: a list node filled in before it is linked under a lock, a record a worker
// initializes (also through a helper, `init(p, 7)`) before it pushes it to a shared
// queue. This is the most common shape of race-free code that a field-of-any-object
// model reports (issue 16, item 9; Goblint's `09-regions`, `11-heap`).
//
// The analysis reads the function's body in source order, without its CFG: the
// allocation must be the last assignment of `p` before the use and dominate it
// structurally (a statement of a block enclosing the use), no use of `p` between them
// may publish it, and a loop around the use that does not contain the allocation must
// neither assign nor publish `p` (its next round would see the published object).
// Jumps (`goto`, `longjmp`) are not followed. An argument a spawn hands to the code
// it starts (ConcurrencyModel::isPassedToSpawn: `pthread_create(.., p)`,
// `std::thread(f, p)`, a configured wrapper) is handed to that thread. Any other call
// is followed into the callee's body to see whether its parameter escapes, at most
// the check's MaxCallDepth calls deep; a call of a C library function
// (race/LibraryCalls.h) or of pthreads other than `pthread_create` keeps nothing.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_PUBLICATION_H
#define UNTANGLE_RULES_RACE_PUBLICATION_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "race/MemoryLocation.h"
#include "llvm/ADT/DenseMap.h"
#include <deque>
#include <vector>

namespace clang::tidy::untangle {

class ConcurrencyModel;

/// The fields a spawner filled in on a record it allocated before handing it to a
/// thread (`w->start = fn; w->args = arg; pthread_create(.., w)`, a thread wrapper's
/// record): what the thread finds there, resolved in the spawner's environment.
struct FilledRecord {
  llvm::SmallDenseMap<const FieldDecl *, Resolution, 2> Pointees;
  llvm::SmallDenseMap<const FieldDecl *, const FunctionDecl *, 2> Functions;
};

class UnpublishedObjects {
public:
  /// \p Model: its spawns must all be registered before the first question.
  UnpublishedObjects(ASTContext &Ctx, const ConcurrencyModel &Model, unsigned MaxDepth)
      : Ctx(Ctx), Model(Model), MaxDepth(MaxDepth) {}

  /// What \p Use (a local pointer variable, read) points to at that point of its
  /// function's run: an object the run allocated and has not yet published (the use
  /// itself does not publish it either, as `pthread_create(.., p)` does), one it has
  /// published (since its last assignment, or in the round before of a loop around
  /// the use), handed to a thread, or neither that the analysis can tell.
  /// Handed: given to a thread this function starts (`pthread_create(.., p)`) and
  /// stored nowhere else; whether that thread may run yet is for the flow analysis.
  enum class State { Unpublished, Published, Handed, Unknown };
  State at(const DeclRefExpr &Use) const;
  /// The record \p Handed (a spawn's argument) points to, if this run allocated it,
  /// stored pointers or functions in its fields and published it nowhere before;
  /// null otherwise. The stored values are resolved in \p Env, the spawner's.
  const FilledRecord *filledRecord(const Expr &Handed, const Environment &Env,
                                   const LocationResolver &Resolver) const;

private:
  /// A mention of the variable in its function, in source order.
  struct Event {
    SourceLocation Loc;
    const Stmt *Node = nullptr; ///< The assignment, declaration statement or use.
    enum Kind { Allocation, OtherAssignment, Publication, HandedToThread, LocalUse } TheKind;
  };
  struct VariableEvents {
    bool Tracked = true; ///< False once its address is taken (`&p`).
    std::vector<Event> Events;
  };
  const VariableEvents &eventsOf(const VarDecl &V) const;
  /// Does this use of a pointer hand the object on to code that may keep it?
  bool publishes(const Expr &Use, unsigned Depth) const;
  bool argumentPublishes(const CallExpr &Call, const Expr &Arg, unsigned Depth) const;
  /// Does the callee's pointer parameter leave its body (stored, passed on, returned)?
  bool parameterEscapes(const ParmVarDecl &Param, unsigned Depth) const;
  const Stmt *parentStmt(const Stmt &S) const;

  /// Does \p Ref hand the object to a thread that a spawn starts right there?
  bool handsToThread(const DeclRefExpr &Ref) const;

  ASTContext &Ctx;
  const ConcurrencyModel &Model;
  const unsigned MaxDepth;
  mutable llvm::DenseMap<const VarDecl *, VariableEvents> Variables;
  mutable llvm::DenseMap<const ParmVarDecl *, bool> Parameters;
  mutable std::deque<FilledRecord> Records;
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_RACE_PUBLICATION_H
