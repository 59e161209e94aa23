//===--- Configuration.h - options from flags and .untangle ----*- C++ -*-===//

#ifndef UNTANGLE_TOOL_CONFIGURATION_H
#define UNTANGLE_TOOL_CONFIGURATION_H

#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace untangle {

/// What the command line says about configuration; unset fields defer to the
/// `.untangle` files (or to --config).
struct ConfigurationFlags {
  std::optional<std::string> Checks;
  std::optional<std::string> WarningsAsErrors;
  std::optional<std::string> HeaderFilter;
  std::optional<std::string> ExcludeHeaderFilter;
  std::optional<bool> SystemHeaders;
  std::optional<std::string> InlineConfig; ///< --config=<yaml>
  std::vector<std::string> ExtraArgs;
  std::vector<std::string> ExtraArgsBefore;
};

/// The command-line flags that `untangle` and `untangle lsp` share (-p, --checks,
/// --config, --warnings-as-errors, the header filters, --extra-arg[-before]) are declared
/// once, for both subcommands, in Configuration.cpp.
///
/// The `lsp` subcommand, and the category of the shared flags (for --help). Functions, so
/// that options declared in other files can name them whatever the order in which the
/// files' statics are constructed.
llvm::cl::SubCommand &languageServerCommand();
llvm::cl::OptionCategory &configurationCategory();

/// The shared configuration flags as given to whichever command was parsed.
ConfigurationFlags configurationFlags();
/// -p <build dir>, as given (empty when not).
llvm::StringRef buildPathFlag();

/// Checks enabled when nothing else says otherwise.
inline constexpr const char *DefaultChecks = "untangle-*";
/// The per-directory configuration file, found upwards from each analyzed file like
/// `.clang-tidy` and written in the same YAML format.
inline constexpr const char *ConfigFileName = ".untangle";

/// Builds clang-tidy's options provider: FileOptionsProvider looking for `.untangle`
/// files, or ConfigOptionsProvider for --config. Parse errors of `.untangle` files are
/// collected in \p ConfigFileErrors (clang-tidy would only log and skip them).
llvm::Expected<std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>>
createOptionsProvider(const ConfigurationFlags &Flags,
                      std::shared_ptr<std::vector<std::string>> ConfigFileErrors);

/// Everything wrong with the configuration that applies to \p File: unknown checks
/// or check options, option values the checks reject. Empty when all is well.
std::vector<std::string>
verifyConfiguration(clang::tidy::ClangTidyOptionsProvider &Provider,
                    llvm::StringRef File);

} // namespace untangle

#endif // UNTANGLE_TOOL_CONFIGURATION_H
