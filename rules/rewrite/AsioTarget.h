//===--- AsioTarget.h - rewriting to Asio's own coroutines -----*- C++ -*-===//
//
// The `asio` RewriteTarget (issue 13): a chain whose every step is an Asio initiating
// function (an `async_*` of Boost.Asio, Boost.Beast or standalone Asio taking a
// completion token) becomes a `net::awaitable<void>` coroutine started with
// `net::co_spawn(<executor>, ..., net::detached)`, each step
// `co_await op(args..., net::redirect_error(net::use_awaitable, ec))`. This file decides
// whether a chain qualifies, which namespace and alias the file uses, and the text that
// makes the rewritten file compile with Boost 1.74 and Asio 1.22 under g++ and clang++.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_ASIOTARGET_H
#define UNTANGLE_RULES_ASIOTARGET_H

#include "nesting/CallbackChain.h"
#include "clang/Basic/Diagnostic.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::untangle {

/// How the rewritten code names Asio in one file.
struct AsioSpelling {
  bool Standalone = false; ///< namespace `asio` (libasio-dev), else `boost::asio`
  std::string Net;         ///< the prefix to write: `net::`, `boost::asio::` or `asio::`
  std::string ErrorType;   ///< for a result whose type is not written
};

/// True when \p Callee is an Asio initiating function whose argument \p TokenIndex is
/// the completion token: an `async_*` in boost::asio, boost::beast or asio whose
/// parameter there is a template parameter (so `use_awaitable` can be passed), followed
/// by defaulted parameters only.
bool isAsioOperation(const FunctionDecl &Callee, unsigned TokenIndex);

/// Why \p Chain cannot target Asio (every level must be an Asio operation whose callback
/// takes an error code and at most one more result), or nothing when it can.
std::optional<Refusal> whyNotAsioChain(const CallbackChain &Chain);

/// The namespace \p Operation lives in, and how the file spells it before \p At: a
/// namespace alias of it (`namespace net = boost::asio;`) when there is one.
AsioSpelling asioSpellingFor(const FunctionDecl &Operation, SourceLocation At,
                             ASTContext &Context);

/// The expression whose executor runs the coroutine: the I/O object the outermost call
/// is made on (`stream_.async_read(...)`) or passed to first (`net::async_write(sock,
/// ...)`), as written; nothing when that expression is not a plain name or member
/// access (evaluating it twice could differ).
std::optional<std::string> asioExecutorOf(const CallExpr &Call, const SourceManager &SM,
                                          const LangOptions &LangOpts);

/// An executor or execution context as written, when evaluating it once more has no
/// effect: a plain name or member (`strand_`, `ioc_`), or `<plain>.get_executor()`.
std::optional<std::string> asioExecutorText(const Expr &Executor, const SourceManager &SM,
                                            const LangOptions &LangOpts);

/// A local used by the first operation outlives the deferred start of a co_spawned
/// coroutine when it is static, a local of a function that runs the event loop itself
/// (main, or one calling an io_context's `run()`: it lives until every operation is
/// done), or a reference to something mutable or not copyable (a socket, a buffer: Asio
/// requires it to outlive the operation). Otherwise, a reference to const included (an
/// input the operation copied when it started, maybe a temporary of the caller), it is
/// passed by copy.
bool outlivesCoSpawn(const ValueDecl &V, const Decl *Enclosing);

/// How a coroutine started by co_spawn takes a copy of \p V, a local that the first
/// operation (\p Arguments) uses. co_spawn runs the coroutine only after a post, when
/// \p Starter (`run()`) has returned, while the original operation read its arguments
/// when it started. A copy of a pointer or view would read what may be gone by then: a
/// C string (pointer to const char) or string view whose every use there converts to a
/// string or string view becomes a `std::string` (the characters are copied while they
/// are still there); any other pointer, or a view (a trivially copyable class holding a
/// pointer or reference: span, buffer, iterator), is refused.
struct CoSpawnCopy {
  bool AsString = false; ///< the coroutine takes it as `std::string`
  bool FromView = false; ///< ... made explicitly: `std::string(host)`
  std::string Refusal;   ///< why it cannot be copied; empty when it can

  std::string type(std::string AsIs) const { return AsString ? "std::string" : AsIs; }
  std::string argument(std::string Name) const {
    return FromView ? "std::string(" + Name + ")" : Name;
  }
};
CoSpawnCopy coSpawnCopyOf(const ValueDecl &V, llvm::ArrayRef<const Expr *> Arguments,
                          llvm::StringRef Starter);

/// True when an object of type \p T can be copied (a copy constructor that is public
/// and not deleted).
bool isCopyable(QualType T);

/// The written type of a callback parameter without `const` and `&` (its result is a
/// fresh object), or \p Fallback when the parameter is `auto`.
std::string asioResultType(const ParmVarDecl &P, llvm::StringRef Fallback,
                           const SourceManager &SM, const LangOptions &LangOpts);

/// The types of the results of an operation whose handler is \p Handler (its error code
/// and at most one value): asioResultType of each parameter.
std::vector<std::string> asioResultTypes(const FunctionDecl &Handler, llvm::StringRef ErrorType,
                                         const SourceManager &SM, const LangOptions &LangOpts);

/// `net::redirect_error(net::use_awaitable, <ErrorName>)`: the completion token in place
/// of a handler.
std::string asioCompletionToken(const AsioSpelling &Spelling, llvm::StringRef ErrorName);

/// One step: `ErrorType ec;` (unless \p Reuse and the error is named: an earlier `ec` is
/// assigned), then `T n = co_await <Operation>;`, `n = co_await ...` or `co_await ...`.
std::string asioAwaitStatement(llvm::ArrayRef<ParmVarDecl *> Params,
                               const std::vector<std::string> &Names,
                               const std::vector<std::string> &Types, bool Reuse,
                               const std::string &Operation);

/// What a file needs once for the coroutines: `co_await` enabled under clang for Boost
/// 1.74 / Asio 1.22 (a guarded `#define ..._HAS_CO_AWAIT` before the first include, plus
/// `<utility>`, which Boost 1.74's awaitable.hpp uses without including) and the headers
/// of co_spawn, detached, redirect_error and use_awaitable unless already included.
/// \p ChainBegin is the offset of the chain in \p File.
std::vector<FixItHint> asioFilePrelude(const SourceManager &SM, FileID File,
                                       unsigned ChainBegin, const AsioSpelling &Spelling);

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_ASIOTARGET_H
