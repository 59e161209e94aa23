//===--- Inputs.h - from command-line paths to compile commands -*- C++ -*-===//

#ifndef UNTANGLE_TOOL_INPUTS_H
#define UNTANGLE_TOOL_INPUTS_H

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <string>
#include <vector>

namespace untangle {

struct Inputs {
  std::unique_ptr<clang::tooling::CompilationDatabase> Compilations;
  /// Absolute paths of the files to analyze, in a stable order.
  std::vector<std::string> Files;
  /// Set when no compilation database was found and files get default flags.
  bool UsingDefaultFlags = false;
};

/// Resolves `untangle [-p BuildDir] <path>... [-- args]` the way clang-tidy does:
/// the flags after `--` win; otherwise -p names the build directory; otherwise the
/// compilation database is searched upwards from the first input. A directory input
/// stands for every file of the database under it. Errors are input errors (exit 2):
/// missing paths, binary files, a malformed or unreadable database.
llvm::Expected<Inputs>
resolveInputs(llvm::ArrayRef<std::string> Paths, llvm::StringRef BuildPath,
              std::unique_ptr<clang::tooling::CompilationDatabase> CommandLineFlags);

} // namespace untangle

#endif // UNTANGLE_TOOL_INPUTS_H
