//===--- LanguageServer.h - `untangle lsp`, a Language Server -*- C++ -*-===//
//
// `untangle lsp [options] [-- <compiler args>]` speaks the Language Server Protocol over
// stdin/stdout, with LLVM's LSP support library (llvm/Support/LSP). Every open document
// is analyzed, unsaved text included, in the background (DocumentScheduler.h) and in a
// worker process (WorkerProcess.h); the findings are pushed and pulled as diagnostics
// and each fix-it is offered as a quick-fix code action. See docs/editors.md.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_TOOL_LANGUAGESERVER_H
#define UNTANGLE_TOOL_LANGUAGESERVER_H

namespace untangle {

/// The `lsp` subcommand: parses its options (argv[1] is "lsp") and runs the server, or
/// with the hidden --analysis-worker the worker it starts.
/// Exit codes: 0 after `shutdown` and `exit`, 1 when the input ends or `exit` comes
/// without `shutdown` (as LSP specifies), 2 on a usage error.
int languageServerMain(int argc, const char **argv);

} // namespace untangle

#endif // UNTANGLE_TOOL_LANGUAGESERVER_H
