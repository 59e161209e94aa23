//===--- DataRaceCheck.cpp - untangle-data-race --------------------------===//
//
// The check's own steps: its options, the matchers that find spawn sites and loop
// callbacks, and, at the end of the translation unit, the pass that pairs every two
// accesses of a location (race/AccessPairs.cpp says which pairs race) and reports each
// racy location once, with its notes and fix.
//
//===----------------------------------------------------------------------===//

#include "race/DataRaceCheck.h"
#include "race/KnownTypes.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/YAMLParser.h"
#include <tuple>

using namespace clang::ast_matchers;

namespace clang::tidy::untangle {

namespace {

/// Records where the main file's includes are, for the `#include <atomic>` fix.
class IncludeRecorder : public PPCallbacks {
public:
  IncludeRecorder(const SourceManager &SM, SourceLocation &FirstInclude,
                  bool &IncludesAtomic)
      : SM(SM), FirstInclude(FirstInclude), IncludesAtomic(IncludesAtomic) {}
  void InclusionDirective(SourceLocation HashLoc, const Token &, StringRef FileName,
                          bool IsAngled, CharSourceRange, OptionalFileEntryRef,
                          StringRef, StringRef, const Module *, bool,
                          SrcMgr::CharacteristicKind) override {
    if (!SM.isInMainFile(HashLoc))
      return;
    if (FirstInclude.isInvalid())
      FirstInclude = HashLoc;
    IncludesAtomic |= IsAngled && FileName == "atomic";
  }

private:
  const SourceManager &SM;
  SourceLocation &FirstInclude;
  bool &IncludesAtomic;
};

// How many locks (and atomics' edges) an access holds, for which side is less protected.
size_t heldLocks(const Access &A) {
  return llvm::count_if(A.Locks, [](const HeldLock &L) { return !L.creationEdge(); });
}

std::string describeLocks(llvm::ArrayRef<HeldLock> AllLocks) {
  auto Locks = llvm::make_filter_range(
      AllLocks, [](const HeldLock &L) { return !L.AtomicEdge && !L.creationEdge(); });
  if (Locks.empty())
    return "no lock held";
  std::string Text = "holding ";
  for (const auto &[Index, L] : llvm::enumerate(Locks)) {
    if (Index)
      Text += ", ";
    Text += "'" + L.Mutex.name() + "'";
    if (L.Shared)
      Text += " (shared)";
  }
  return Text;
}

// A yes/no option's value, read as clang-tidy reads its own boolean options (YAML's
// true/false, yes/no, on/off, or an integer, nonzero for true); none if it is neither.
std::optional<bool> parseSwitch(llvm::StringRef Value) {
  if (std::optional<bool> Parsed = llvm::yaml::parseBool(Value))
    return Parsed;
  long long Number;
  if (!Value.getAsInteger(10, Number))
    return Number != 0;
  return std::nullopt;
}

} // namespace

DataRaceCheck::DataRaceCheck(llvm::StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      ParallelSpawnFunctions(Options.get("ParallelSpawnFunctions", "")),
      JoinFunctions(Options.get("JoinFunctions", "")),
      AcquireFunctions(Options.get("AcquireFunctions", "")),
      ReleaseFunctions(Options.get("ReleaseFunctions", "")),
      MaxCallDepth(Options.get("MaxCallDepth", 4U)),
      MaxFreedFields(Options.get("MaxFreedFields", 32U)),
      MaxPathFacts(Options.get("MaxPathFacts", 8U)),
      MaxConflictNotes(Options.get("MaxConflictNotes", 8U)),
      MaxFunctionTargets(Options.get("MaxFunctionTargets", 8U)),
      // A string option: the `get<bool>` of libclangTidy, built by clang, does not
      // link with g++'s mangling of its enable_if return type.
      GuessWrappers(parseSwitch(Options.get("GuessWrappers", "true")).value_or(true)),
      AsyncModel(AsyncCallModelOptions{}),
      Model(ConcurrencyOptions{splitOptionList(ParallelSpawnFunctions),
                               splitOptionList(JoinFunctions),
                               splitOptionList(AcquireFunctions),
                               splitOptionList(ReleaseFunctions), MaxPathFacts,
                               GuessWrappers}),
      Pointers(MaxFunctionTargets), Scope(*Context) {
  validatePatterns("ParallelSpawnFunctions", ParallelSpawnFunctions);
  validatePatterns("JoinFunctions", JoinFunctions);
  validatePatterns("AcquireFunctions", AcquireFunctions);
  validatePatterns("ReleaseFunctions", ReleaseFunctions);
  if (llvm::StringRef Value = Options.get("GuessWrappers", "true"); !parseSwitch(Value))
    configurationDiag("invalid value '%0' for option '%1.GuessWrappers': expected a boolean "
                      "('true' or 'false')")
        << Value << getID();
}

void DataRaceCheck::validatePatterns(llvm::StringRef OptionName, llvm::StringRef Value) {
  for (const InvalidPattern &Bad : invalidPatterns(Value))
    configurationDiag(InvalidPatternMessage) << Bad.Pattern << getID() << OptionName << Bad.Reason;
}

void DataRaceCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ParallelSpawnFunctions", ParallelSpawnFunctions);
  Options.store(Opts, "JoinFunctions", JoinFunctions);
  Options.store(Opts, "AcquireFunctions", AcquireFunctions);
  Options.store(Opts, "ReleaseFunctions", ReleaseFunctions);
  Options.store(Opts, "MaxCallDepth", MaxCallDepth);
  Options.store(Opts, "MaxFreedFields", MaxFreedFields);
  Options.store(Opts, "MaxPathFacts", MaxPathFacts);
  Options.store(Opts, "MaxConflictNotes", MaxConflictNotes);
  Options.store(Opts, "MaxFunctionTargets", MaxFunctionTargets);
  Options.store(Opts, "GuessWrappers", GuessWrappers ? "true" : "false");
}

void DataRaceCheck::registerMatchers(MatchFinder *Finder) {
  // Only the calls that may start parallel work are matched while the AST is walked;
  // everything else waits until a translation unit is known to have some, so files
  // without threads pay for these matchers alone.
  auto InUserCode = unless(isExpansionInSystemHeader());
  Finder->addMatcher(
      cxxConstructExpr(InUserCode, hasDeclaration(cxxConstructorDecl(ofClass(
                                       hasAnyName("::std::thread", "::std::jthread")))))
          .bind("spawn"),
      this);
  Finder->addMatcher(
      callExpr(InUserCode, callee(functionDecl(hasAnyName(
                               "::pthread_create", "::std::async", "::asio::post",
                               "::boost::asio::post"))))
          .bind("spawn"),
      this);
  Finder->addMatcher(cxxMemberCallExpr(InUserCode,
                                       callee(cxxMethodDecl(hasAnyName(
                                           "post", "submit", "schedule",
                                           "emplace_back", "emplace"))))
                         .bind("spawn"),
                     this);
  if (!ParallelSpawnFunctions.empty())
    Finder->addMatcher(callExpr(InUserCode, callee(functionDecl())).bind("spawn"), this);
  else if (GuessWrappers) // a wrapper defined elsewhere takes the routine (UnseenWrappers)
    Finder->addMatcher(callExpr(InUserCode, callee(functionDecl(hasAnyParameter(hasType(
                                                hasCanonicalType(pointerType(
                                                    pointee(functionType()))))))))
                           .bind("spawn"),
                       this);
}

void DataRaceCheck::registerPPCallbacks(const SourceManager &SM, Preprocessor *PP,
                                        Preprocessor *) {
  PP->addPPCallbacks(std::make_unique<IncludeRecorder>(SM, FirstInclude, IncludesAtomic));
}

void DataRaceCheck::check(const MatchFinder::MatchResult &Result) {
  Ctx = Result.Context;
  const auto *Site = Result.Nodes.getNodeAs<Expr>("spawn");
  // Parallel work started in a header whose findings are not shown (a library's own
  // thread pool) is that library's business; see ReportScope.
  if (!Scope.contains(Site->getBeginLoc(), *Result.SourceManager))
    return;
  // Classified at the end of the translation unit, in this order: classifying asks for
  // parents, and the parent map is limited to the user's code only between traversals
  // (race/UserCodeParents.h).
  PendingSites.push_back(Site);
}

void DataRaceCheck::addSpawnSite(const Expr *Site) {
  if (Model.spawnAt(Site))
    return;
  std::optional<SpawnSite> Spawn = Model.classifySpawn(*Site, *Ctx);
  if (!Spawn) {
    // A post to an event loop: two loops' callbacks may race without any thread here.
    if (const auto *Call = dyn_cast<CallExpr>(Site))
      if (const FunctionDecl *Callee = Call->getDirectCallee();
          Callee && Callee->getIdentifier() && Callee->getName() == "post")
        SawLoopPost = true;
    return;
  }
  // The spawner is the function the site is written in (a lambda's call operator too).
  const DeclContext *DC = nullptr;
  for (DynTypedNode Node = DynTypedNode::create(*Site);;) {
    DynTypedNodeList Parents = Ctx->getParents(Node);
    if (Parents.empty())
      break;
    Node = Parents[0];
    if (const auto *F = Node.get<FunctionDecl>()) {
      DC = F;
      break;
    }
    if (const auto *L = Node.get<LambdaExpr>()) {
      DC = L->getCallOperator();
      break;
    }
  }
  Spawn->Spawner = dyn_cast_or_null<FunctionDecl>(DC);
  if (!Spawn->Spawner || Spawn->Spawner->isDependentContext())
    return;
  Model.addSpawn(std::move(*Spawn));
}

void DataRaceCheck::collectLoopCallbacks() {
  // Callbacks that single-threaded executors run; they run in parallel with threads
  // and with other executors' callbacks, never with each other.
  struct Finder : UserCodeVisitor<Finder> {
    DataRaceCheck &Check;
    llvm::SmallVector<const FunctionDecl *, 4> Functions;
    Finder(DataRaceCheck &Check, const SourceManager &SM)
        : UserCodeVisitor(SM), Check(Check) {}
    bool TraverseLambdaExpr(LambdaExpr *L) {
      Functions.push_back(L->getCallOperator());
      bool Continue = RecursiveASTVisitor::TraverseLambdaExpr(L);
      Functions.pop_back();
      return Continue;
    }
    bool TraverseFunctionDecl(FunctionDecl *F) {
      Functions.push_back(F);
      bool Continue = RecursiveASTVisitor::TraverseFunctionDecl(F);
      Functions.pop_back();
      return Continue;
    }
    bool TraverseCXXMethodDecl(CXXMethodDecl *F) {
      Functions.push_back(F);
      bool Continue = RecursiveASTVisitor::TraverseCXXMethodDecl(F);
      Functions.pop_back();
      return Continue;
    }
    bool VisitCallExpr(CallExpr *Call) {
      if (Check.Model.spawnAt(Call) || Functions.empty() ||
          Functions.back()->isDependentContext())
        return true;
      for (const Callable &Callback : Check.AsyncModel.asyncCallbacks(*Call))
        if (std::optional<LoopCallback> C = Check.Model.classifyLoopPost(*Call, &Callback)) {
          C->Poster = Functions.back();
          Check.Model.addLoopCallback(std::move(*C));
        }
      return true;
    }
  } F(*this, Ctx->getSourceManager());
  F.TraverseDecl(Ctx->getTranslationUnitDecl());
}

std::vector<Access> DataRaceCheck::collectAccesses() {
  std::vector<Access> Accesses;
  llvm::SmallPtrSet<const FunctionDecl *, 8> Spawners;
  for (const auto &[Id, S] : llvm::enumerate(Model.spawns())) {
    Spawners.insert(S.Spawner);
    if (!S.Body || !S.Body->getBody() || S.Body->isDependentContext())
      continue;
    const size_t First = Accesses.size();
    collectContextAccesses(*this, *S.Body, S.BodyEnv, Access::OwnerKind::Spawn, Id,
                           Accesses);
    // A thread run entirely inside its spawner's critical section (CreationLocks.cpp).
    const llvm::SmallVector<HeldLock, 1> Around =
        Model.locksOverRun(Id, *Ctx, MaxCallDepth);
    for (Access &A : llvm::drop_begin(Accesses, First))
      A.Locks.append(Around.begin(), Around.end());
  }
  for (const auto &[Id, C] : llvm::enumerate(Model.loopCallbacks())) {
    if (!C.Body->getBody() || C.Body->isDependentContext())
      continue;
    Environment Env;
    Env.Entry = C.Body;
    collectContextAccesses(*this, *C.Body, Env, Access::OwnerKind::LoopCallback, Id,
                           Accesses);
  }
  // The spawning code, between spawn and join: only its accesses made while a spawn
  // is active (or after a hop to a pool) can race.
  std::vector<Access> SpawnerAccesses;
  for (const FunctionDecl *F : Spawners) {
    Environment Env;
    Env.Entry = F;
    collectContextAccesses(*this, *F, Env, Access::OwnerKind::Spawner, 0,
                           SpawnerAccesses);
  }
  for (Access &A : SpawnerAccesses)
    if (!A.Active.empty() || !A.Nested.empty() || A.Owner != Access::OwnerKind::Spawner)
      Accesses.push_back(std::move(A));
  return Accesses;
}

void DataRaceCheck::onEndOfTranslationUnit() {
  auto Reset = [&] {
    Model.clear();
    PendingSites.clear();
    Pointers.clear();
    Model.Resolver.Pointers = nullptr;
    Model.Resolver.Unpublished = nullptr;
    Unpublished.reset();
    Scope.endOfTranslationUnit();
    SawLoopPost = false;
    IncludeInserted = false;
    LimitedParents.reset();
  };
  if (!Ctx || PendingSites.empty()) {
    Reset();
    return;
  }
  // Nothing below looks into a system header's code (race/UserCodeParents.h).
  LimitedParents.emplace(*Ctx, Scope.showsSystemHeaders());
  for (const Expr *Site : PendingSites)
    addSpawnSite(Site);
  if (Model.spawns().empty() && !SawLoopPost) {
    Reset();
    return;
  }
  collectLoopCallbacks();
  // Without a spawn, only callbacks of two different loops can race.
  llvm::SmallPtrSet<const Decl *, 4> Executors;
  for (const LoopCallback &C : Model.loopCallbacks())
    if (C.Executor)
      Executors.insert(C.Executor);
  if (Model.spawns().empty() && Executors.size() < 2) {
    Reset();
    return;
  }
  // What pointer fields and function pointers hold, for the accesses through them.
  Pointers.build(*Ctx);
  Model.Resolver.Pointers = &Pointers;
  Unpublished.emplace(*Ctx, Model, MaxCallDepth);
  Model.Resolver.Unpublished = &*Unpublished;
  Model.Barriers.build(*Ctx, Model);
  computeSpawnFacts();
  liftEscapingSpawns();
  relateNestedSpawns();
  for (unsigned Id = 0; Id < Model.spawns().size(); ++Id)
    Model.spawns()[Id].RunsOnce = runsOnce(Id);
  std::vector<Access> Accesses = collectAccesses();
  const SourceManager &SM = Ctx->getSourceManager();
  // Report in source order, so that the output does not depend on walk order.
  llvm::sort(Accesses, [&](const Access &L, const Access &R) {
    if (L.E != R.E)
      return SM.isBeforeInTranslationUnit(L.E->getExprLoc(), R.E->getExprLoc());
    return std::tie(L.Owner, L.OwnerIndex, L.Write) <
           std::tie(R.Owner, R.OwnerIndex, R.Write);
  });
  // Each racy location is reported once, at its first racy pair in source order; the
  // other accesses of its later pairs are named in notes, so that every side of every
  // race is on some line of the report (both sides are where a fix may go).
  llvm::MapVector<std::tuple<const ValueDecl *, llvm::StringRef, int64_t, int>, RacyLocation>
      Races;
  // An access pairs with itself too: a body running twice at once races with itself.
  for (size_t I = 0; I < Accesses.size(); ++I)
    for (size_t J = I; J < Accesses.size(); ++J) {
      const Access &A = Accesses[I], &B = Accesses[J];
      if ((!A.Write && !B.Write) || !A.Location.mayAlias(B.Location) ||
          protectedByCommonLock(A, B) || !mayRunInParallel(A, B))
        continue;
      // Point at the write, and of two writes at the less protected one: that is
      // where a lock or an atomic is missing.
      const bool BFirst = (B.Write && !A.Write) ||
                          (A.Write == B.Write && heldLocks(B) < heldLocks(A));
      const Access &First = BFirst ? B : A, &Second = BFirst ? A : B;
      auto [It, New] = Races.try_emplace(
          {First.Location.declaration(), First.Location.HiddenState,
           First.Location.Element, int(First.Location.Pointee)},
          RacyLocation{&First, &Second, {}});
      if (New)
        continue;
      for (const Access *Side : {&First, &Second})
        It->second.Others.insert(Side);
    }
  for (const auto &[Key, Race] : Races)
    reportRace(Race);
  Reset();
}

void DataRaceCheck::reportRace(const RacyLocation &Race) {
  const Access &A = *Race.First, &B = *Race.Second;
  const SourceManager &SM = Ctx->getSourceManager();
  auto Loc = [&](const Expr *E) { return SM.getExpansionLoc(E->getExprLoc()); };
  {
    auto Diag = diag(Loc(A.E), "data race on '%0': %select{read|written}1 here (%2) "
                               "and %select{read|written}3 in parallel (%4)")
                << A.Location.name() << A.Write << describeLocks(A.Locks) << B.Write
                << describeLocks(B.Locks);
    addAtomicFix(Diag, A.Location);
  }
  for (const CallExpr *Call : A.Via)
    diag(Loc(Call), "reached through this call", DiagnosticIDs::Note);
  diag(Loc(B.E), "conflicting %select{read|write}0 here, %1", DiagnosticIDs::Note)
      << B.Write << describeLocks(B.Locks);
  for (const CallExpr *Call : B.Via)
    diag(Loc(Call), "reached through this call", DiagnosticIDs::Note);
  // The other accesses of the location's racy pairs, one note per line not yet named.
  auto LineOf = [&](const Access *X) {
    return std::pair(SM.getFileID(Loc(X->E)), SM.getExpansionLineNumber(Loc(X->E)));
  };
  llvm::SmallVector<const Access *, 8> Named = {&A, &B};
  llvm::DenseSet<std::pair<FileID, unsigned>> NamedLines = {LineOf(&A), LineOf(&B)};
  unsigned Extra = 0;
  for (const Access *X : Race.Others) {
    if (Extra == MaxConflictNotes)
      break;
    if (!NamedLines.insert(LineOf(X)).second)
      continue;
    ++Extra;
    Named.push_back(X);
    diag(Loc(X->E), "conflicting %select{read|write}0 here too, %1", DiagnosticIDs::Note)
        << X->Write << describeLocks(X->Locks);
    for (const CallExpr *Call : X->Via)
      diag(Loc(Call), "reached through this call", DiagnosticIDs::Note);
  }
  // Why they run in parallel: the spawns (or executors) behind each side, once each.
  llvm::SmallVector<unsigned, 4> SpawnIds;
  for (const Access *X : Named) {
    if (X->Owner == Access::OwnerKind::LoopCallback) {
      describeLoopCallback(X->OwnerIndex);
      continue;
    }
    llvm::SmallVector<unsigned, 4> Ids;
    if (X->Owner == Access::OwnerKind::Spawn)
      Ids.push_back(X->OwnerIndex);
    else
      llvm::append_range(Ids, llvm::concat<const unsigned>(X->Active, X->Nested));
    for (unsigned Id : Ids)
      if (!llvm::is_contained(SpawnIds, Id))
        SpawnIds.push_back(Id);
  }
  for (unsigned Id : SpawnIds)
    describeSpawn(Id);
}

void DataRaceCheck::describeLoopCallback(unsigned Index) {
  const SourceManager &SM = Ctx->getSourceManager();
  const LoopCallback &C = Model.loopCallbacks()[Index];
  diag(SM.getExpansionLoc(C.Site->getExprLoc()),
       "callback posted here runs on %select{the default event loop|'%1'}0",
       DiagnosticIDs::Note)
      << (C.Executor != nullptr)
      << (C.Executor ? cast<NamedDecl>(C.Executor)->getNameAsString() : "");
}

void DataRaceCheck::describeSpawn(unsigned Id) {
  const SourceManager &SM = Ctx->getSourceManager();
  {
    const SpawnSite &S = Model.spawns()[Id];
    diag(SM.getExpansionLoc(S.Site->getExprLoc()),
         "%select{thread started|thread started|asynchronous task started|job posted to "
         "a thread pool|coroutine moved to a thread pool|parallel work started}0 "
         "here%select{|, again while the earlier one may still run}1",
         DiagnosticIDs::Note)
        << static_cast<unsigned>(S.Kind) << S.SelfParallel;
  }
}

} // namespace clang::tidy::untangle
