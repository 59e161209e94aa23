//===--- TextPositions.cpp - LSP positions in UTF-8 text -----------------===//

#include "lsp/TextPositions.h"
#include <algorithm>

namespace lsp = llvm::lsp;

namespace untangle {

namespace {

/// The UTF-16 length of UTF-8 text: code points above U+FFFF (4-byte sequences) take
/// two units, every other code point one; continuation bytes add nothing.
int utf16Length(llvm::StringRef UTF8) {
  int Units = 0;
  for (unsigned char C : UTF8)
    if ((C & 0xC0) != 0x80)
      Units += C >= 0xF0 ? 2 : 1;
  return Units;
}

} // namespace

lsp::Position positionAt(llvm::StringRef Text, size_t Offset) {
  llvm::StringRef Before = Text.take_front(Offset);
  size_t LineStart = Before.rfind('\n');
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  return lsp::Position(static_cast<int>(Before.count('\n')),
                       utf16Length(Before.drop_front(LineStart)));
}

size_t offsetAt(llvm::StringRef Text, lsp::Position Position) {
  size_t Offset = 0;
  for (int Line = 0; Line < Position.line; ++Line) {
    size_t NewLine = Text.find('\n', Offset);
    if (NewLine == llvm::StringRef::npos)
      return Text.size();
    Offset = NewLine + 1;
  }
  for (int Units = 0;
       Offset < Text.size() && Text[Offset] != '\n' && Units < Position.character;) {
    const unsigned char Lead = Text[Offset];
    const size_t Length = Lead < 0xC0 ? 1 : Lead < 0xE0 ? 2 : Lead < 0xF0 ? 3 : 4;
    Units += Length == 4 ? 2 : 1;
    Offset = std::min(Text.size(), Offset + Length);
  }
  return Offset;
}

lsp::Range rangeAt(llvm::StringRef Text, size_t Offset, size_t Length) {
  return lsp::Range(positionAt(Text, Offset), positionAt(Text, Offset + Length));
}

} // namespace untangle
