//===--- TextPositions.h - LSP positions in UTF-8 text ---------*- C++ -*-===//
//
// LSP counts lines from 0 and columns in UTF-16 code units; the documents are UTF-8.
// These convert between byte offsets and LSP positions, in one place for the server
// (ranged changes) and the analysis (the ranges of findings and edits).
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_TOOL_LSP_TEXTPOSITIONS_H
#define UNTANGLE_TOOL_LSP_TEXTPOSITIONS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/LSP/Protocol.h"

namespace untangle {

llvm::lsp::Position positionAt(llvm::StringRef Text, size_t Offset);

/// Positions past the end of a line or of the text are clamped, as LSP asks.
size_t offsetAt(llvm::StringRef Text, llvm::lsp::Position Position);

llvm::lsp::Range rangeAt(llvm::StringRef Text, size_t Offset, size_t Length);

} // namespace untangle

#endif // UNTANGLE_TOOL_LSP_TEXTPOSITIONS_H
