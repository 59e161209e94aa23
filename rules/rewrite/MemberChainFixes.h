//===--- MemberChainFixes.h - putting a member coroutine in place -*- C++ -*-===//
//
// The fix-its of a member-chain rewrite (MemberChainRewriter.h), once its text is
// built: the entry's first step becomes the spawn of the coroutine; the coroutine takes
// the place of the first member the chain no longer needs (and of those right after it);
// the other such members are removed, whole lines when nothing else is on them.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_MEMBERCHAINFIXES_H
#define UNTANGLE_RULES_MEMBERCHAINFIXES_H

#include "rewrite/CoroutineRewriter.h"
#include "rewrite/MemberChainSteps.h"
#include "rewrite/SourceEdits.h"
#include <optional>

namespace clang::tidy::untangle {

/// Appends to \p Fixes the replacements of \p Steps (the entry first) by \p Coroutine
/// and \p Spawn, formatted in the file's style; returns where the first step's end was
/// not found when it was not (and appends nothing).
std::optional<SourceLocation>
placeMemberCoroutine(llvm::ArrayRef<Step> Steps, const SourceEdits &Edits,
                     const std::string &Coroutine, const std::string &Spawn,
                     const RewriteOptions &Options, const LangOptions &LangOpts,
                     std::vector<FixItHint> &Fixes);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_MEMBERCHAINFIXES_H
