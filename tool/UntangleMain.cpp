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

#include "analysis/Analysis.h"
#include "reports/Baseline.h"
#include "inputs/Configuration.h"
#include "analysis/FixVerifier.h"
#include "inputs/Inputs.h"
#include "lsp/LanguageServer.h"
#include "reports/MergeReports.h"
#include "reports/Output.h"
#include "inputs/TreeRun.h"
#include "clang-tidy/ClangTidy.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"

using namespace clang;
using namespace clang::tidy;
using namespace llvm;

namespace {

enum ExitCode : int { ExitOk = 0, ExitFindingsAsErrors = 1, ExitUsageOrInput = 2 };
enum class Format { Text, Json, Sarif, Html, Github };

cl::OptionCategory UntangleCategory("untangle options");

cl::list<std::string> Paths(cl::Positional, cl::desc("<path>..."),
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
               clEnumValN(Format::Sarif, "sarif", "SARIF 2.1.0, for code scanning"),
               clEnumValN(Format::Html, "html", "one self-contained HTML page"),
               clEnumValN(Format::Github, "github", "GitHub Actions annotations")),
    cl::cat(UntangleCategory));
cl::opt<std::string> OutputFile("o", cl::desc("Write the report to <file> instead of stdout"),
                                cl::value_desc("file"), cl::cat(UntangleCategory));
cl::alias OutputFileLong("output", cl::aliasopt(OutputFile), cl::desc("Alias for -o"));
cl::opt<bool> Quiet("quiet", cl::desc("Do not print statistics"), cl::cat(UntangleCategory));
cl::opt<unsigned> Jobs("j", cl::desc("Files analyzed in parallel (default: all cores)"),
                       cl::init(0), cl::value_desc("N"), cl::Prefix, cl::cat(UntangleCategory));
cl::opt<std::string> Shard("shard", cl::desc("Analyze only shard i of n of the files "
                                             "(CI matrices; combine with --merge)"),
                           cl::value_desc("i/n"), cl::cat(UntangleCategory));
cl::opt<bool> Merge("merge", cl::desc("The paths are reports of --shard runs (all JSON or "
                                      "all SARIF): combine them into one report"),
                    cl::cat(UntangleCategory));
cl::opt<bool> RelativePaths(
    "relative-paths",
    cl::desc("JSON reports name the files under the current directory relative to it "
             "(Bazel actions; --merge reads them from its own current directory)"),
    cl::cat(UntangleCategory));
cl::opt<std::string> CacheDir("cache-dir",
                              cl::desc("Where results are kept between runs (default: "
                                       "$UNTANGLE_CACHE_DIR, else ~/.cache/untangle)"),
                              cl::value_desc("dir"), cl::cat(UntangleCategory));
cl::opt<bool> NoCache("no-cache", cl::desc("Analyze every file, ignoring and not writing "
                                           "the results cache"),
                      cl::cat(UntangleCategory));
cl::opt<std::string> BaselineFile("baseline",
                                  cl::desc("Report only findings not recorded in <file> "
                                           "(see --write-baseline)"),
                                  cl::value_desc("file"), cl::cat(UntangleCategory));
cl::opt<std::string> WriteBaseline("write-baseline",
                                   cl::desc("Record the current findings in <file>, for "
                                            "--baseline"),
                                   cl::value_desc("file"), cl::cat(UntangleCategory));

cl::extrahelp MoreHelp(R"(
Paths are source files, or directories standing for every file of the compilation
database under them. The database is read from -p <build dir>, or found in the
inputs' parent directories; flags after '--' replace it.

Configuration: a .untangle file (YAML, the .clang-tidy format) in the closest parent
directory of each file; command-line flags take precedence.

Whole trees: files run in parallel (-j), results are cached between runs
(--cache-dir, --no-cache), a finding in a header shared by several files is reported
and fixed once. --shard i/n and --merge split a run over CI machines; --baseline
reports only what is new since --write-baseline.

Exit codes: 0 no error (warnings only), 1 findings promoted to errors by
--warnings-as-errors, 2 usage or input error (bad flag, missing or binary file,
malformed compilation database, bad configuration, no file could be analyzed).
)");

/// Where reports name files from: the current directory with --relative-paths.
std::string reportDirectory() {
  SmallString<256> Current;
  if (!RelativePaths || sys::fs::current_path(Current))
    return "";
  return std::string(Current);
}

raw_ostream &error() { return WithColor::error(errs(), "untangle"); }
raw_ostream &warning() { return WithColor::warning(errs(), "untangle"); }

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
         untangle::isCompilerDiagnostic(Error.DiagnosticName);
}

/// Opens -o or stdout. The file is only created once the analysis succeeded.
std::unique_ptr<raw_fd_ostream> openReport(std::error_code &EC) {
  return std::make_unique<raw_fd_ostream>(OutputFile.empty() ? "-" : OutputFile.getValue(),
                                          EC, sys::fs::OF_TextWithCRLF);
}

/// "i/n" with 1 <= i <= n.
std::optional<std::pair<unsigned, unsigned>> parseShard(StringRef Text) {
  auto [Index, Count] = Text.split('/');
  unsigned I, N;
  if (Index.getAsInteger(10, I) || Count.getAsInteger(10, N) || N == 0 || I == 0 || I > N)
    return std::nullopt;
  return std::make_pair(I, N);
}

/// Writes the findings in the chosen format: text on stdout, the others to -o or
/// stdout. Returns false if the report cannot be written. \p PromotedToErrors counts
/// the findings --warnings-as-errors made errors.
bool writeReport(ArrayRef<ClangTidyError> Errors, ClangTidyContext &Context,
                 ArrayRef<std::string> EnabledChecks,
                 IntrusiveRefCntPtr<vfs::OverlayFileSystem> BaseFS,
                 untangle::SourceLocations &Locations, unsigned &PromotedToErrors) {
  // As clang-tidy: fixes computed on code that does not compile are not trusted.
  // --fix writes through applyVerifiedFixes (FixVerifier.h): each rewritten file is
  // re-parsed and kept only if it still compiles, and written atomically.
  const FixBehaviour Fixes = FB_NoFix;
  PromotedToErrors = 0;
  if (OutputFormat == Format::Text) {
    handleErrors(Errors, Context, Fixes, PromotedToErrors, BaseFS);
    return true;
  }
  std::error_code EC;
  std::unique_ptr<raw_fd_ostream> Report = openReport(EC);
  if (EC) {
    error() << "cannot write '" << OutputFile << "': " << EC.message() << "\n";
    return false;
  }
  if (OutputFormat == Format::Json)
    untangle::writeJson(Errors, Locations, *Report);
  else if (OutputFormat == Format::Html)
    untangle::writeHtml(Errors, EnabledChecks, Locations, *Report);
  else if (OutputFormat == Format::Github)
    untangle::writeGithub(Errors, Locations, *Report);
  else
    untangle::writeSarif(Errors, EnabledChecks, Locations, *Report);
  if (Fix)
    handleErrors(Errors, Context, Fixes, PromotedToErrors, BaseFS);
  PromotedToErrors =
      llvm::count_if(Errors, [](const ClangTidyError &E) { return E.IsWarningAsError; });
  return true;
}

std::optional<untangle::Baseline> readBaseline() {
  auto Read = untangle::Baseline::read(BaselineFile);
  if (!Read) {
    error() << toString(Read.takeError()) << "\n";
    return std::nullopt;
  }
  return std::move(*Read);
}

/// --merge: the paths are the reports of sharded runs.
int mergeReports(std::unique_ptr<ClangTidyOptionsProvider> Provider) {
  if (Fix || !ExportFixes.empty() || !WriteBaseline.empty() || !Shard.empty()) {
    error() << "--merge combines reports; --fix, --export-fixes, --write-baseline and "
               "--shard apply to analysis runs\n";
    return ExitUsageOrInput;
  }
  std::vector<std::string> Reports(Paths.begin(), Paths.end());
  auto Loaded = untangle::loadReports(Reports);
  if (!Loaded) {
    error() << toString(Loaded.takeError()) << "\n";
    return ExitUsageOrInput;
  }
  if (Loaded->Kind == untangle::ReportKind::Sarif) {
    if (OutputFormat != Format::Sarif || !BaselineFile.empty()) {
      error() << "SARIF logs merge into SARIF (--format=sarif), without --baseline; merge "
                 "JSON reports (--format=json) for the other formats\n";
      return ExitUsageOrInput;
    }
    std::error_code EC;
    std::unique_ptr<raw_fd_ostream> Report = openReport(EC);
    if (EC) {
      error() << "cannot write '" << OutputFile << "': " << EC.message() << "\n";
      return ExitUsageOrInput;
    }
    llvm::json::Value Merged = untangle::mergeSarif(Loaded->Documents);
    *Report << llvm::formatv("{0:2}", Merged) << "\n";
    // As for an analysis run: promoted findings make the exit code 1.
    for (const llvm::json::Value &Result :
         *(*Merged.getAsObject()->getArray("runs"))[0].getAsObject()->getArray("results"))
      // Compiler errors are "error" too, but only promoted findings set the exit code.
      if (Result.getAsObject()->getString("level") == "error" &&
          !untangle::isCompilerDiagnostic(
              Result.getAsObject()->getString("ruleId").value_or("")))
        return ExitFindingsAsErrors;
    return ExitOk;
  }

  auto Findings = untangle::findingsOfJsonReports(Loaded->Documents);
  if (!Findings) {
    error() << toString(Findings.takeError()) << "\n";
    return ExitUsageOrInput;
  }
  std::vector<ClangTidyError> Errors = std::move(*Findings);
  untangle::removeDuplicateFindings(Errors);
  untangle::SourceLocations Locations(reportDirectory());
  if (!BaselineFile.empty()) {
    std::optional<untangle::Baseline> Known = readBaseline();
    if (!Known)
      return ExitUsageOrInput;
    Known->removeKnown(Errors, Locations);
  }
  std::vector<std::string> Checks;
  for (const ClangTidyError &Error : Errors)
    if (!llvm::is_contained(Checks, Error.DiagnosticName))
      Checks.push_back(Error.DiagnosticName);
  llvm::sort(Checks);
  auto BaseFS = makeIntrusiveRefCnt<vfs::OverlayFileSystem>(vfs::getRealFileSystem());
  ClangTidyContext Context(std::move(Provider), false, false, false);
  unsigned PromotedToErrors = 0;
  if (!writeReport(Errors, Context, Checks, BaseFS, Locations, PromotedToErrors))
    return ExitUsageOrInput;
  return PromotedToErrors ? ExitFindingsAsErrors : ExitOk;
}

} // namespace

int main(int argc, const char **argv) {
  InitLLVM X(argc, argv);
  // `untangle lsp`: the language server, with options of its own (LanguageServer.h).
  if (argc > 1 && StringRef(argv[1]) == "lsp")
    return untangle::languageServerMain(argc, argv);

  // Everything after `--` is the compile command for every input, as in clang-tidy.
  std::string FlagsError;
  std::unique_ptr<tooling::CompilationDatabase> CommandLineFlags =
      tooling::FixedCompilationDatabase::loadFromCommandLine(argc, argv, FlagsError);
  // The message can be set even when the flags were read: it then holds what clang's
  // driver said about the placeholder file used to parse them (as with CMake's
  // `-o <object> -c <source>`), which clang-tidy ignores too.
  if (!CommandLineFlags && !FlagsError.empty()) {
    error() << FlagsError << "\n";
    return ExitUsageOrInput;
  }
  cl::HideUnrelatedOptions({&UntangleCategory, &untangle::configurationCategory()});
  cl::SetVersionPrinter([](raw_ostream &OS) { OS << "untangle " UNTANGLE_VERSION "\n"; });
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "untangle: finds callback hell and data races in C++\n",
                                   &errs()))
    return ExitUsageOrInput;

  auto ConfigFileErrors = std::make_shared<std::vector<std::string>>();
  auto ProviderOrError =
      untangle::createOptionsProvider(untangle::configurationFlags(), ConfigFileErrors);
  if (!ProviderOrError) {
    error() << toString(ProviderOrError.takeError()) << "\n";
    return ExitUsageOrInput;
  }
  std::unique_ptr<ClangTidyOptionsProvider> Provider = std::move(*ProviderOrError);

  // Options are looked up per file; without inputs, the current directory decides.
  const std::string ConfigProbe =
      untangle::SourceLocations::absolutePath(
          Paths.empty() ? StringRef("untangle-config-probe.cpp") : StringRef(Paths.front()), "");
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
  // The text report is clang-tidy's own printer, which writes to stdout; taking -o
  // silently would leave the user with no report where they asked for one.
  if (OutputFormat == Format::Text && !OutputFile.empty()) {
    error() << "-o writes --format=json, sarif, html or github reports; the text report "
               "goes to stdout (redirect it with > " << OutputFile << ")\n";
    return ExitUsageOrInput;
  }
  if (RelativePaths && OutputFormat != Format::Json) {
    error() << "--relative-paths applies to JSON reports (--format=json); the other "
               "formats name files absolutely\n";
    return ExitUsageOrInput;
  }
  if (Fix && OutputFormat != Format::Text && OutputFile.empty()) {
    error() << "--fix prints what it changes; with a --format other than text, write the "
               "report to a file with -o\n";
    return ExitUsageOrInput;
  }

  if (Merge)
    return mergeReports(std::move(Provider));
  std::optional<std::pair<unsigned, unsigned>> ShardSpec;
  if (!Shard.empty() && !WriteBaseline.empty()) {
    error() << "--write-baseline records every finding; a shard sees only some (merge the "
               "shards' JSON reports first, or write the baseline from one whole run)\n";
    return ExitUsageOrInput;
  }
  if (!Shard.empty() && !(ShardSpec = parseShard(Shard))) {
    error() << "--shard wants i/n with 1 <= i <= n, as in --shard 2/4; got '" << Shard
            << "'\n";
    return ExitUsageOrInput;
  }
  // Read first: a mistyped baseline should not cost a whole analysis.
  std::optional<untangle::Baseline> Known;
  if (!BaselineFile.empty() && !(Known = readBaseline()))
    return ExitUsageOrInput;

  std::vector<std::string> PathList(Paths.begin(), Paths.end());
  auto InputsOrError = untangle::resolveInputs(PathList, untangle::buildPathFlag(),
                                               std::move(CommandLineFlags));
  if (!InputsOrError) {
    error() << toString(InputsOrError.takeError()) << "\n";
    return ExitUsageOrInput;
  }
  untangle::Inputs &In = *InputsOrError;
  if (In.UsingDefaultFlags && !Quiet)
    warning() << "no compilation database found for '" << Paths.front()
              << "'; using default flags (pass -p <build dir> or '-- <flags>')\n";
  if (ShardSpec) {
    In.Files = untangle::shardOf(In.Files, ShardSpec->first, ShardSpec->second);
    // More shards than files: this shard's report is empty, which merges fine.
    if (In.Files.empty()) {
      auto BaseFS = makeIntrusiveRefCnt<vfs::OverlayFileSystem>(vfs::getRealFileSystem());
      ClangTidyContext Context(std::move(Provider), false, false, false);
      untangle::SourceLocations Locations(reportDirectory());
      unsigned PromotedToErrors = 0;
      return writeReport({}, Context, {}, BaseFS, Locations, PromotedToErrors)
                 ? ExitOk
                 : ExitUsageOrInput;
    }
  }

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
  std::optional<untangle::ResultCache> Cache;
  if (!NoCache) {
    auto Opened = untangle::ResultCache::open(
        CacheDir.empty() ? untangle::ResultCache::defaultDirectory() : CacheDir.getValue());
    if (Opened)
      Cache = std::move(*Opened);
    else if (!Quiet)
      warning() << toString(Opened.takeError()) << "; analyzing without the cache\n";
  }
  untangle::TreeRunOptions RunOptions;
  RunOptions.Jobs = Jobs;
  RunOptions.Cache = Cache ? &*Cache : nullptr;
  RunOptions.Quiet = Quiet;
  // Each worker reads the configuration files anew, into a list of its own.
  std::vector<std::shared_ptr<std::vector<std::string>>> WorkerConfigErrors;
  auto MakeWorkerContext = [&] {
    WorkerConfigErrors.push_back(std::make_shared<std::vector<std::string>>());
    // The flags were read once above without error; they read the same again.
    return std::make_unique<ClangTidyContext>(
        cantFail(untangle::createOptionsProvider(untangle::configurationFlags(),
                                                 WorkerConfigErrors.back())),
        false, false, false);
  };
  untangle::TreeRunResult Result =
      untangle::analyzeTree(MakeWorkerContext, *In.Compilations, In.Files, RunOptions);
  // A configuration file the checks above did not reach (a header's directory, say):
  // its findings would be of the defaults, so nothing is reported.
  for (const auto &Errors : WorkerConfigErrors)
    llvm::append_range(*ConfigFileErrors, *Errors);
  llvm::sort(*ConfigFileErrors);
  ConfigFileErrors->erase(llvm::unique(*ConfigFileErrors), ConfigFileErrors->end());
  if (ReportConfigFileErrors())
    return ExitUsageOrInput;

  if (Result.Analyzed.empty()) {
    // Show what clang said, but write no report: there is nothing to report on.
    unsigned Ignored = 0;
    handleErrors(Result.Errors, Context, FB_NoFix, Ignored, BaseFS);
    for (const std::string &Problem : Result.Problems)
      error() << Problem << "\n";
    error() << "no input could be analyzed (clang could not parse "
            << (In.Files.size() == 1 ? "it" : "any of them") << ")\n";
    return ExitUsageOrInput;
  }

  untangle::SourceLocations Locations(reportDirectory());
  if (!WriteBaseline.empty()) {
    if (Error Failed = untangle::Baseline::write(WriteBaseline, Result.Errors, Locations)) {
      error() << toString(std::move(Failed)) << "\n";
      return ExitUsageOrInput;
    }
  }
  unsigned KnownFindings = Known ? Known->removeKnown(Result.Errors, Locations) : 0;

  const bool HasCompilerErrors = llvm::any_of(Result.Errors, isCompilerError);
  unsigned PromotedToErrors = 0;
  if (!writeReport(Result.Errors, Context, EnabledChecks, BaseFS, Locations, PromotedToErrors))
    return ExitUsageOrInput;
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
    printStats(Result.Stats);
    if (KnownFindings)
      errs() << KnownFindings << " finding" << (KnownFindings == 1 ? "" : "s")
             << " recorded in the baseline not shown.\n";
    if (HasCompilerErrors)
      warning() << "clang reported errors; findings in the code it could not parse "
                   "may be missing"
                << (Fix ? ", and no fix was applied" : "") << "\n";
    for (const std::string &Problem : Result.Problems)
      warning() << Problem << "\n";
    for (const std::string &File : Result.NotAnalyzed)
      warning() << "'" << File << "' could not be analyzed\n";
    if (PromotedToErrors)
      errs() << PromotedToErrors << " finding" << (PromotedToErrors == 1 ? "" : "s")
             << " treated as error" << (PromotedToErrors == 1 ? "" : "s") << "\n";
  }
  return PromotedToErrors ? ExitFindingsAsErrors : ExitOk;
}
