//===--- Publication.cpp - objects a run owns until it publishes them -----===//

#include "race/Publication.h"
#include "race/ConcurrencyModel.h"
#include "race/KnownTypes.h"
#include "race/LibraryEffects.h"
#include "race/MemoryLocation.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"

namespace clang::tidy::untangle {

namespace {

// `malloc`, `calloc`, `new`: a new object. Not `realloc`, which may return the block
// it was given, already known to others.
bool freshAllocation(const Expr *E) {
  if (!allocates(E))
    return false;
  const auto *Call = dyn_cast<CallExpr>(E->IgnoreParenCasts());
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  return !Callee || Callee->getName() != "realloc";
}

const DeclRefExpr *namesVariable(const Expr *E, const VarDecl &V) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  return Ref && Ref->getDecl() == &V ? Ref : nullptr;
}

} // namespace

bool UnpublishedObjects::handsToThread(const DeclRefExpr &Ref) const {
  return Model.isPassedToSpawn(Ref);
}

const Stmt *UnpublishedObjects::parentStmt(const Stmt &S) const {
  DynTypedNodeList Parents = Ctx.getParents(S);
  if (Parents.empty())
    return nullptr;
  if (const auto *P = Parents[0].get<Stmt>())
    return P;
  // An initializer's parent is its variable; the statement is the declaration's.
  if (const auto *V = Parents[0].get<VarDecl>()) {
    DynTypedNodeList Up = Ctx.getParents(*V);
    return Up.empty() ? nullptr : Up[0].get<DeclStmt>();
  }
  return nullptr;
}

bool UnpublishedObjects::publishes(const Expr &Use, unsigned Depth) const {
  // What the expression is, walking up from the variable: the pointer variable
  // itself, the address of (a part of) the object, or a part of it as an lvalue.
  enum { Variable, Address, Part } State = Variable;
  const Expr *E = &Use;
  for (unsigned Steps = 0; Steps < 32; ++Steps) {
    const Stmt *P = parentStmt(*E);
    if (!P)
      return true;
    if (isa<UnaryExprOrTypeTraitExpr>(P)) // `sizeof *p` evaluates nothing
      return false;
    if (isa<ParenExpr>(P)) {
      E = cast<Expr>(P);
      continue;
    }
    if (const auto *Cast = dyn_cast<CastExpr>(P)) {
      switch (Cast->getCastKind()) {
      case CK_LValueToRValue:
        if (State == Part)
          return false; // a value read out of the object, not its address
        State = Address;
        break;
      case CK_PointerToBoolean:
        return false;
      case CK_ArrayToPointerDecay:
        State = Address;
        break;
      case CK_NoOp:
      case CK_BitCast:
        break;
      default:
        return true; // to an integer: no longer followed
      }
      E = Cast;
      continue;
    }
    if (State == Variable)
      return true; // `&p`, `p++`: the variable itself, not the object
    if (const auto *Member = dyn_cast<MemberExpr>(P)) {
      if (!isa<FieldDecl>(Member->getMemberDecl()))
        return true; // a member function may keep `this`
      State = Part;
      E = Member;
      continue;
    }
    if (const auto *Unary = dyn_cast<UnaryOperator>(P)) {
      switch (Unary->getOpcode()) {
      case UO_Deref:
        State = Part;
        break;
      case UO_AddrOf:
        State = Address;
        break;
      case UO_LNot:
        return false;
      default:
        return State == Address; // `++p->n` writes a part; `p++` moves a copy on
      }
      E = Unary;
      continue;
    }
    if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(P)) {
      if (Subscript->getBase()->IgnoreParenImpCasts() != E->IgnoreParenImpCasts())
        return false; // used as an index
      State = Part;
      E = Subscript;
      continue;
    }
    if (const auto *Binary = dyn_cast<BinaryOperator>(P)) {
      if (Binary->isComparisonOp() || Binary->isLogicalOp())
        return false;
      if (Binary->isAdditiveOp() && State == Address) {
        E = Binary;
        continue;
      }
      // Writing a part of the object keeps it here; storing its address publishes it.
      if (Binary->isAssignmentOp() || Binary->isCompoundAssignmentOp())
        return State == Address || Binary->getLHS()->IgnoreParens() != E;
      return State == Address;
    }
    if (const auto *Conditional = dyn_cast<ConditionalOperator>(P)) {
      if (Conditional->getCond()->IgnoreParens() == E)
        return false;
      E = Conditional;
      continue;
    }
    if (const auto *Call = dyn_cast<CallExpr>(P))
      return State == Part || argumentPublishes(*Call, *E, Depth);
    if (isa<IfStmt, WhileStmt, DoStmt, ForStmt, SwitchStmt>(P))
      return false; // tested
    return true; // returned, stored in a variable, put in an initializer list...
  }
  return true;
}

bool UnpublishedObjects::argumentPublishes(const CallExpr &Call, const Expr &Arg,
                                           unsigned Depth) const {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || isa<CXXMemberCallExpr, CXXOperatorCallExpr>(Call) ||
      Call.getCallee()->IgnoreParenImpCasts() == &Arg)
    return true;
  // A new thread keeps what its spawn hands it; the model knows which arguments.
  if (Model.isPassedToSpawn(Arg))
    return true;
  const FunctionDecl *Definition = Callee->getDefinition();
  if (!Definition || !Definition->hasBody()) {
    // The C library and pthreads keep nothing they are given (`pthread_create` only
    // writes the handle when the model registered it; one it did not may keep all).
    if (!Callee->getIdentifier())
      return true;
    const StringRef Name = Callee->getName();
    if (Name == "pthread_create")
      return !Model.spawnAt(&Call);
    return !libraryCall(*Callee) && !Name.starts_with("pthread_");
  }
  if (Depth >= MaxDepth)
    return true;
  for (unsigned I = 0; I < Call.getNumArgs(); ++I)
    if (Call.getArg(I)->IgnoreParenImpCasts() == Arg.IgnoreParenImpCasts())
      return I >= Definition->getNumParams() ||
             parameterEscapes(*Definition->getParamDecl(I), Depth + 1);
  return true;
}

bool UnpublishedObjects::parameterEscapes(const ParmVarDecl &Param, unsigned Depth) const {
  if (auto It = Parameters.find(&Param); It != Parameters.end())
    return It->second;
  Parameters[&Param] = true; // a recursive call keeps it unless shown otherwise
  const auto *Function = dyn_cast<FunctionDecl>(Param.getDeclContext());
  if (!Function || !Function->hasBody() || Function->isDependentContext())
    return true;
  struct Finder : RecursiveASTVisitor<Finder> {
    const UnpublishedObjects &Self;
    const ParmVarDecl &Param;
    unsigned Depth;
    bool Escapes = false;
    Finder(const UnpublishedObjects &Self, const ParmVarDecl &Param, unsigned Depth)
        : Self(Self), Param(Param), Depth(Depth) {}
    bool VisitDeclRefExpr(DeclRefExpr *Ref) {
      if (Ref->getDecl() == &Param)
        Escapes = Self.publishes(*Ref, Depth);
      return !Escapes;
    }
  } Find(*this, Param, Depth);
  Find.TraverseStmt(Function->getBody());
  return Parameters[&Param] = Find.Escapes;
}

const UnpublishedObjects::VariableEvents &
UnpublishedObjects::eventsOf(const VarDecl &V) const {
  auto [It, New] = Variables.try_emplace(&V);
  if (!New)
    return It->second;
  const auto *Function = dyn_cast_or_null<FunctionDecl>(V.getParentFunctionOrMethod());
  if (!Function || !Function->hasBody()) {
    It->second.Tracked = false;
    return It->second;
  }
  struct Finder : RecursiveASTVisitor<Finder> {
    const UnpublishedObjects &Self;
    const VarDecl &V;
    VariableEvents Found;
    llvm::SmallPtrSet<const DeclRefExpr *, 4> Assigned;
    Finder(const UnpublishedObjects &Self, const VarDecl &V) : Self(Self), V(V) {}
    void assignment(const Stmt &At, const Expr *Value) {
      const bool Fresh = Value && freshAllocation(Value);
      Found.Events.push_back({At.getBeginLoc(), &At, Fresh ? Event::Allocation
                                                           : Event::OtherAssignment});
    }
    bool VisitDeclStmt(DeclStmt *S) {
      for (const Decl *D : S->decls())
        if (D == &V && V.getInit())
          assignment(*S, V.getInit());
      return true;
    }
    bool VisitBinaryOperator(BinaryOperator *B) {
      if (const DeclRefExpr *Ref = B->isAssignmentOp() || B->isCompoundAssignmentOp()
                                       ? namesVariable(B->getLHS(), V)
                                       : nullptr) {
        Assigned.insert(Ref);
        assignment(*B, B->getOpcode() == BO_Assign ? B->getRHS() : nullptr);
      }
      return true;
    }
    bool VisitUnaryOperator(UnaryOperator *U) {
      if (const DeclRefExpr *Ref = namesVariable(U->getSubExpr(), V)) {
        if (U->getOpcode() == UO_AddrOf)
          Found.Tracked = false; // written through a pointer we do not follow
        else if (U->isIncrementDecrementOp()) {
          Assigned.insert(Ref);
          assignment(*U, nullptr);
        }
      }
      return true;
    }
    bool VisitDeclRefExpr(DeclRefExpr *Ref) {
      if (Ref->getDecl() != &V || Assigned.contains(Ref))
        return true;
      Event::Kind Kind = Event::LocalUse;
      if (Self.handsToThread(*Ref))
        Kind = Event::HandedToThread;
      else if (Self.publishes(*Ref, 0))
        Kind = Event::Publication;
      Found.Events.push_back({Ref->getBeginLoc(), Ref, Kind});
      return true;
    }
  } Find(*this, V);
  // Operators are visited before their operands, so an assignment's left side is
  // known to be one when its reference is reached.
  Find.TraverseStmt(Function->getBody());
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::stable_sort(Find.Found.Events, [&](const Event &A, const Event &B) {
    return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
  });
  return It->second = std::move(Find.Found);
}

UnpublishedObjects::State UnpublishedObjects::at(const DeclRefExpr &Use) const {
  const auto *V = dyn_cast<VarDecl>(Use.getDecl());
  if (!V || isa<ParmVarDecl>(V) || !V->hasLocalStorage() || !V->getType()->isPointerType())
    return State::Unknown;
  const VariableEvents &Facts = eventsOf(*V);
  if (!Facts.Tracked)
    return State::Unknown;
  const bool UseHands = handsToThread(Use);
  if (!UseHands && publishes(Use, 0))
    return State::Published;
  const SourceManager &SM = Ctx.getSourceManager();
  const Event *Definition = nullptr;
  bool PublishedSince = false, HandedSince = UseHands;
  for (const Event &E : Facts.Events) {
    if (E.Node == &Use)
      continue;
    if (!SM.isBeforeInTranslationUnit(E.Loc, Use.getBeginLoc()))
      break;
    if (E.TheKind == Event::Allocation || E.TheKind == Event::OtherAssignment) {
      Definition = &E;
      PublishedSince = false;
      HandedSince = UseHands;
    } else if (E.TheKind == Event::Publication) {
      PublishedSince = true;
    } else if (E.TheKind == Event::HandedToThread) {
      HandedSince = true;
    }
  }
  if (PublishedSince)
    return State::Published;
  // A loop around the use that does not assign the variable first runs the use again
  // with the object it published the round before.
  bool Reassigned = false;
  for (const Stmt *S = &Use; S; S = parentStmt(*S)) {
    if (!isLoopStmt(S))
      continue;
    const SourceRange Loop = S->getSourceRange();
    if (Definition && Loop.fullyContains(Definition->Loc))
      break;
    for (const Event &E : Facts.Events)
      if (Loop.fullyContains(E.Loc)) {
        if (E.TheKind == Event::Publication)
          return State::Published;
        Reassigned |= E.TheKind == Event::Allocation || E.TheKind == Event::OtherAssignment;
        HandedSince |= E.TheKind == Event::HandedToThread;
      }
  }
  // Whether the thread may run yet is the flow analysis' business.
  if (HandedSince)
    return State::Handed;
  if (!Definition || Definition->TheKind != Event::Allocation || Reassigned)
    return State::Unknown;
  // The allocation must run before the use on every path: a statement of a block
  // that encloses the use (or the condition of an `if` there).
  const Stmt *Child = Definition->Node;
  const CompoundStmt *Block = nullptr;
  for (unsigned Steps = 0; Steps < 16 && Child; ++Steps) {
    const Stmt *P = parentStmt(*Child);
    if (!P)
      return State::Unknown;
    if ((Block = dyn_cast<CompoundStmt>(P)))
      break;
    if (const auto *If = dyn_cast<IfStmt>(P); If && If->getCond() != Child)
      return State::Unknown;
    if (!isa<Expr, DeclStmt, IfStmt>(P))
      return State::Unknown;
    Child = P;
  }
  if (!Block || !Block->getSourceRange().fullyContains(Use.getSourceRange()))
    return State::Unknown;
  // The use must be in that block's own code, not in a lambda written there.
  const Stmt *S = &Use;
  for (; S && S != Block; S = parentStmt(*S))
    if (isa<LambdaExpr, BlockExpr, CapturedStmt>(S))
      return State::Unknown;
  return S == Block ? State::Unpublished : State::Unknown;
}

const FilledRecord *UnpublishedObjects::filledRecord(const Expr &Handed,
                                                    const Environment &Env,
                                                    const LocationResolver &Resolver) const {
  const auto *Use = dyn_cast<DeclRefExpr>(Handed.IgnoreParenCasts());
  const auto *V = Use ? dyn_cast<VarDecl>(Use->getDecl()) : nullptr;
  if (!V || at(*Use) != State::Handed)
    return nullptr;
  // The allocation it holds since its last assignment, published nowhere since.
  const SourceManager &SM = Ctx.getSourceManager();
  const Event *Definition = nullptr;
  for (const Event &E : eventsOf(*V).Events) {
    if (E.Node == Use || !SM.isBeforeInTranslationUnit(E.Loc, Use->getBeginLoc()))
      break;
    if (E.TheKind == Event::Allocation || E.TheKind == Event::OtherAssignment)
      Definition = &E;
    else if (E.TheKind == Event::HandedToThread)
      return nullptr; // two threads share it
  }
  const auto *Function = dyn_cast_or_null<FunctionDecl>(V->getParentFunctionOrMethod());
  if (!Definition || Definition->TheKind != Event::Allocation || !Function)
    return nullptr;
  // Allocated once before a loop that starts a thread each round: they all share it.
  for (const Stmt *S = Use; S; S = parentStmt(*S))
    if (isLoopStmt(S) && !S->getSourceRange().fullyContains(Definition->Loc))
      return nullptr;
  // The stores into its fields in between (`w->args = arg`).
  struct Finder : RecursiveASTVisitor<Finder> {
    const VarDecl &V;
    SourceRange Between;
    const SourceManager &SM;
    llvm::SmallVector<const BinaryOperator *, 4> Stores;
    Finder(const VarDecl &V, SourceRange Between, const SourceManager &SM)
        : V(V), Between(Between), SM(SM) {}
    bool VisitBinaryOperator(BinaryOperator *B) {
      const auto *Member = dyn_cast<MemberExpr>(B->getLHS()->IgnoreParens());
      if (B->getOpcode() == BO_Assign && Member && Member->isArrow() &&
          namesVariable(Member->getBase(), V) &&
          SM.isBeforeInTranslationUnit(Between.getBegin(), B->getBeginLoc()) &&
          SM.isBeforeInTranslationUnit(B->getBeginLoc(), Between.getEnd()))
        Stores.push_back(B);
      return true;
    }
  } Find(*V, {Definition->Loc, Use->getBeginLoc()}, SM);
  Find.TraverseStmt(Function->getBody());
  FilledRecord Record;
  for (const BinaryOperator *Store : Find.Stores) {
    const auto *Field = dyn_cast<FieldDecl>(cast<MemberExpr>(Store->getLHS()->IgnoreParens())->getMemberDecl());
    const Expr *Value = Store->getRHS()->IgnoreParenCasts();
    if (!Field)
      continue;
    if (Field->getType()->isFunctionPointerType()) {
      const auto *Ref = dyn_cast<DeclRefExpr>(Value);
      const FunctionDecl *Stored = Ref ? dyn_cast<FunctionDecl>(Ref->getDecl()) : nullptr;
      if (const auto *Param = Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr)
        if (auto It = Env.Functions.find(Param); It != Env.Functions.end())
          Stored = It->second;
      if (Stored)
        Record.Functions[Field] = Stored;
    } else if (Field->getType()->isPointerType()) {
      // A local of the spawner is not the thread's own: the thread shares it.
      if (Resolution Pointee = Resolver.pointee(Value, Env); Pointee.isShared()) {
        Pointee.FrameLocal = false;
        Record.Pointees[Field] = Pointee;
      }
    }
  }
  if (Record.Pointees.empty() && Record.Functions.empty())
    return nullptr;
  return &Records.emplace_back(std::move(Record));
}

} // namespace clang::tidy::untangle
