//===--- LanguageServer.h - `untangle lsp`, a Language Server -*- C++ -*-===//
//
// `untangle lsp [options] [-- <compiler args>]` speaks the Language Server Protocol over
// stdin/stdout, with LLVM's LSP support library (llvm/Support/LSP). Every open document
// is analyzed, unsaved text included, when it is opened or changed; the findings are
// published as diagnostics and each fix-it is offered as a quick-fix code action. See
// docs/editors.md.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_TOOL_LANGUAGESERVER_H
#define UNTANGLE_TOOL_LANGUAGESERVER_H

#include "inputs/Configuration.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace untangle {

/// The `lsp` subcommand: parses its options (argv[1] is "lsp") and runs the server.
/// Exit codes: 0 after `shutdown` and `exit`, 1 when the input ends or `exit` comes
/// without `shutdown` (as LSP specifies), 2 on a usage error.
int languageServerMain(int argc, const char **argv);

/// Serves until `exit` or the end of stdin. \p BuildPath is -p (empty: the compilation
/// database is searched upwards from each document); \p CompilerArgs, when set, are the
/// flags after `--`, which replace the database as on the command line.
int runLanguageServer(const ConfigurationFlags &Flags, llvm::StringRef BuildPath,
                      std::optional<std::vector<std::string>> CompilerArgs);

} // namespace untangle

#endif // UNTANGLE_TOOL_LANGUAGESERVER_H
