//===--- ContinuationGraph.h - callbacks spread across functions *- C++ -*-===//
//
// Flat callback chains (Asio/Beast style: on_read starts the next operation with
// bind_front_handler(&session::on_write, ...), on_write with &session::on_read, ...)
// are callback hell spread over member functions. This graph records, per
// translation unit, which function continues in which, and finds the longest chain.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_CONTINUATIONGRAPH_H
#define UNTANGLE_RULES_CONTINUATIONGRAPH_H

#include "clang/AST/Decl.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <tuple>
#include <vector>

namespace clang::tidy::untangle {

class ContinuationGraph {
public:
  struct Edge {
    const FunctionDecl *From;
    const FunctionDecl *To;
    /// Asynchronous hops from the start of From to the start of To: 1 for a callback
    /// passed at the top level of From, 0 for a plain call (`on_handshake` calling
    /// `do_read()`, which starts the next operation).
    unsigned AsyncSteps;
    SourceLocation Loc;
  };

  struct Chain {
    std::vector<const Edge *> Edges;
    unsigned AsyncSteps = 0;
  };

  /// Records that \p From continues in \p To; the same edge seen again (from another
  /// template instantiation) is ignored.
  void addEdge(const FunctionDecl *From, const FunctionDecl *To, unsigned AsyncSteps,
               SourceLocation Loc);

  /// The longest chain starting at each entry function: one nothing continues into,
  /// or, for a cycle with no entry (a read/write loop), its first recorded function.
  std::vector<Chain> longestChains() const;

private:
  void longestFrom(const FunctionDecl *Node, Chain &Current, Chain &Best,
                   llvm::DenseSet<const FunctionDecl *> &OnPath,
                   unsigned &Budget) const;

  std::vector<Edge> Edges;
  std::vector<const FunctionDecl *> NodesInOrder;
  llvm::DenseMap<const FunctionDecl *, std::vector<unsigned>> OutEdges;
  llvm::DenseSet<const FunctionDecl *> HasIncoming;
  llvm::DenseSet<std::tuple<const void *, const void *, unsigned>> Seen;
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_CONTINUATIONGRAPH_H
