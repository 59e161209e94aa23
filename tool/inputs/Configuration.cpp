//===--- Configuration.cpp - options from flags and .untangle ------------===//

#include "inputs/Configuration.h"
#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/Support/Process.h"

using namespace clang;
using namespace clang::tidy;
namespace cl = llvm::cl;

namespace untangle {

cl::SubCommand &languageServerCommand() {
  static cl::SubCommand Command("lsp", "Language Server over stdio: findings as diagnostics, "
                                       "fix-its as code actions (docs/editors.md)");
  return Command;
}

cl::OptionCategory &configurationCategory() {
  static cl::OptionCategory Category("configuration options (untangle and untangle lsp)");
  return Category;
}

namespace {

/// The commands a shared flag is accepted by: `untangle` and `untangle lsp`.
cl::SubCommandGroup &sharedCommands() {
  static cl::SubCommandGroup Commands{&cl::SubCommand::getTopLevel(),
                                      &languageServerCommand()};
  return Commands;
}

cl::opt<std::string> BuildPath("p", cl::desc("Build directory with compile_commands.json"),
                               cl::value_desc("build dir"), cl::sub(sharedCommands()),
                               cl::cat(configurationCategory()));
cl::opt<std::string> Checks("checks", cl::desc(R"(Comma-separated globs of checks to run,
'-' prefix removes (default: untangle-*); appended
to the 'Checks' of the .untangle file)"),
                            cl::sub(sharedCommands()), cl::cat(configurationCategory()));
cl::opt<std::string> Config("config", cl::desc(R"(Configuration in YAML, as in a .untangle file:
--config="{CheckOptions: {untangle-callback-nesting.MaxDepth: 3}}"
Replaces the .untangle files)"),
                            cl::sub(sharedCommands()), cl::cat(configurationCategory()));
cl::opt<std::string> WarningsAsErrors("warnings-as-errors",
                                      cl::desc("Globs of checks whose findings are errors "
                                               "(exit code 1; error diagnostics in an editor)"),
                                      cl::sub(sharedCommands()),
                                      cl::cat(configurationCategory()));
cl::opt<std::string> HeaderFilter("header-filter",
                                  cl::desc("Regex of the headers to report findings "
                                           "in (main files are always reported)"),
                                  cl::sub(sharedCommands()), cl::cat(configurationCategory()));
cl::opt<std::string> ExcludeHeaderFilter("exclude-header-filter",
                                         cl::desc("Regex of headers never reported"),
                                         cl::sub(sharedCommands()),
                                         cl::cat(configurationCategory()));
cl::opt<bool> SystemHeaders("system-headers", cl::desc("Report findings in system headers"),
                            cl::sub(sharedCommands()), cl::cat(configurationCategory()));
cl::list<std::string> ExtraArgs("extra-arg", cl::desc("Compiler argument to append"),
                                cl::sub(sharedCommands()), cl::cat(configurationCategory()));
cl::list<std::string> ExtraArgsBefore("extra-arg-before",
                                      cl::desc("Compiler argument to prepend"),
                                      cl::sub(sharedCommands()),
                                      cl::cat(configurationCategory()));

/// Collects what the checks say about their options while being constructed
/// (ClangTidyCheck::OptionsView reports bad values through configurationDiag).
class ConfigurationDiagnostics : public DiagnosticConsumer {
public:
  explicit ConfigurationDiagnostics(std::vector<std::string> &Messages)
      : Messages(Messages) {}
  void HandleDiagnostic(DiagnosticsEngine::Level Level,
                        const Diagnostic &Info) override {
    llvm::SmallString<128> Text;
    Info.FormatDiagnostic(Text);
    Messages.push_back(std::string(Text));
  }

private:
  std::vector<std::string> &Messages;
};

/// clang-tidy's FileOptionsProvider with `.untangle` as the configuration file name.
class UntangleFileOptionsProvider : public FileOptionsProvider {
public:
  UntangleFileOptionsProvider(ClangTidyOptions Defaults, ClangTidyOptions Overrides,
                              std::shared_ptr<std::vector<std::string>> ParseErrors)
      : FileOptionsProvider(ClangTidyGlobalOptions(), std::move(Defaults),
                            std::move(Overrides), handlers(std::move(ParseErrors))) {
    // The constructor that takes handlers leaves the file system unset (LLVM 22), and
    // the lookup of the files would dereference it.
    FS = llvm::vfs::getRealFileSystem();
  }

private:
  static ConfigFileHandlers
  handlers(std::shared_ptr<std::vector<std::string>> ParseErrors) {
    ConfigFileHandlers Handlers;
    Handlers.emplace_back(ConfigFileName, [ParseErrors](llvm::MemoryBufferRef Text) {
      llvm::ErrorOr<ClangTidyOptions> Parsed = parseConfiguration(Text);
      if (!Parsed)
        ParseErrors->push_back("invalid configuration file '" +
                               Text.getBufferIdentifier().str() +
                               "': " + Parsed.getError().message());
      return Parsed;
    });
    return Handlers;
  }
};

} // namespace

ConfigurationFlags configurationFlags() {
  ConfigurationFlags Flags;
  auto IfGiven = [](auto &Option, auto &Into) {
    if (Option.getNumOccurrences() > 0)
      Into = Option.getValue();
  };
  IfGiven(Checks, Flags.Checks);
  IfGiven(WarningsAsErrors, Flags.WarningsAsErrors);
  IfGiven(HeaderFilter, Flags.HeaderFilter);
  IfGiven(ExcludeHeaderFilter, Flags.ExcludeHeaderFilter);
  IfGiven(SystemHeaders, Flags.SystemHeaders);
  IfGiven(Config, Flags.InlineConfig);
  Flags.ExtraArgs.assign(ExtraArgs.begin(), ExtraArgs.end());
  Flags.ExtraArgsBefore.assign(ExtraArgsBefore.begin(), ExtraArgsBefore.end());
  return Flags;
}

llvm::StringRef buildPathFlag() { return BuildPath; }

llvm::Expected<std::unique_ptr<ClangTidyOptionsProvider>>
createOptionsProvider(const ConfigurationFlags &Flags,
                      std::shared_ptr<std::vector<std::string>> ConfigFileErrors) {
  ClangTidyOptions Defaults = ClangTidyOptions::getDefaults();
  Defaults.Checks = DefaultChecks;
  Defaults.WarningsAsErrors = "";
  Defaults.HeaderFilterRegex = "";
  Defaults.SystemHeaders = false;
  Defaults.User = llvm::sys::Process::GetEnv("USER");

  ClangTidyOptions Overrides;
  Overrides.Checks = Flags.Checks;
  Overrides.WarningsAsErrors = Flags.WarningsAsErrors;
  Overrides.HeaderFilterRegex = Flags.HeaderFilter;
  Overrides.ExcludeHeaderFilterRegex = Flags.ExcludeHeaderFilter;
  Overrides.SystemHeaders = Flags.SystemHeaders;
  if (!Flags.ExtraArgs.empty())
    Overrides.ExtraArgs = Flags.ExtraArgs;
  if (!Flags.ExtraArgsBefore.empty())
    Overrides.ExtraArgsBefore = Flags.ExtraArgsBefore;

  if (Flags.InlineConfig) {
    llvm::ErrorOr<ClangTidyOptions> Parsed = parseConfiguration(
        llvm::MemoryBufferRef(*Flags.InlineConfig, "<command-line-config>"));
    if (!Parsed)
      return llvm::createStringError(Parsed.getError(),
                                     "invalid --config: " + Parsed.getError().message());
    return std::make_unique<ConfigOptionsProvider>(ClangTidyGlobalOptions(), Defaults,
                                                   std::move(*Parsed),
                                                   std::move(Overrides));
  }

  return std::make_unique<UntangleFileOptionsProvider>(
      std::move(Defaults), std::move(Overrides), std::move(ConfigFileErrors));
}

std::vector<std::string> verifyConfiguration(ClangTidyOptionsProvider &Provider,
                                             llvm::StringRef File) {
  std::vector<std::string> Problems;
  ChecksAndOptions Known = getAllChecksAndOptions(
      /*AllowEnablingAnalyzerAlphaCheckers=*/false, /*ExperimentalCustomChecks=*/false);

  for (const auto &[Options, Source] : Provider.getRawOptions(File)) {
    if (Options.Checks) {
      llvm::SmallVector<llvm::StringRef, 8> Globs;
      llvm::StringRef(*Options.Checks).split(Globs, ',', -1, /*KeepEmpty=*/false);
      for (llvm::StringRef Glob : Globs) {
        Glob = Glob.trim(" \t\r\n");
        // Exclusions, patterns and compiler diagnostics may match nothing on purpose.
        if (Glob.empty() || Glob.starts_with("-") || Glob.contains('*') ||
            Glob.starts_with("clang-"))
          continue;
        if (!Known.Checks.contains(Glob))
          Problems.push_back("unknown check '" + Glob.str() + "' in " + Source);
      }
    }
    for (const auto &Option : Options.CheckOptions)
      if (!Known.Options.contains(Option.getKey()))
        Problems.push_back("unknown check option '" + Option.getKey().str() + "' in " +
                           Source);
  }

  // Building the enabled checks runs their option parsing, which reports bad values.
  ClangTidyContext Context(std::make_unique<DefaultOptionsProvider>(
      ClangTidyGlobalOptions(), Provider.getOptions(File)));
  ConfigurationDiagnostics Consumer(Problems);
  auto DiagOpts = std::make_unique<DiagnosticOptions>();
  DiagnosticsEngine Diags(llvm::makeIntrusiveRefCnt<DiagnosticIDs>(), *DiagOpts,
                          &Consumer, /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(std::move(DiagOpts), &Diags);
  Context.setCurrentFile(File);
  ClangTidyCheckFactories Factories;
  for (const ClangTidyModuleRegistry::entry &Module : ClangTidyModuleRegistry::entries())
    Module.instantiate()->addCheckFactories(Factories);
  (void)Factories.createChecks(&Context);
  return Problems;
}

} // namespace untangle
