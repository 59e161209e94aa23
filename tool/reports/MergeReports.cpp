//===--- MergeReports.cpp - combine the reports of sharded runs ------------===//

#include "reports/MergeReports.h"
#include "reports/Output.h"
#include "llvm/ADT/StringMap.h"
#include <limits>
#include <optional>
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace clang;
using namespace clang::tidy;

namespace untangle {

namespace {

llvm::Error notAReport(llvm::StringRef Path, llvm::Twine Why) {
  return llvm::createStringError(std::errc::invalid_argument, "%s: %s", Path.str().c_str(),
                                 Why.str().c_str());
}

/// A byte offset or length: an integer that fits in `unsigned`.
std::optional<unsigned> offsetField(const llvm::json::Object &Entry, llvm::StringRef Name) {
  std::optional<int64_t> Value = Entry.getInteger(Name);
  if (!Value || *Value < 0 || *Value > std::numeric_limits<unsigned>::max())
    return std::nullopt;
  return unsigned(*Value);
}

/// A message with its position, as JSON reports write it (file, offset).
llvm::Expected<tooling::DiagnosticMessage> messageOf(const llvm::json::Object &Entry) {
  tooling::DiagnosticMessage Message;
  std::optional<llvm::StringRef> Text = Entry.getString("message");
  if (!Text)
    return llvm::createStringError(std::errc::invalid_argument, "a message is missing");
  Message.Message = Text->str();
  if (std::optional<llvm::StringRef> File = Entry.getString("file")) {
    std::optional<unsigned> Offset = offsetField(Entry, "offset");
    if (!Offset)
      return llvm::createStringError(std::errc::invalid_argument,
                                     "a position without a valid \"offset\"");
    Message.FilePath = File->str();
    Message.FileOffset = *Offset;
  }
  return Message;
}

} // namespace

llvm::Expected<LoadedReports> loadReports(llvm::ArrayRef<std::string> Paths) {
  LoadedReports Loaded;
  for (auto [Index, Path] : llvm::enumerate(Paths)) {
    auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
    if (!Buffer)
      return notAReport(Path, "cannot read: " + Buffer.getError().message());
    llvm::Expected<llvm::json::Value> Document = llvm::json::parse((*Buffer)->getBuffer());
    if (!Document)
      return notAReport(Path, "not JSON: " + llvm::toString(Document.takeError()));
    const llvm::json::Object *Root = Document->getAsObject();
    std::optional<ReportKind> Kind;
    if (Root && Root->getArray("runs"))
      Kind = ReportKind::Sarif;
    else if (Root && Root->getArray("diagnostics") && Root->getInteger("version") == 1)
      Kind = ReportKind::Json;
    if (!Kind)
      return notAReport(Path, "neither an untangle JSON report nor a SARIF log");
    if (Index > 0 && *Kind != Loaded.Kind)
      return notAReport(Path, "cannot merge SARIF logs with JSON reports");
    Loaded.Kind = *Kind;
    Loaded.Documents.push_back(std::move(*Document));
  }
  return Loaded;
}

llvm::Expected<std::vector<ClangTidyError>>
findingsOfJsonReports(llvm::ArrayRef<llvm::json::Value> Documents) {
  std::vector<ClangTidyError> Findings;
  auto Malformed = [](llvm::Twine Why) {
    return llvm::createStringError(std::errc::invalid_argument, "malformed report: %s",
                                   Why.str().c_str());
  };
  for (const llvm::json::Value &Document : Documents) {
    const llvm::json::Object *Root = Document.getAsObject();
    const llvm::json::Array *Diagnostics = Root ? Root->getArray("diagnostics") : nullptr;
    if (!Diagnostics)
      return Malformed("no \"diagnostics\" array");
    for (const llvm::json::Value &Value : *Diagnostics) {
      const llvm::json::Object *Diagnostic = Value.getAsObject();
      if (!Diagnostic || !Diagnostic->getString("check"))
        return Malformed("a diagnostic without \"check\"");
      llvm::StringRef Check = *Diagnostic->getString("check");
      llvm::StringRef Severity = Diagnostic->getString("severity").value_or("warning");
      // JSON reports write findings promoted by --warnings-as-errors as "error";
      // clang's own errors are the clang-diagnostic-* ones.
      const bool CompilerDiagnostic = isCompilerDiagnostic(Check);
      ClangTidyError::Level Level =
          Severity == "remark" ? ClangTidyError::Remark
          : Severity == "error" && CompilerDiagnostic ? ClangTidyError::Error
                                                      : ClangTidyError::Warning;
      ClangTidyError Finding(Check, Level, /*BuildDirectory=*/"",
                             Severity == "error" && !CompilerDiagnostic);
      llvm::Expected<tooling::DiagnosticMessage> Message = messageOf(*Diagnostic);
      if (!Message)
        return Malformed(llvm::toString(Message.takeError()));
      Finding.Message = std::move(*Message);
      if (const llvm::json::Array *Notes = Diagnostic->getArray("notes"))
        for (const llvm::json::Value &Note : *Notes) {
          llvm::Expected<tooling::DiagnosticMessage> NoteMessage =
              Note.getAsObject() ? messageOf(*Note.getAsObject())
                                 : llvm::Expected<tooling::DiagnosticMessage>(
                                       Malformed("a note is not an object"));
          if (!NoteMessage)
            return NoteMessage.takeError();
          Finding.Notes.push_back(std::move(*NoteMessage));
        }
      if (const llvm::json::Array *Fixes = Diagnostic->getArray("fixes"))
        for (const llvm::json::Value &FixValue : *Fixes) {
          const llvm::json::Object *Fix = FixValue.getAsObject();
          if (!Fix || !Fix->getString("file") || !offsetField(*Fix, "offset") ||
              !offsetField(*Fix, "length") || !Fix->getString("replacement"))
            return Malformed("a fix needs \"file\", \"offset\", \"length\", \"replacement\"");
          llvm::StringRef File = *Fix->getString("file");
          tooling::Replacement Replacement(File, *offsetField(*Fix, "offset"),
                                           *offsetField(*Fix, "length"),
                                           *Fix->getString("replacement"));
          if (llvm::Error Conflict = Finding.Message.Fix[File].add(Replacement))
            return Malformed(llvm::toString(std::move(Conflict)));
        }
      Findings.push_back(std::move(Finding));
    }
  }
  return Findings;
}

llvm::json::Value mergeSarif(llvm::ArrayRef<llvm::json::Value> Documents) {
  llvm::json::Array Artifacts, Rules, Results;
  llvm::StringMap<int64_t> ArtifactIndex, RuleIndex;
  llvm::StringMap<size_t> ResultIndex;
  std::optional<llvm::json::Object> Driver, RunTemplate;
  llvm::json::Object Root;

  for (const llvm::json::Value &Document : Documents) {
    const llvm::json::Object &Log = *Document.getAsObject();
    if (Root.empty())
      Root = Log; // $schema, version
    for (const llvm::json::Value &RunValue : *Log.getArray("runs")) {
      const llvm::json::Object *Run = RunValue.getAsObject();
      if (!Run)
        continue;
      if (!RunTemplate)
        RunTemplate = *Run;
      // Old index -> new index, for this run's artifacts and rules.
      std::vector<int64_t> ArtifactMap, RuleMap;
      if (const llvm::json::Array *RunArtifacts = Run->getArray("artifacts"))
        for (const llvm::json::Value &Artifact : *RunArtifacts) {
          std::string Uri;
          if (const llvm::json::Object *A = Artifact.getAsObject())
            if (const llvm::json::Object *Location = A->getObject("location"))
              Uri = Location->getString("uri").value_or("").str();
          auto [It, New] = ArtifactIndex.try_emplace(Uri, Artifacts.size());
          if (New) {
            llvm::json::Value Copy = Artifact;
            if (auto *Location = Copy.getAsObject()->getObject("location"))
              (*Location)["index"] = It->second;
            Artifacts.push_back(std::move(Copy));
          }
          ArtifactMap.push_back(It->second);
        }
      const llvm::json::Object *Tool = Run->getObject("tool");
      const llvm::json::Object *RunDriver = Tool ? Tool->getObject("driver") : nullptr;
      if (RunDriver && !Driver)
        Driver = *RunDriver;
      if (const llvm::json::Array *RunRules = RunDriver ? RunDriver->getArray("rules") : nullptr)
        for (const llvm::json::Value &Rule : *RunRules) {
          std::string Id;
          if (const llvm::json::Object *R = Rule.getAsObject())
            Id = R->getString("id").value_or("").str();
          auto [It, New] = RuleIndex.try_emplace(Id, Rules.size());
          if (New)
            Rules.push_back(Rule);
          RuleMap.push_back(It->second);
        }
      // Renumbers every artifactLocation.index below a result (locations, related
      // locations, fixes).
      std::function<void(llvm::json::Value &)> Renumber = [&](llvm::json::Value &V) {
        if (llvm::json::Object *O = V.getAsObject()) {
          for (auto &[Key, Child] : *O) {
            if (Key == "artifactLocation")
              if (llvm::json::Object *Location = Child.getAsObject())
                if (std::optional<int64_t> I = Location->getInteger("index"))
                  if (*I >= 0 && size_t(*I) < ArtifactMap.size())
                    (*Location)["index"] = ArtifactMap[*I];
            Renumber(Child);
          }
        } else if (llvm::json::Array *A = V.getAsArray()) {
          for (llvm::json::Value &Child : *A)
            Renumber(Child);
        }
      };
      if (const llvm::json::Array *RunResults = Run->getArray("results"))
        for (const llvm::json::Value &ResultValue : *RunResults) {
          llvm::json::Value Result = ResultValue;
          llvm::json::Object *R = Result.getAsObject();
          if (!R)
            continue;
          Renumber(Result);
          if (std::optional<int64_t> I = R->getInteger("ruleIndex"))
            if (*I >= 0 && size_t(*I) < RuleMap.size())
              (*R)["ruleIndex"] = RuleMap[*I];
          // The same header finding comes from every shard that includes it. Its level
          // is not part of its identity: the copy kept is an error when any shard
          // promoted it, whatever the order of the logs.
          std::optional<llvm::json::Value> Level;
          if (const llvm::json::Value *L = R->get("level"))
            Level = *L;
          R->erase("level");
          std::string Identity = llvm::formatv("{0}", llvm::json::Value(Result)).str();
          auto [Seen, New] = ResultIndex.try_emplace(Identity, Results.size());
          if (New) {
            if (Level)
              (*R)["level"] = std::move(*Level);
            Results.push_back(std::move(Result));
          } else if (Level && Level->getAsString() == "error") {
            (*Results[Seen->second].getAsObject())["level"] = "error";
          }
        }
    }
  }

  llvm::json::Object Run = RunTemplate ? *RunTemplate : llvm::json::Object{};
  Run["artifacts"] = std::move(Artifacts);
  Run["results"] = std::move(Results);
  if (Driver) {
    (*Driver)["rules"] = std::move(Rules);
    Run["tool"] = llvm::json::Object{{"driver", std::move(*Driver)}};
  }
  Root["runs"] = llvm::json::Array{std::move(Run)};
  return llvm::json::Value(std::move(Root));
}

} // namespace untangle
