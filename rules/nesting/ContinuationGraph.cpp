//===--- ContinuationGraph.cpp - callbacks spread across functions -------===//

#include "nesting/ContinuationGraph.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::untangle {

// Longest simple path is exponential in the worst case; real chains are a handful of
// member functions, so a fixed budget of explored edges keeps odd code bounded.
static constexpr unsigned ExplorationBudget = 20000;

void ContinuationGraph::addEdge(const FunctionDecl *From, const FunctionDecl *To,
                                unsigned AsyncSteps, SourceLocation Loc) {
  if (!Seen.insert({From, To, Loc.getRawEncoding()}).second)
    return;
  for (const FunctionDecl *Node : {From, To})
    if (!OutEdges.count(Node)) {
      OutEdges[Node];
      NodesInOrder.push_back(Node);
    }
  OutEdges[From].push_back(Edges.size());
  if (From != To)
    HasIncoming.insert(To);
  Edges.push_back({From, To, AsyncSteps, Loc});
}

void ContinuationGraph::longestFrom(const FunctionDecl *Node, Chain &Current,
                                    Chain &Best,
                                    llvm::DenseSet<const FunctionDecl *> &OnPath,
                                    unsigned &Budget) const {
  if (Current.AsyncSteps > Best.AsyncSteps)
    Best = Current;
  auto It = OutEdges.find(Node);
  if (It == OutEdges.end())
    return;
  for (unsigned Index : It->second) {
    const Edge &E = Edges[Index];
    if (Budget == 0 || OnPath.contains(E.To))
      continue;
    --Budget;
    OnPath.insert(E.To);
    Current.Edges.push_back(&E);
    Current.AsyncSteps += E.AsyncSteps;
    longestFrom(E.To, Current, Best, OnPath, Budget);
    Current.AsyncSteps -= E.AsyncSteps;
    Current.Edges.pop_back();
    OnPath.erase(E.To);
  }
}

std::vector<ContinuationGraph::Chain> ContinuationGraph::longestChains() const {
  std::vector<const FunctionDecl *> Entries;
  for (const FunctionDecl *Node : NodesInOrder)
    if (!HasIncoming.contains(Node))
      Entries.push_back(Node);

  // Functions reachable from an entry are covered by that entry's chain; whatever is
  // left sits on cycles nobody enters from outside, and gets its first function.
  llvm::DenseSet<const FunctionDecl *> Reached;
  auto MarkReachable = [&](const FunctionDecl *Start) {
    std::vector<const FunctionDecl *> Work{Start};
    while (!Work.empty()) {
      const FunctionDecl *Node = Work.back();
      Work.pop_back();
      if (!Reached.insert(Node).second)
        continue;
      if (auto It = OutEdges.find(Node); It != OutEdges.end())
        for (unsigned Index : It->second)
          Work.push_back(Edges[Index].To);
    }
  };
  for (const FunctionDecl *Entry : Entries)
    MarkReachable(Entry);
  for (const FunctionDecl *Node : NodesInOrder)
    if (!Reached.contains(Node)) {
      Entries.push_back(Node);
      MarkReachable(Node);
    }

  std::vector<Chain> Chains;
  for (const FunctionDecl *Entry : Entries) {
    Chain Current, Best;
    llvm::DenseSet<const FunctionDecl *> OnPath{Entry};
    unsigned Budget = ExplorationBudget;
    longestFrom(Entry, Current, Best, OnPath, Budget);
    // `main` calling `session->start()` is not a step; the chain starts where the
    // first asynchronous hop does.
    auto FirstHop = llvm::find_if(Best.Edges, [](const Edge *E) { return E->AsyncSteps > 0; });
    Best.Edges.erase(Best.Edges.begin(), FirstHop);
    if (Best.AsyncSteps > 0)
      Chains.push_back(std::move(Best));
  }
  return Chains;
}

} // namespace clang::tidy::untangle
