//===--- AsyncCallModel.h - which calls are asynchronous -------*- C++ -*-===//
//
// The model every untangle rule shares: is a call asynchronous, and which of its
// arguments is the callback that runs later. Kept apart from the checks so that the
// nesting check, the coroutine rewrite and the data-race rule agree on it.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_ASYNCCALLMODEL_H
#define UNTANGLE_RULES_ASYNCCALLMODEL_H

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang-tidy/utils/Matchers.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Regex.h"
#include <string>
#include <vector>

namespace clang::tidy::untangle {

/// What was passed as a callback, and where its code lives.
struct Callable {
  enum class Kind {
    Lambda,              ///< `[...](...) { ... }`
    FunctionPointer,     ///< `&on_done`, `on_done`
    Bind,                ///< `std::bind(f, ...)`, `std::bind_front(f, ...)`
    BoundMemberFunction, ///< `bind_front_handler(&X::on_read, shared_from_this())`
    LambdaVariable,      ///< `auto on_read = [&](...) {...};` then `async_read(.., on_read)`
  };
  Kind TheKind;
  const Expr *Arg = nullptr;              ///< The argument as written.
  const LambdaExpr *Lambda = nullptr;     ///< Set for Kind::Lambda and LambdaVariable.
  const FunctionDecl *Function = nullptr; ///< The function the callback runs, if known.
  const VarDecl *Variable = nullptr;      ///< The variable named, if the argument names one.
};

/// The functions a name-list option names (AsyncFunctions, SyncFunctions, the
/// data-race rule's ParallelSpawnFunctions...). Matched as clang-tidy matches its own
/// lists (matchers::matchesAnyListedRegexName): a regex without `:` is matched against
/// the unqualified name, so `query` names `query` in any namespace; one with `:` against
/// the qualified name; one starting with `::` against the fully qualified name, anchored
/// at the global namespace (`::query` names the global `query`, not `ns::query`).
/// Members of class templates are matched as written, without template arguments.
class NameList {
public:
  explicit NameList(const std::vector<std::string> &Regexes);
  bool matches(const NamedDecl &D) const;
  bool empty() const { return Matchers.empty(); }

private:
  std::vector<matchers::MatchesAnyListedRegexNameMatcher::NameMatcher> Matchers;
};

/// Options that widen or narrow the built-in model; all lists hold regexes, except
/// CompletionHandlerNames, which holds globs (`on_*`).
struct AsyncCallModelOptions {
  std::vector<std::string> AsyncFunctions;
  std::vector<std::string> SyncFunctions;
  std::vector<std::string> CompletionHandlerNames;
};

/// Decides, per call expression, which arguments are callbacks that run
/// asynchronously, i.e. after the call returns:
///  (a) calls to functions whose qualified name matches an AsyncFunctions regex;
///  (b) arguments bound to a parameter named like a completion handler whose type is
///      a std::function, a function pointer or a template type parameter;
///  (c) well-known asynchronous APIs (untangle's runtime, Asio/Beast, std::async,
///      pplx/cpprestsdk, Qt).
/// Calls into namespace std other than std::async, and calls matching SyncFunctions,
/// are synchronous: algorithms, ranges, std::visit and the like run the callable in place.
class AsyncCallModel {
public:
  explicit AsyncCallModel(const AsyncCallModelOptions &Options);

  /// The callbacks of \p Call that run asynchronously; empty for a synchronous call.
  llvm::SmallVector<Callable, 2> asyncCallbacks(const CallExpr &Call) const;

  /// Recognizes a callable argument: a lambda, a function (pointer), a bound member
  /// function or a std::bind-like wrapper, looking through conversions to
  /// std::function and temporaries, and through a variable to what initialized it.
  static std::optional<Callable> classifyCallable(const Expr *Arg);

  /// The declaration called, also for calls in templates that are still dependent
  /// (the first candidate of an unresolved lookup).
  static const FunctionDecl *calleeOf(const CallExpr &Call);

  /// "ns::Class::member", without template arguments and inline namespaces, so that one
  /// pattern names every specialization: `pplx::task::then`.
  static std::string qualifiedName(const NamedDecl &D);

private:
  bool isCompletionHandlerParam(const FunctionDecl &Callee, unsigned ParamIndex) const;

  std::vector<llvm::Regex> WellKnownPatterns; ///< matched against qualifiedName()
  NameList AsyncNames;
  NameList SyncNames;
  std::vector<llvm::Regex> HandlerNamePatterns;
};

/// Splits a ';'-separated option value, dropping empty items and surrounding blanks.
std::vector<std::string> splitOptionList(llvm::StringRef Value);

/// A pattern of an option list that is not a valid regular expression, and llvm::Regex's
/// reason.
struct InvalidPattern {
  std::string Pattern;
  std::string Reason;
};

/// The invalid patterns of a ';'-separated option value. Each check reports them with
/// InvalidPatternMessage as a configuration diagnostic (the tool then stops with exit 2).
std::vector<InvalidPattern> invalidPatterns(llvm::StringRef Value);
inline constexpr const char *InvalidPatternMessage =
    "invalid regular expression '%0' in option '%1.%2': %3";

/// An anchored regex for a glob where `*` matches anything (`on_*`, `watch*`).
std::string globToRegex(llvm::StringRef Glob);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_ASYNCCALLMODEL_H
