//===--- SarifOutput.cpp - the SARIF 2.1.0 report -------------------------===//
//
// clang's SarifDocumentWriter builds the document (schema, run, rules, artifacts,
// locations). It has no API for a related location's message, for fixes or for rule
// help, which GitHub code scanning shows; those are added to its JSON afterwards.
//
//===----------------------------------------------------------------------===//

#include "reports/Output.h"
#include "clang/Basic/Sarif.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include <map>

using namespace clang;
using namespace clang::tidy;

namespace untangle {

namespace {

struct RuleHelp {
  llvm::StringLiteral Id;
  llvm::StringLiteral Summary;
  llvm::StringLiteral Markdown;
};

constexpr RuleHelp KnownRules[] = {
    {"untangle-callback-nesting",
     "Asynchronous callbacks nested too deep, or chained across too many functions.",
     "Callback hell: an asynchronous callback nested more than `MaxDepth` (default 2) "
     "asynchronous callbacks deep, or a chain of continuations spread across member "
     "functions (`bind_front_handler(&X::on_write, ...)`) longer than "
     "`MaxChainLength` (default 4). The notes show each enclosing asynchronous call "
     "or each step of the chain.\n\nRewrite the sequence as a coroutine "
     "(`untangle::spawn` + `co_await`) or a promise chain, or split it into named "
     "steps. Options: `MaxDepth`, `MaxChainLength`, `AsyncFunctions`, "
     "`SyncFunctions`, `CompletionHandlerNames`. See "
     "docs/rules/untangle-callback-nesting.md."},
};

RuleHelp helpFor(llvm::StringRef Check) {
  for (const RuleHelp &Rule : KnownRules)
    if (Rule.Id == Check)
      return Rule;
  if (isCompilerDiagnostic(Check))
    return {"", "Compiler diagnostic reported by clang.",
            "A diagnostic clang emitted while parsing the file."};
  return {"", "untangle diagnostic.", "untangle diagnostic."};
}

SarifResultLevel levelOf(const ClangTidyError &Error) {
  return severityOf(Error) == "error" ? SarifResultLevel::Error
                                      : SarifResultLevel::Warning;
}

// A diagnostic is a point; SARIF regions are character ranges.
CharSourceRange pointRange(SourceLocation Loc) {
  return CharSourceRange::getCharRange(Loc, Loc);
}

/// What SarifDocumentWriter cannot carry, kept per result in append order.
struct ResultExtras {
  std::vector<std::string> RelatedMessages;
  llvm::json::Array Fixes;
};

llvm::json::Object regionOf(const SourceManager &SM, SourceLocation Begin,
                            unsigned Length) {
  SourceLocation End = Begin.getLocWithOffset(Length);
  return llvm::json::Object{{"startLine", SM.getSpellingLineNumber(Begin)},
                            {"startColumn", SM.getSpellingColumnNumber(Begin)},
                            {"endLine", SM.getSpellingLineNumber(End)},
                            {"endColumn", SM.getSpellingColumnNumber(End)},
                            {"charOffset", SM.getFileOffset(Begin)},
                            {"charLength", Length}};
}

llvm::json::Array sarifFixes(const ClangTidyError &Error, SourceLocations &Locations) {
  llvm::json::Array ArtifactChanges;
  for (const auto &[File, Replacements] : Error.Message.Fix) {
    llvm::json::Array Changes;
    for (const tooling::Replacement &R : Replacements) {
      SourceLocation Begin =
          Locations.locate(R.getFilePath(), Error.BuildDirectory, R.getOffset());
      if (Begin.isInvalid())
        continue;
      Changes.push_back(llvm::json::Object{
          {"deletedRegion", regionOf(Locations.sourceManager(), Begin, R.getLength())},
          {"insertedContent", llvm::json::Object{{"text", R.getReplacementText()}}}});
    }
    if (Changes.empty())
      continue;
    ArtifactChanges.push_back(llvm::json::Object{
        {"artifactLocation",
         llvm::json::Object{{"uri", SarifDocumentWriter::fileNameToURI(
                                        Locations.absolutePath(File, Error.BuildDirectory))}}},
        {"replacements", std::move(Changes)}});
  }
  llvm::json::Array Fixes;
  if (!ArtifactChanges.empty())
    Fixes.push_back(llvm::json::Object{
        {"description", llvm::json::Object{{"text", Error.Message.Message}}},
        {"artifactChanges", std::move(ArtifactChanges)}});
  return Fixes;
}

void addWhatTheWriterCannot(llvm::json::Object &Document,
                            llvm::ArrayRef<ResultExtras> Extras) {
  llvm::json::Object *Run = Document.getArray("runs")->front().getAsObject();
  llvm::json::Object *Driver = Run->getObject("tool")->getObject("driver");
  // The writer names clang's manual as the tool's home page; untangle's docs are in
  // the repository, referenced from each rule's help instead.
  Driver->erase("informationUri");
  for (llvm::json::Value &Rule : *Driver->getArray("rules")) {
    llvm::json::Object &Object = *Rule.getAsObject();
    RuleHelp Help = helpFor(*Object.getString("id"));
    Object["shortDescription"] = llvm::json::Object{{"text", Help.Summary}};
    Object["help"] = llvm::json::Object{{"text", Help.Markdown},
                                        {"markdown", Help.Markdown}};
  }
  for (auto [Result, Extra] : llvm::zip(*Run->getArray("results"), Extras)) {
    llvm::json::Object &Object = *Result.getAsObject();
    if (llvm::json::Array *Related = Object.getArray("relatedLocations"))
      for (auto [Index, Location] : llvm::enumerate(*Related)) {
        (*Location.getAsObject())["id"] = static_cast<int64_t>(Index);
        (*Location.getAsObject())["message"] =
            llvm::json::Object{{"text", Extra.RelatedMessages[Index]}};
      }
    if (!Extra.Fixes.empty())
      Object["fixes"] = llvm::json::Array(Extra.Fixes);
  }
}

} // namespace

void writeSarif(llvm::ArrayRef<ClangTidyError> Errors,
                llvm::ArrayRef<std::string> EnabledChecks, SourceLocations &Locations,
                llvm::raw_ostream &OS) {
  SarifDocumentWriter Writer(Locations.sourceManager());
  Writer.createRun("untangle", "untangle: callback hell and data race finder",
                   UNTANGLE_VERSION);

  // Every enabled rule is listed, with or without results, so that the code scanning
  // UI can show its help; compiler diagnostics become rules as they appear.
  std::map<std::string, size_t> RuleIndex;
  auto RuleFor = [&](llvm::StringRef Check) {
    auto [It, Inserted] = RuleIndex.try_emplace(Check.str(), 0);
    if (Inserted)
      It->second = Writer.createRule(SarifRule::create()
                                         .setRuleId(Check)
                                         .setName(Check)
                                         .setDescription(helpFor(Check).Summary));
    return It->second;
  };
  for (const std::string &Check : EnabledChecks)
    RuleFor(Check);

  std::vector<ResultExtras> Extras;
  for (const ClangTidyError &Error : Errors) {
    SourceLocation Loc = Locations.locate(Error.Message.FilePath, Error.BuildDirectory,
                                          Error.Message.FileOffset);
    // Code scanning rejects results without a location (e.g. a bad command-line
    // flag); the text output still shows those.
    if (Loc.isInvalid())
      continue;
    SarifResult Result = SarifResult::create(RuleFor(Error.DiagnosticName))
                             .setRuleId(Error.DiagnosticName)
                             .setDiagnosticMessage(Error.Message.Message)
                             .setDiagnosticLevel(levelOf(Error))
                             .addLocations({pointRange(Loc)});
    ResultExtras Extra;
    for (const tooling::DiagnosticMessage &Note : Error.Notes) {
      SourceLocation NoteLoc =
          Locations.locate(Note.FilePath, Error.BuildDirectory, Note.FileOffset);
      if (NoteLoc.isInvalid())
        continue;
      Result = Result.addRelatedLocations({pointRange(NoteLoc)});
      Extra.RelatedMessages.push_back(Note.Message);
    }
    Extra.Fixes = sarifFixes(Error, Locations);
    Writer.appendResult(Result);
    Extras.push_back(std::move(Extra));
  }

  llvm::json::Object Document = Writer.createDocument();
  addWhatTheWriterCannot(Document, Extras);
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Document))) << "\n";
}

} // namespace untangle
