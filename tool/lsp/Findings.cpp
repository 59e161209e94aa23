//===--- Findings.cpp - what one analysis of a document tells the editor -===//

#include "lsp/Findings.h"

namespace json = llvm::json;
namespace lsp = llvm::lsp;

namespace untangle {

json::Value ownedCopy(const json::Value &Value) {
  if (std::optional<llvm::StringRef> String = Value.getAsString())
    return String->str();
  if (const json::Array *Array = Value.getAsArray()) {
    json::Array Copy;
    for (const json::Value &Element : *Array)
      Copy.push_back(ownedCopy(Element));
    return Copy;
  }
  if (const json::Object *Object = Value.getAsObject()) {
    json::Object Copy;
    for (const auto &[Key, Element] : *Object)
      Copy[Key.str()] = ownedCopy(Element);
    return Copy;
  }
  return Value;
}

json::Value toJSON(const OpenDocument &Document) {
  return json::Object{
      {"path", Document.Path}, {"uri", Document.URI}, {"text", Document.Text}};
}

bool fromJSON(const json::Value &Value, OpenDocument &Document, json::Path Path) {
  json::ObjectMapper Map(Value, Path);
  return Map && Map.map("path", Document.Path) && Map.map("uri", Document.URI) &&
         Map.map("text", Document.Text);
}

json::Value toJSON(const Finding &F) {
  return json::Object{{"diagnostic", F.Diagnostic},
                      {"title", F.ActionTitle},
                      {"edits", json::Object(F.Edits)}};
}

bool fromJSON(const json::Value &Value, Finding &F, json::Path Path) {
  json::ObjectMapper Map(Value, Path);
  const json::Object *Object = Value.getAsObject();
  if (!Map || !Map.map("title", F.ActionTitle))
    return false;
  const json::Object *Diagnostic = Object->getObject("diagnostic");
  const json::Object *Edits = Object->getObject("edits");
  if (!Diagnostic || !Edits || !Diagnostic->get("range") ||
      !lsp::fromJSON(*Diagnostic->get("range"), F.Range, Path.field("diagnostic"))) {
    Path.report("expected a diagnostic with a range, and edits");
    return false;
  }
  F.Diagnostic = json::Object(*Diagnostic);
  F.Edits = *Edits;
  return true;
}

Finding documentProblem(std::string Message, lsp::DiagnosticSeverity Severity) {
  lsp::Diagnostic Diagnostic;
  Diagnostic.range = lsp::Range(lsp::Position(0, 0), lsp::Position(0, 1));
  Diagnostic.severity = Severity;
  Diagnostic.source = "untangle";
  Diagnostic.message = std::move(Message);
  Finding Result;
  Result.Range = Diagnostic.range;
  Result.Diagnostic = ownedCopy(lsp::toJSON(Diagnostic));
  return Result;
}

json::Value toJSON(const AnalysisRequest &Request) {
  json::Array Documents;
  for (const OpenDocument &Document : Request.Documents)
    Documents.push_back(toJSON(Document));
  return json::Object{{"documents", std::move(Documents)},
                      {"main", static_cast<int64_t>(Request.Main)}};
}

bool fromJSON(const json::Value &Value, AnalysisRequest &Request, json::Path Path) {
  json::ObjectMapper Map(Value, Path);
  uint64_t Main = 0;
  if (!Map || !Map.map("documents", Request.Documents) || !Map.map("main", Main))
    return false;
  if (Main >= Request.Documents.size()) {
    Path.field("main").report("not one of the documents");
    return false;
  }
  Request.Main = Main;
  return true;
}

json::Value toJSON(const AnalysisReply &Reply) {
  json::Array Findings;
  for (const Finding &F : Reply.Findings)
    Findings.push_back(toJSON(F));
  return json::Object{{"findings", std::move(Findings)},
                      {"dependencies", Reply.Dependencies},
                      {"keepsPreamble", Reply.KeepsPreamble},
                      {"early", Reply.Early}};
}

bool fromJSON(const json::Value &Value, AnalysisReply &Reply, json::Path Path) {
  json::ObjectMapper Map(Value, Path);
  return Map && Map.map("findings", Reply.Findings) &&
         Map.map("dependencies", Reply.Dependencies) &&
         Map.map("keepsPreamble", Reply.KeepsPreamble) && Map.map("early", Reply.Early);
}

} // namespace untangle
