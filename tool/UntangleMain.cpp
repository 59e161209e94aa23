//===--- UntangleMain.cpp - the untangle command-line tool ---------------===//
//
// `untangle [options] <path>... [-- <compiler args>]`, in clang-tidy's conventions and
// built on its engine: configuration, NOLINT, header filter, fix application and
// exported fixes are clang-tidy's; only untangle's checks are linked in.
//
// Exit codes (docs/usage.md): 0 no error, 1 findings promoted to errors by
// --warnings-as-errors, 2 usage or input error (nothing is written then).
//
//===----------------------------------------------------------------------===//

#include "Analysis.h"
#include "Configuration.h"
#include "FixVerifier.h"
#include "Inputs.h"
#include "Output.h"
#include "clang-tidy/ClangTidy.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"

using namespace clang;
using namespace clang::tidy;
using namespace llvm;

namespace {

enum ExitCode : int { ExitOk = 0, ExitFindingsAsErrors = 1, ExitUsageOrInput = 2 };
enum class Format { Text, Json, Sarif };

cl::OptionCategory UntangleCategory("untangle options");

cl::list<std::string> Paths(cl::Positional, cl::desc("<path>..."),
                            cl::cat(UntangleCategory));
cl::opt<std::string> BuildPath("p", cl::desc("Build directory with compile_commands.json"),
                               cl::value_desc("build dir"), cl::cat(UntangleCategory));
cl::opt<std::string> Checks("checks", cl::desc(R"(Comma-separated globs of checks to run,
'-' prefix removes (default: untangle-*); appended
to the 'Checks' of the .untangle file)"),
                            cl::cat(UntangleCategory));
cl::opt<std::string> Config("config", cl::desc(R"(Configuration in YAML, as in a .untangle file:
--config="{CheckOptions: {untangle-callback-nesting.MaxDepth: 3}}"
Replaces the .untangle files)"),
                            cl::cat(UntangleCategory));
cl::opt<bool> ListChecks("list-checks", cl::desc("List the enabled checks and exit"),
                         cl::cat(UntangleCategory));
cl::opt<bool> DumpConfig("dump-config",
                         cl::desc("Print the effective configuration, with every "
                                  "check option, and exit"),
                         cl::cat(UntangleCategory));
cl::opt<bool> Fix("fix", cl::desc("Apply the suggested fixes"), cl::cat(UntangleCategory));
cl::opt<std::string> ExportFixes("export-fixes",
                                 cl::desc("Write the fixes as YAML for "
                                          "clang-apply-replacements"),
                                 cl::value_desc("file"), cl::cat(UntangleCategory));
cl::opt<Format> OutputFormat(
    "format", cl::desc("Report format"), cl::init(Format::Text),
    cl::values(clEnumValN(Format::Text, "text", "clang-style diagnostics (default)"),
               clEnumValN(Format::Json, "json", "one JSON document"),
               clEnumValN(Format::Sarif, "sarif", "SARIF 2.1.0, for code scanning")),
    cl::cat(UntangleCategory));
cl::opt<std::string> OutputFile("o", cl::desc("Write the report to <file> instead of stdout"),
                                cl::value_desc("file"), cl::cat(UntangleCategory));
cl::alias OutputFileLong("output", cl::aliasopt(OutputFile), cl::desc("Alias for -o"));
cl::opt<std::string> WarningsAsErrors("warnings-as-errors",
                                      cl::desc("Globs of checks whose findings are "
                                               "errors (exit code 1)"),
                                      cl::cat(UntangleCategory));
cl::opt<std::string> HeaderFilter("header-filter",
                                  cl::desc("Regex of the headers to report findings "
                                           "in (main files are always reported)"),
                                  cl::cat(UntangleCategory));
cl::opt<std::string> ExcludeHeaderFilter("exclude-header-filter",
                                         cl::desc("Regex of headers never reported"),
                                         cl::cat(UntangleCategory));
cl::opt<bool> SystemHeaders("system-headers", cl::desc("Report findings in system headers"),
                            cl::cat(UntangleCategory));
cl::list<std::string> ExtraArgs("extra-arg", cl::desc("Compiler argument to append"),
                                cl::cat(UntangleCategory));
cl::list<std::string> ExtraArgsBefore("extra-arg-before",
                                      cl::desc("Compiler argument to prepend"),
                                      cl::cat(UntangleCategory));
cl::opt<bool> Quiet("quiet", cl::desc("Do not print statistics"), cl::cat(UntangleCategory));

cl::extrahelp MoreHelp(R"(
Paths are source files, or directories standing for every file of the compilation
database under them. The database is read from -p <build dir>, or found in the
inputs' parent directories; flags after '--' replace it.

Configuration: a .untangle file (YAML, the .clang-tidy format) in the closest parent
directory of each file; command-line flags take precedence.

Exit codes: 0 no error (warnings only), 1 findings promoted to errors by
--warnings-as-errors, 2 usage or input error (bad flag, missing or binary file,
malformed compilation database, bad configuration, no file could be analyzed).
)");

raw_ostream &error() { return WithColor::error(errs(), "untangle"); }
raw_ostream &warning() { return WithColor::warning(errs(), "untangle"); }

untangle::ConfigurationFlags configurationFlags() {
  untangle::ConfigurationFlags Flags;
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

std::string absolute(StringRef Path) {
  SmallString<256> Absolute(Path);
  sys::fs::make_absolute(Absolute);
  return std::string(Absolute);
}

void printStats(const ClangTidyStats &Stats) {
  if (!Stats.errorsIgnored())
    return;
  errs() << "Suppressed " << Stats.errorsIgnored() << " findings ("
         << Stats.ErrorsIgnoredNonUserCode << " in non-user code, "
         << Stats.ErrorsIgnoredNOLINT << " NOLINT, " << Stats.ErrorsIgnoredCheckFilter
         << " with check filters).\n";
  if (Stats.ErrorsIgnoredNonUserCode)
    errs() << "Use --header-filter=.* to see findings in all non-system headers.\n";
}

bool isCompilerError(const ClangTidyError &Error) {
  return Error.DiagLevel == ClangTidyError::Error &&
         StringRef(Error.DiagnosticName).starts_with("clang-diagnostic-");
}

/// Opens -o or stdout. The file is only created once the analysis succeeded.
std::unique_ptr<raw_fd_ostream> openReport(std::error_code &EC) {
  return std::make_unique<raw_fd_ostream>(OutputFile.empty() ? "-" : OutputFile.getValue(),
                                          EC, sys::fs::OF_TextWithCRLF);
}

} // namespace

int main(int argc, const char **argv) {
  InitLLVM X(argc, argv);

  // Everything after `--` is the compile command for every input, as in clang-tidy.
  std::string FlagsError;
  std::unique_ptr<tooling::CompilationDatabase> CommandLineFlags =
      tooling::FixedCompilationDatabase::loadFromCommandLine(argc, argv, FlagsError);
  if (!FlagsError.empty()) {
    error() << FlagsError << "\n";
    return ExitUsageOrInput;
  }
  cl::HideUnrelatedOptions(UntangleCategory);
  cl::SetVersionPrinter([](raw_ostream &OS) { OS << "untangle " UNTANGLE_VERSION "\n"; });
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "untangle: finds callback hell and data races in C++\n",
                                   &errs()))
    return ExitUsageOrInput;

  auto ConfigFileErrors = std::make_shared<std::vector<std::string>>();
  auto ProviderOrError = untangle::createOptionsProvider(configurationFlags(), ConfigFileErrors);
  if (!ProviderOrError) {
    error() << toString(ProviderOrError.takeError()) << "\n";
    return ExitUsageOrInput;
  }
  std::unique_ptr<ClangTidyOptionsProvider> Provider = std::move(*ProviderOrError);

  // Options are looked up per file; without inputs, the current directory decides.
  const std::string ConfigProbe =
      absolute(Paths.empty() ? StringRef("untangle-config-probe.cpp") : StringRef(Paths.front()));
  auto ReportConfigFileErrors = [&] {
    for (const std::string &Message : *ConfigFileErrors)
      error() << Message << "\n";
    return !ConfigFileErrors->empty();
  };

  if (ListChecks || DumpConfig) {
    ClangTidyOptions Effective = Provider->getOptions(ConfigProbe);
    if (ReportConfigFileErrors())
      return ExitUsageOrInput;
    std::vector<std::string> Enabled = getCheckNames(Effective, false, false);
    if (ListChecks) {
      outs() << "Enabled checks:";
      for (const std::string &Check : Enabled)
        outs() << "\n    " << Check;
      outs() << "\n\n";
      return Enabled.empty() ? ExitUsageOrInput : ExitOk;
    }
    Effective.CheckOptions = getCheckOptions(Effective, false, false);
    ClangTidyOptions ToDump = ClangTidyOptions::getDefaults().merge(Effective, 0);
    filterCheckOptions(ToDump, Enabled);
    outs() << configurationAsText(ToDump) << "\n";
    return ExitOk;
  }

  if (Paths.empty()) {
    error() << "no input files; usage: untangle [options] <path>... [-- <compiler args>]"
            << " (see --help)\n";
    return ExitUsageOrInput;
  }
  if (Fix && OutputFormat != Format::Text && OutputFile.empty()) {
    error() << "--fix prints what it changes; with --format=json or sarif, write the "
               "report to a file with -o\n";
    return ExitUsageOrInput;
  }

  std::vector<std::string> PathList(Paths.begin(), Paths.end());
  auto InputsOrError =
      untangle::resolveInputs(PathList, BuildPath, std::move(CommandLineFlags));
  if (!InputsOrError) {
    error() << toString(InputsOrError.takeError()) << "\n";
    return ExitUsageOrInput;
  }
  untangle::Inputs &In = *InputsOrError;
  if (In.UsingDefaultFlags && !Quiet)
    warning() << "no compilation database found for '" << Paths.front()
              << "'; using default flags (pass -p <build dir> or '-- <flags>')\n";

  // A configuration mistake would otherwise silently analyze with defaults.
  llvm::StringSet<> Problems;
  for (const std::string &File : In.Files)
    for (std::string &Problem : untangle::verifyConfiguration(*Provider, File))
      if (Problems.insert(Problem).second)
        error() << Problem << "\n";
  if (ReportConfigFileErrors() || !Problems.empty())
    return ExitUsageOrInput;

  const std::vector<std::string> EnabledChecks =
      getCheckNames(Provider->getOptions(In.Files.front()), false, false);
  if (EnabledChecks.empty()) {
    error() << "no checks enabled (see --list-checks and --checks)\n";
    return ExitUsageOrInput;
  }

  InitializeAllTargetInfos();
  InitializeAllTargetMCs();
  InitializeAllAsmParsers();

  auto BaseFS = makeIntrusiveRefCnt<vfs::OverlayFileSystem>(vfs::getRealFileSystem());
  ClangTidyContext Context(std::move(Provider), /*AllowEnablingAnalyzerAlphaCheckers=*/false,
                           /*EnableModuleHeadersParsing=*/false,
                           /*ExperimentalCustomChecks=*/false);
  untangle::AnalysisResult Result =
      untangle::runAnalysis(Context, *In.Compilations, In.Files, BaseFS, Quiet);

  if (Result.Analyzed.empty()) {
    // Show what clang said, but write no report: there is nothing to report on.
    unsigned Ignored = 0;
    handleErrors(Result.Errors, Context, FB_NoFix, Ignored, BaseFS);
    error() << "no input could be analyzed (clang could not parse "
            << (In.Files.size() == 1 ? "it" : "any of them") << ")\n";
    return ExitUsageOrInput;
  }

  const bool HasCompilerErrors = llvm::any_of(Result.Errors, isCompilerError);
  // As clang-tidy: fixes computed on code that does not compile are not trusted.
  // --fix writes through applyVerifiedFixes below (FixVerifier.h): each rewritten file is
  // re-parsed and kept only if it still compiles, and written atomically.
  const FixBehaviour Fixes = FB_NoFix;
  unsigned PromotedToErrors = 0;
  if (OutputFormat == Format::Text) {
    handleErrors(Result.Errors, Context, Fixes, PromotedToErrors, BaseFS);
  } else {
    std::error_code EC;
    std::unique_ptr<raw_fd_ostream> Report = openReport(EC);
    if (EC) {
      error() << "cannot write '" << OutputFile << "': " << EC.message() << "\n";
      return ExitUsageOrInput;
    }
    untangle::SourceLocations Locations;
    if (OutputFormat == Format::Json)
      untangle::writeJson(Result.Errors, Locations, *Report);
    else
      untangle::writeSarif(Result.Errors, EnabledChecks, Locations, *Report);
    if (Fix)
      handleErrors(Result.Errors, Context, Fixes, PromotedToErrors, BaseFS);
    PromotedToErrors = llvm::count_if(
        Result.Errors, [](const ClangTidyError &E) { return E.IsWarningAsError; });
  }
  if (Fix && !HasCompilerErrors &&
      untangle::applyVerifiedFixes(Result.Errors, Context, *In.Compilations,
                                   Result.Analyzed, Quiet)
          .WriteFailed)
    return ExitUsageOrInput;

  if (!ExportFixes.empty()) {
    std::error_code EC;
    raw_fd_ostream OS(ExportFixes, EC, sys::fs::OF_None);
    if (EC) {
      error() << "cannot write '" << ExportFixes << "': " << EC.message() << "\n";
      return ExitUsageOrInput;
    }
    exportReplacements(In.Files.front(), Result.Errors, OS);
  }

  if (!Quiet) {
    printStats(Context.getStats());
    if (HasCompilerErrors)
      warning() << "clang reported errors; findings in the code it could not parse "
                   "may be missing"
                << (Fix ? ", and no fix was applied" : "") << "\n";
    for (const std::string &File : Result.NotAnalyzed)
      warning() << "'" << File << "' could not be analyzed\n";
    if (PromotedToErrors)
      errs() << PromotedToErrors << " finding" << (PromotedToErrors == 1 ? "" : "s")
             << " treated as error" << (PromotedToErrors == 1 ? "" : "s") << "\n";
  }
  return PromotedToErrors ? ExitFindingsAsErrors : ExitOk;
}
