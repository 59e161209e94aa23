//===--- ElementRanges.h - which elements of a handle array ------*- C++ -*-===//
//
// Threads kept in an array are joined element by element. Whether a join ends a
// thread then depends on which elements each side names: `join(t[0])` does not end
// the thread stored in `t[1]`, and a loop joining `t[0..8]` leaves the tenth of ten
// threads created into `t[0..9]` running. Only what is known exactly is told apart: a
// constant index, or the variable of a `for` loop with constant bounds that its body
// does not change. Anything else names the whole array, as before, so that an
// unknown range never keeps a joined thread running.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_ELEMENTRANGES_H
#define UNTANGLE_RULES_RACE_ELEMENTRANGES_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include <cstdint>
#include <optional>

namespace clang::tidy::untangle {

/// Indices [Low, High) of one array.
struct ElementRange {
  std::int64_t Low = 0;
  std::int64_t High = 0;
  bool operator==(const ElementRange &O) const { return Low == O.Low && High == O.High; }
};

/// The elements \p Handle (`t[2]`, `&t[i]`, `t + i` is not told apart) names where it
/// is written: one for a constant index, a loop's whole range for the variable of an
/// enclosing `for` loop with constant bounds; nullopt when unknown or not an element.
std::optional<ElementRange> elementsNamed(const Expr *Handle, ASTContext &Ctx);

/// Whether a join of \p Joined surely ends a thread stored in \p Stored; an unknown
/// range on either side covers everything.
inline bool covers(const std::optional<ElementRange> &Joined,
                   const std::optional<ElementRange> &Stored) {
  return !Joined || !Stored || (Joined->Low <= Stored->Low && Stored->High <= Joined->High);
}

} // namespace clang::tidy::untangle

#endif
