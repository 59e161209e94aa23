//===--- AsyncCallModel.cpp - which calls are asynchronous ---------------===//

#include "nesting/AsyncCallModel.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::untangle {

namespace {

// Built-in list (c). Names are qualified without template arguments or inline
// namespaces (see qualifiedName), so `asio::basic_stream_socket::async_read_some`
// matches whatever the socket's template arguments are.
constexpr llvm::StringLiteral WellKnownAsyncApis[] = {
    // untangle's own runtime: every continuation it takes runs on a later loop turn.
    "^untangle::(.*::)?(post|dispatch|defer|queue_microtask|set_timeout|set_interval|"
    "then|async_[A-Za-z0-9_]+)$",
    // Asio and Beast: initiating functions and the executor hand-offs.
    "^(boost::)?asio::(.*::)?(async_[A-Za-z0-9_]+|post|dispatch|defer)$",
    "^(boost::)?beast::(.*::)?async_[A-Za-z0-9_]+$",
    "^std::async$",
    // cpprestsdk's PPL clone: continuations and tasks run on its thread pool.
    "^(pplx|Concurrency|concurrency)::(task::then|create_task)$",
    "^QTimer::singleShot$",
    "^QtConcurrent::run$",
};

// Wrappers that make a callable out of another one; the wrapped callable is what runs.
// The value says which argument holds the wrapped callable.
struct BindWrapper {
  llvm::StringLiteral Name;
  unsigned CallableArg;
};
constexpr BindWrapper BindWrappers[] = {
    {"std::bind", 0},
    {"std::bind_front", 0},
    {"std::bind_back", 0},
    {"boost::bind", 0},
    {"beast::bind_front_handler", 0},
    {"boost::beast::bind_front_handler", 0},
    {"beast::bind_handler", 0},
    {"boost::beast::bind_handler", 0},
    {"asio::bind_executor", 1},
    {"boost::asio::bind_executor", 1},
    {"asio::bind_allocator", 1},
    {"boost::asio::bind_allocator", 1},
    {"asio::bind_cancellation_slot", 1},
    {"boost::asio::bind_cancellation_slot", 1},
};

const BindWrapper *findBindWrapper(llvm::StringRef QualifiedName) {
  const auto *Wrapper = llvm::find_if(
      BindWrappers, [&](const BindWrapper &W) { return W.Name == QualifiedName; });
  return Wrapper == std::end(BindWrappers) ? nullptr : Wrapper;
}

constexpr llvm::StringLiteral FunctionWrappers[] = {
    "std::function", "std::move_only_function", "std::copyable_function",
    "boost::function"};

llvm::Regex compile(llvm::StringRef Pattern) {
  llvm::Regex R(Pattern);
  // An invalid user pattern must not match everything; the check reports it at
  // configuration time (see CallbackNestingCheck), so here it simply never matches.
  std::string Error;
  if (!R.isValid(Error))
    return llvm::Regex("^\\b$");
  return R;
}

bool matchesAny(const std::vector<llvm::Regex> &Patterns, llvm::StringRef Name) {
  return llvm::any_of(Patterns, [&](const llvm::Regex &R) { return R.match(Name); });
}

// Looks through what the language inserts between a callable and the parameter it
// binds to: the conversion to std::function, temporaries, casts written to force it.
const Expr *stripCallableWrappers(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *Cleanups = dyn_cast<ExprWithCleanups>(E))
      E = Cleanups->getSubExpr();
    else if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(E))
      E = Temp->getSubExpr();
    else if (const auto *Bind = dyn_cast<CXXBindTemporaryExpr>(E))
      E = Bind->getSubExpr();
    else if (const auto *Cast = dyn_cast<ExplicitCastExpr>(E))
      E = Cast->getSubExpr();
    else if (const auto *Plus = dyn_cast<UnaryOperator>(E);
             Plus && Plus->getOpcode() == UO_Plus) // `+[] {...}`: lambda to pointer
      E = Plus->getSubExpr();
    else if (const auto *Conversion = dyn_cast<CXXMemberCallExpr>(E);
             Conversion && isa_and_nonnull<CXXConversionDecl>(Conversion->getMethodDecl()))
      E = Conversion->getImplicitObjectArgument(); // captureless lambda to pointer
    else if (const auto *Construct = dyn_cast<CXXConstructExpr>(E);
             Construct && Construct->getNumArgs() == 1)
      E = Construct->getArg(0);
    else
      return E;
  }
  return E;
}

bool isFunctionWrapperType(QualType T) {
  T = T.getNonReferenceType();
  const NamedDecl *Wrapper = nullptr;
  if (const auto *RD = T->getAsCXXRecordDecl())
    Wrapper = RD;
  else if (const auto *TST = T->getAs<TemplateSpecializationType>())
    Wrapper = TST->getTemplateName().getAsTemplateDecl();
  if (!Wrapper)
    return false;
  std::string Name = AsyncCallModel::qualifiedName(*Wrapper);
  return llvm::is_contained(FunctionWrappers, Name);
}

bool isCallableParamType(QualType T) {
  QualType Bare = T.getNonReferenceType();
  return Bare->isFunctionPointerType() || Bare->isFunctionType() ||
         Bare->isMemberFunctionPointerType() || isFunctionWrapperType(Bare) ||
         Bare->getAs<TemplateTypeParmType>();
}

} // namespace

std::string globToRegex(llvm::StringRef Glob) {
  std::string Regex = "^";
  for (char C : Glob) {
    if (C == '*')
      Regex += ".*";
    else if (llvm::StringRef("()[]{}.+?^$|\\").contains(C))
      Regex += std::string("\\") + C;
    else
      Regex += C;
  }
  return Regex + "$";
}

std::vector<std::string> splitOptionList(llvm::StringRef Value) {
  llvm::SmallVector<llvm::StringRef, 8> Items;
  Value.split(Items, ';', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  std::vector<std::string> Result;
  for (llvm::StringRef Item : Items)
    if (!Item.trim().empty())
      Result.push_back(Item.trim().str());
  return Result;
}

std::vector<InvalidPattern> invalidPatterns(llvm::StringRef Value) {
  std::vector<InvalidPattern> Invalid;
  for (std::string &Pattern : splitOptionList(Value)) {
    std::string Reason;
    if (!llvm::Regex(Pattern).isValid(Reason))
      Invalid.push_back({std::move(Pattern), std::move(Reason)});
  }
  return Invalid;
}

NameList::NameList(const std::vector<std::string> &Regexes) {
  for (const std::string &Regex : Regexes)
    // clang-tidy's matcher looks for `::name` anywhere in `::ns::name`; anchoring it
    // (`^::`, a form the matcher also reads as fully qualified) makes it name the
    // global one only. An invalid regex never matches: llvm::Regex::match fails on it,
    // and the check reports it (invalidPatterns).
    Matchers.emplace_back(llvm::StringRef(Regex).starts_with("::") ? "^" + Regex : Regex);
}

bool NameList::matches(const NamedDecl &D) const {
  // `pplx::task<int>::then` is named `pplx::task::then`: the member of the template as
  // written, whose qualified name has no template arguments.
  const NamedDecl *Written = &D;
  if (const auto *F = dyn_cast<FunctionDecl>(&D))
    if (const FunctionDecl *Pattern = F->getTemplateInstantiationPattern())
      Written = Pattern;
  return llvm::any_of(Matchers, [&](const auto &M) { return M.match(*Written); });
}

AsyncCallModel::AsyncCallModel(const AsyncCallModelOptions &Options)
    : AsyncNames(Options.AsyncFunctions), SyncNames(Options.SyncFunctions) {
  for (llvm::StringRef Pattern : WellKnownAsyncApis)
    WellKnownPatterns.push_back(compile(Pattern));
  for (const std::string &Glob : Options.CompletionHandlerNames)
    HandlerNamePatterns.push_back(compile(globToRegex(Glob)));
}

std::string AsyncCallModel::qualifiedName(const NamedDecl &D) {
  llvm::SmallVector<std::string, 6> Parts;
  Parts.push_back(D.getNameAsString());
  for (const DeclContext *DC = D.getDeclContext(); DC; DC = DC->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      if (!NS->isInline() && !NS->isAnonymousNamespace())
        Parts.push_back(NS->getNameAsString());
    } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
      if (RD->getIdentifier())
        Parts.push_back(RD->getNameAsString());
    }
  }
  std::string Name;
  for (const std::string &Part : llvm::reverse(Parts)) {
    if (!Name.empty())
      Name += "::";
    Name += Part;
  }
  return Name;
}

const FunctionDecl *AsyncCallModel::calleeOf(const CallExpr &Call) {
  if (const FunctionDecl *Direct = Call.getDirectCallee())
    return Direct;
  // In a template the callee may still be an overload set; its first candidate names
  // the function well enough to classify the call before instantiation.
  const Expr *Callee = Call.getCallee()->IgnoreParenImpCasts();
  if (const auto *Overloads = dyn_cast<OverloadExpr>(Callee)) {
    for (const NamedDecl *Candidate : Overloads->decls()) {
      Candidate = Candidate->getUnderlyingDecl();
      if (const auto *Template = dyn_cast<FunctionTemplateDecl>(Candidate))
        return Template->getTemplatedDecl();
      if (const auto *Function = dyn_cast<FunctionDecl>(Candidate))
        return Function;
    }
  }
  return nullptr;
}

namespace {

// \p VariableHops bounds how many variables are followed to their initializers: a
// `std::function` may be initialized from itself or from a global initialized from it.
std::optional<Callable> classify(const Expr *Arg, unsigned VariableHops) {
  const Expr *E = stripCallableWrappers(Arg);
  if (!E)
    return std::nullopt;
  if (const auto *Lambda = dyn_cast<LambdaExpr>(E))
    return Callable{Callable::Kind::Lambda, Arg, Lambda, Lambda->getCallOperator()};

  if (const auto *AddrOf = dyn_cast<UnaryOperator>(E);
      AddrOf && AddrOf->getOpcode() == UO_AddrOf)
    E = AddrOf->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    // A callable kept in a variable first (`auto on_read = [&](...) {...};`) is the
    // same callback: what initialized the variable runs. A parameter's initializer is
    // a default argument, not what the caller passed, so parameters stay unknown.
    if (const auto *Variable = dyn_cast<VarDecl>(Ref->getDecl());
        Variable && !isa<ParmVarDecl>(Variable)) {
      const Expr *Init = Variable->getInit();
      if (!Init || VariableHops == 0)
        return std::nullopt;
      std::optional<Callable> Held = classify(Init, VariableHops - 1);
      if (!Held)
        return std::nullopt;
      Held->Arg = Arg;
      Held->Variable = Variable;
      if (Held->TheKind == Callable::Kind::Lambda)
        Held->TheKind = Callable::Kind::LambdaVariable;
      return Held;
    }
    const auto *Function = dyn_cast<FunctionDecl>(Ref->getDecl());
    if (!Function)
      return std::nullopt;
    const auto *Method = dyn_cast<CXXMethodDecl>(Function);
    return Callable{Method && !Method->isStatic()
                        ? Callable::Kind::BoundMemberFunction
                        : Callable::Kind::FunctionPointer,
                    Arg, nullptr, Function};
  }

  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call)
    return std::nullopt;
  const FunctionDecl *Callee = AsyncCallModel::calleeOf(*Call);
  if (!Callee)
    return std::nullopt;
  const BindWrapper *Wrapper = findBindWrapper(AsyncCallModel::qualifiedName(*Callee));
  if (!Wrapper || Call->getNumArgs() <= Wrapper->CallableArg)
    return std::nullopt;
  std::optional<Callable> Wrapped = classify(Call->getArg(Wrapper->CallableArg), VariableHops);
  if (!Wrapped)
    return std::nullopt;
  Wrapped->Arg = Arg;
  // A lambda stays a lambda: its body is still written inline at this spot.
  if (Wrapped->TheKind == Callable::Kind::FunctionPointer)
    Wrapped->TheKind = Callable::Kind::Bind;
  return Wrapped;
}

} // namespace

std::optional<Callable> AsyncCallModel::classifyCallable(const Expr *Arg) {
  return classify(Arg, /*VariableHops=*/4);
}

bool AsyncCallModel::isCompletionHandlerParam(const FunctionDecl &Callee,
                                              unsigned ParamIndex) const {
  if (ParamIndex >= Callee.getNumParams())
    return false;
  const ParmVarDecl *Param = Callee.getParamDecl(ParamIndex);
  if (!Param->getIdentifier() || !matchesAny(HandlerNamePatterns, Param->getName()))
    return false;
  if (isCallableParamType(Param->getType()))
    return true;
  // In an instantiation the parameter's type is the concrete closure type; the pattern
  // still says it was a template parameter (`F&&`, `auto handler`).
  if (const FunctionDecl *Pattern = Callee.getTemplateInstantiationPattern();
      Pattern && ParamIndex < Pattern->getNumParams())
    return isCallableParamType(Pattern->getParamDecl(ParamIndex)->getType());
  return false;
}

llvm::SmallVector<Callable, 2>
AsyncCallModel::asyncCallbacks(const CallExpr &Call) const {
  // `f(args)` on a callable object runs it in place: a std::function called, an
  // immediately invoked lambda. Operators never start asynchronous work.
  if (isa<CXXOperatorCallExpr>(Call))
    return {};
  const FunctionDecl *Callee = calleeOf(Call);
  if (!Callee || !Callee->getIdentifier())
    return {};
  std::string Name = qualifiedName(*Callee);
  // A bind wrapper makes a callable and runs nothing: Beast's
  // `bind_front_handler(Handler&& handler, ...)` has a parameter named like a completion
  // handler, and counting it would make every step of a flat chain two steps.
  if (SyncNames.matches(*Callee) || findBindWrapper(Name))
    return {};
  const bool EveryCallbackIsAsync =
      matchesAny(WellKnownPatterns, Name) || AsyncNames.matches(*Callee);
  // The standard library runs what it is given in place (algorithms, ranges,
  // std::visit, std::invoke...); std::async is the exception and is listed above.
  const bool InStandardLibrary = llvm::StringRef(Name).starts_with("std::");

  llvm::SmallVector<Callable, 2> Callbacks;
  for (unsigned I = 0, N = Call.getNumArgs(); I < N; ++I) {
    const Expr *Arg = Call.getArg(I);
    if (isa<CXXDefaultArgExpr>(Arg))
      continue;
    if (!EveryCallbackIsAsync &&
        (InStandardLibrary || !isCompletionHandlerParam(*Callee, I)))
      continue;
    if (std::optional<Callable> Callback = classifyCallable(Arg))
      Callbacks.push_back(*Callback);
  }
  return Callbacks;
}

} // namespace clang::tidy::untangle
