//===--- HtmlOutput.cpp - the HTML report ---------------------------------===//
//
// One page for people rather than machines: summaries per rule and per file, then every
// finding with its source, its notes next to it (for a race: the other access and the
// spawn sites) and its fix as a side-by-side diff (for a pyramid: the rewritten
// coroutine).
//
// The page is self-contained so that it can be kept as a CI artifact or mailed: the
// style and the script are inline, and its Content-Security-Policy refuses every
// external load, so a reference that slips in shows as an error instead of working only
// while online. Everything taken from the sources or the diagnostics is HTML-escaped.
//
//===----------------------------------------------------------------------===//

#include "reports/Output.h"
#include "clang/Tooling/Core/Replacement.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

using namespace clang;
using namespace clang::tidy;

namespace untangle {

namespace {

/// Lines shown above and below a finding or a note.
constexpr unsigned ExcerptContext = 2;
/// Unchanged lines shown around the changed ones of a fix.
constexpr unsigned DiffContext = 2;
/// Beyond this many cells, the line diff of a hunk is not searched for common lines;
/// the hunk is shown as replaced as a whole. Fixes are far smaller.
constexpr size_t MaxDiffCells = size_t(1) << 22;

void escaped(llvm::raw_ostream &OS, llvm::StringRef Text) {
  llvm::printHTMLEscaped(Text, OS);
}

/// A source file as read back for the report, cut into lines.
struct SourceFile {
  std::string Path;
  llvm::StringRef Text;
  /// Offset of the first character of each line; lines are numbered from 0 here.
  std::vector<unsigned> LineStarts;

  unsigned lineCount() const { return LineStarts.size(); }
  unsigned lineOf(unsigned Offset) const {
    return std::upper_bound(LineStarts.begin(), LineStarts.end(), Offset) -
           LineStarts.begin() - 1;
  }
  unsigned lineEnd(unsigned Line) const {
    return Line + 1 < LineStarts.size() ? LineStarts[Line + 1] : Text.size();
  }
  /// Without its line break.
  llvm::StringRef line(unsigned Line) const {
    return Text.slice(LineStarts[Line], lineEnd(Line)).rtrim("\r\n");
  }
};

std::vector<unsigned> lineStartsOf(llvm::StringRef Text) {
  std::vector<unsigned> Starts{0};
  for (size_t I = 0; I < Text.size(); ++I)
    if (Text[I] == '\n' && I + 1 < Text.size())
      Starts.push_back(I + 1);
  return Starts;
}

/// Reads each file once, through SourceLocations (whose buffers outlive the report).
class SourceFiles {
public:
  explicit SourceFiles(SourceLocations &Locations) : Locations(Locations) {}

  /// Null when the file cannot be read any more.
  const SourceFile *get(llvm::StringRef File, llvm::StringRef BuildDirectory) {
    if (File.empty())
      return nullptr;
    std::string Path = Locations.absolutePath(File, BuildDirectory);
    auto [It, Inserted] = Files.try_emplace(Path);
    if (Inserted) {
      SourceLocation Start = Locations.locate(File, BuildDirectory, 0);
      if (Start.isValid()) {
        const SourceManager &SM = Locations.sourceManager();
        llvm::StringRef Text = SM.getBufferData(SM.getFileID(Start));
        It->second = SourceFile{Path, Text, lineStartsOf(Text)};
      }
    }
    return It->second.Path.empty() ? nullptr : &It->second;
  }

private:
  SourceLocations &Locations;
  std::map<std::string, SourceFile> Files;
};

/// Where a finding or a note points.
struct Place {
  const SourceFile *File = nullptr;
  std::string Path; // absolute; empty for a finding without a file
  unsigned Offset = 0;
  unsigned Line = 0, Column = 0; // 0-based; valid only with File
  bool PastTheEnd = false;       // the file is readable but shorter than Offset
};

Place placeOf(SourceFiles &Files, llvm::StringRef File, unsigned Offset,
              llvm::StringRef BuildDirectory, SourceLocations &Locations) {
  Place P;
  if (File.empty())
    return P;
  P.Path = Locations.absolutePath(File, BuildDirectory);
  P.Offset = Offset;
  P.File = Files.get(File, BuildDirectory);
  // A file edited since the analysis may be shorter than the finding's offset.
  if (P.File && Offset > P.File->Text.size()) {
    P.File = nullptr;
    P.PastTheEnd = true;
  }
  if (P.File) {
    P.Line = P.File->lineOf(Offset);
    P.Column = Offset - P.File->LineStarts[P.Line];
  }
  return P;
}

std::string displayName(const Place &P) {
  std::string Name = llvm::sys::path::filename(P.Path).str();
  if (P.File)
    Name += ":" + std::to_string(P.Line + 1) + ":" + std::to_string(P.Column + 1);
  return Name;
}

/// One source line as a table row; \p Column (if any) marks the token a diagnostic
/// points at.
void writeSourceRow(llvm::raw_ostream &OS, unsigned Number, llvm::StringRef Text,
                    std::optional<unsigned> Column) {
  OS << "<tr" << (Column ? " class=\"at\"" : "") << "><td class=\"ln\">" << Number
     << "</td><td class=\"code\">";
  if (!Column || *Column > Text.size()) {
    escaped(OS, Text);
  } else {
    size_t End = *Column + markedTokenLength(Text, *Column);
    escaped(OS, Text.take_front(*Column));
    OS << "<mark>";
    escaped(OS, Text.slice(*Column, End));
    OS << "</mark>";
    escaped(OS, Text.drop_front(End));
  }
  OS << "</td></tr>\n";
}

/// A finding's or a note's location: what it says, where, and the lines around it.
void writeLocation(llvm::raw_ostream &OS, const Place &P, llvm::StringRef Kind,
                   llvm::StringRef Message) {
  OS << "<figure class=\"location " << Kind
     << "\"><figcaption><span class=\"where\" title=\"";
  escaped(OS, P.Path);
  OS << "\">";
  escaped(OS, displayName(P));
  OS << "</span> <span class=\"what\">";
  escaped(OS, Message);
  OS << "</span></figcaption>\n";
  if (P.File) {
    unsigned First = P.Line >= ExcerptContext ? P.Line - ExcerptContext : 0;
    unsigned Last = std::min(P.Line + ExcerptContext, P.File->lineCount() - 1);
    OS << "<table class=\"src\">\n";
    for (unsigned Line = First; Line <= Last; ++Line)
      writeSourceRow(OS, Line + 1, P.File->line(Line),
                     Line == P.Line ? std::optional<unsigned>(P.Column) : std::nullopt);
    OS << "</table>\n";
  } else if (P.PastTheEnd) {
    OS << "<p class=\"unreadable\">the file is now shorter than this location (edited "
          "since the analysis?)</p>\n";
  } else if (!P.Path.empty()) {
    OS << "<p class=\"unreadable\">the source can no longer be read</p>\n";
  }
  OS << "</figure>\n";
}

/// A row of a side-by-side diff: a line index on either side, or none (an empty cell).
struct DiffRow {
  std::optional<unsigned> Old, New;
  bool Changed;
};

/// Aligns \p Old and \p New on their longest common subsequence of lines; removed and
/// added lines between two common ones face each other, as in a split diff view.
std::vector<DiffRow> sideBySide(llvm::ArrayRef<llvm::StringRef> Old,
                                llvm::ArrayRef<llvm::StringRef> New) {
  const size_t N = Old.size(), M = New.size();
  // Common[I * (M + 1) + J]: length of the LCS of Old[I..] and New[J..].
  std::vector<unsigned> Common;
  if ((N + 1) * (M + 1) <= MaxDiffCells) {
    Common.assign((N + 1) * (M + 1), 0);
    for (size_t I = N; I-- > 0;)
      for (size_t J = M; J-- > 0;)
        Common[I * (M + 1) + J] =
            Old[I] == New[J]
                ? Common[(I + 1) * (M + 1) + J + 1] + 1
                : std::max(Common[(I + 1) * (M + 1) + J], Common[I * (M + 1) + J + 1]);
  }
  auto LCS = [&](size_t I, size_t J) {
    return Common.empty() ? 0u : Common[I * (M + 1) + J];
  };

  std::vector<DiffRow> Rows;
  std::vector<unsigned> Removed, Added;
  auto Flush = [&] {
    for (size_t K = 0; K < std::max(Removed.size(), Added.size()); ++K) {
      DiffRow Row{std::nullopt, std::nullopt, true};
      if (K < Removed.size())
        Row.Old = Removed[K];
      if (K < Added.size())
        Row.New = Added[K];
      Rows.push_back(Row);
    }
    Removed.clear();
    Added.clear();
  };
  size_t I = 0, J = 0;
  while (I < N || J < M) {
    if (I < N && J < M && Old[I] == New[J] && LCS(I, J) == LCS(I + 1, J + 1) + 1) {
      Flush();
      Rows.push_back({unsigned(I++), unsigned(J++), false});
    } else if (I < N && (J == M || LCS(I + 1, J) >= LCS(I, J + 1))) {
      Removed.push_back(I++);
    } else {
      Added.push_back(J++);
    }
  }
  Flush();
  return Rows;
}

llvm::SmallVector<llvm::StringRef, 0> linesOf(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n');
  if (!Lines.empty() && Lines.back().empty())
    Lines.pop_back();
  for (llvm::StringRef &Line : Lines)
    Line = Line.rtrim('\r');
  return Lines;
}

void writeDiffCell(llvm::raw_ostream &OS, llvm::ArrayRef<llvm::StringRef> Lines,
                   std::optional<unsigned> Index, unsigned FirstNumber,
                   llvm::StringRef ChangedClass, bool Changed) {
  if (!Index) {
    OS << "<td class=\"ln\"></td><td class=\"code empty\"></td>";
    return;
  }
  OS << "<td class=\"ln\">" << FirstNumber + *Index << "</td><td class=\"code"
     << (Changed ? " " + ChangedClass.str() : "") << "\">";
  escaped(OS, Lines[*Index]);
  OS << "</td>";
}

/// The replacements of one file, applied in memory and shown per hunk: the original
/// lines of each replaced region (whole lines, with some context) next to the
/// rewritten ones.
void writeFileDiff(llvm::raw_ostream &OS, const SourceFile &File,
                   const tooling::Replacements &Replacements) {
  OS << "<div class=\"diff-file\" title=\"";
  escaped(OS, File.Path);
  OS << "\">";
  escaped(OS, llvm::sys::path::filename(File.Path));
  OS << "</div>\n";
  // Reports merged later (--merge) may name a file edited since: a replacement past its
  // end cannot be shown (clang's rewriter would not check, it assumes a valid range).
  for (const tooling::Replacement &R : Replacements)
    if (R.getOffset() > File.Text.size() || R.getLength() > File.Text.size() - R.getOffset()) {
      OS << "<p class=\"unreadable\">the fix does not apply to the file as it is now: "
            "it reaches past the end of the file (edited since the analysis?)</p>\n";
      return;
    }
  llvm::Expected<std::string> Rewritten =
      tooling::applyAllReplacements(File.Text, Replacements);
  if (!Rewritten) {
    OS << "<p class=\"unreadable\">the fix does not apply to the file as it is now: ";
    escaped(OS, llvm::toString(Rewritten.takeError()));
    OS << "</p>\n";
    return;
  }

  // Hunks: line ranges of the original, each replacement widened by the context and
  // merged with the previous one when they touch. Replacements come sorted by offset.
  struct Hunk {
    unsigned FirstLine, LastLine;
    int Growth = 0; // how much longer the hunk's text becomes
  };
  std::vector<Hunk> Hunks;
  for (const tooling::Replacement &R : Replacements) {
    unsigned First = File.lineOf(R.getOffset());
    unsigned Last =
        R.getLength() ? File.lineOf(R.getOffset() + R.getLength() - 1) : First;
    First = First >= DiffContext ? First - DiffContext : 0;
    Last = std::min(Last + DiffContext, File.lineCount() - 1);
    int Growth = int(R.getReplacementText().size()) - int(R.getLength());
    if (!Hunks.empty() && First <= Hunks.back().LastLine + 1) {
      Hunks.back().LastLine = std::max(Hunks.back().LastLine, Last);
      Hunks.back().Growth += Growth;
    } else {
      Hunks.push_back({First, Last, Growth});
    }
  }

  OS << "<table class=\"diff\"><colgroup><col class=\"ln\"><col><col class=\"ln\"><col>"
        "</colgroup><thead><tr><th colspan=\"2\">before</th><th colspan=\"2\">after</th>"
        "</tr></thead>\n";
  // What the hunks before this one added: where the hunk starts in the rewritten file.
  int Shift = 0;
  for (const Hunk &H : Hunks) {
    unsigned Begin = File.LineStarts[H.FirstLine], End = File.lineEnd(H.LastLine);
    llvm::StringRef Before = File.Text.slice(Begin, End);
    llvm::StringRef After =
        llvm::StringRef(*Rewritten).slice(Begin + Shift, End + Shift + H.Growth);
    unsigned AfterFirstLine =
        llvm::StringRef(*Rewritten).take_front(Begin + Shift).count('\n');
    Shift += H.Growth;

    llvm::SmallVector<llvm::StringRef, 0> OldLines = linesOf(Before),
                                          NewLines = linesOf(After);
    OS << "<tbody class=\"hunk\">\n";
    for (const DiffRow &Row : sideBySide(OldLines, NewLines)) {
      OS << "<tr>";
      writeDiffCell(OS, OldLines, Row.Old, H.FirstLine + 1, "del", Row.Changed);
      writeDiffCell(OS, NewLines, Row.New, AfterFirstLine + 1, "add", Row.Changed);
      OS << "</tr>\n";
    }
    OS << "</tbody>\n";
  }
  OS << "</table>\n";
}

void writeFix(llvm::raw_ostream &OS, const ClangTidyError &Error, SourceFiles &Files) {
  if (Error.Message.Fix.empty())
    return;
  // StringMap iterates in hash order; files in path order keep reports comparable.
  std::vector<std::pair<std::string, const tooling::Replacements *>> ByFile;
  for (const auto &[File, Replacements] : Error.Message.Fix)
    ByFile.emplace_back(File.str(), &Replacements);
  llvm::sort(ByFile);
  OS << "<details class=\"fix\" open><summary>Suggested fix</summary>\n";
  for (const auto &[File, Replacements] : ByFile) {
    if (const SourceFile *Source = Files.get(File, Error.BuildDirectory)) {
      writeFileDiff(OS, *Source, *Replacements);
      continue;
    }
    OS << "<p class=\"unreadable\">";
    escaped(OS, File);
    OS << " can no longer be read</p>\n";
  }
  OS << "</details>\n";
}

constexpr llvm::StringLiteral Style = R"css(
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg-soft: #f6f8fa;
        --warn: #9a6700; --err: #cf222e; --del: #ffebe9; --add: #dafbe1;
        --mark: #fff8c5; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 110rem; padding: 1rem 2rem 3rem; color: var(--fg);
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { margin: .2rem 0; font-size: 1.6rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; padding-bottom: .2rem;
     border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
h3 { font-size: 1rem; margin: 0 0 .6rem; font-weight: 600; }
a { color: #0969da; text-decoration: none; }
a:hover { text-decoration: underline; }
code, .code, .where, .diff-file {
  font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
.meta, .check, .unreadable, .where { color: var(--muted); }
#summary { display: flex; flex-wrap: wrap; gap: 2rem; }
#summary section { flex: 1 1 24rem; }
table.summary { border-collapse: collapse; width: 100%; }
table.summary th, table.summary td { text-align: left; padding: .25rem .6rem;
                                     border-bottom: 1px solid var(--line); }
table.summary td.count { text-align: right; font-variant-numeric: tabular-nums; }
table.summary .links a { margin-right: .4rem; }
.toolbar { margin: 1.5rem 0 0; display: flex; gap: 1rem; align-items: center; }
article.finding { border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem;
                  margin: 0 0 1rem; }
.severity { text-transform: uppercase; font-size: .75rem; padding: .05rem .4rem;
            border-radius: 1rem; border: 1px solid currentColor; }
.warning .severity { color: var(--warn); }
.error .severity { color: var(--err); }
.remark .severity { color: var(--muted); }
.locations { display: grid; gap: .8rem;
              grid-template-columns: repeat(auto-fit, minmax(19rem, 1fr)); }
figure.location { margin: 0; border: 1px solid var(--line); border-radius: 6px;
                  overflow-x: auto; }
figure.location.main { border-color: #d4a72c; }
figcaption { background: var(--bg-soft); padding: .3rem .6rem;
             border-bottom: 1px solid var(--line); }
table.src, table.diff { border-collapse: collapse; width: 100%; }
table.src td, table.diff td { vertical-align: top; }
td.code { white-space: pre; tab-size: 4; padding: 0 .6rem; overflow-wrap: normal; }
td.ln { color: var(--muted); text-align: right; padding: 0 .5rem; width: 1%;
        user-select: none; font: 12px ui-monospace, monospace;
        background: var(--bg-soft); }
tr.at td.code { background: var(--mark); }
mark { background: #ffd33d; border-radius: 2px; }
details.fix { margin-top: .8rem; }
details.fix summary { cursor: pointer; font-weight: 600; margin-bottom: .4rem; }
.diff-file { margin: .4rem 0 .2rem; }
/* Both sides get half the width; long lines wrap rather than hide the rewrite. */
table.diff { table-layout: fixed; border: 1px solid var(--line); }
table.diff col.ln { width: 3.5rem; }
table.diff th { text-align: left; padding: .2rem .6rem; font-weight: 600;
                background: var(--bg-soft); }
table.diff td.code { white-space: pre-wrap; overflow-wrap: anywhere; }
table.diff tbody.hunk + tbody.hunk { border-top: 2px dashed var(--line); }
td.del { background: var(--del); }
td.add { background: var(--add); }
td.empty { background: var(--bg-soft); }
)css";

// Filtering by rule; the page is complete without it. It marks <body data-ready> once
// it ran, which tests wait for.
constexpr llvm::StringLiteral Script = R"js(
(function () {
  'use strict';
  var select = document.getElementById('rule-filter');
  var findings = Array.prototype.slice.call(document.querySelectorAll('article.finding'));
  var files = Array.prototype.slice.call(document.querySelectorAll('section.file'));
  var shown = document.getElementById('shown');
  function apply() {
    var rule = select.value, count = 0;
    findings.forEach(function (finding) {
      finding.hidden = rule !== '' && finding.dataset.check !== rule;
      if (!finding.hidden) count++;
    });
    files.forEach(function (file) {
      file.hidden = !file.querySelector('article.finding:not([hidden])');
    });
    shown.textContent = count + ' of ' + findings.length + ' findings shown';
  }
  select.addEventListener('change', apply);
  document.querySelectorAll('#rules button[data-rule]').forEach(function (button) {
    button.addEventListener('click', function () {
      select.value = button.dataset.rule;
      apply();
      document.getElementById('findings').scrollIntoView();
    });
  });
  apply();
  document.body.dataset.ready = 'true';
})();
)js";

} // namespace

void writeHtml(llvm::ArrayRef<ClangTidyError> Errors,
               llvm::ArrayRef<std::string> EnabledChecks, SourceLocations &Locations,
               llvm::raw_ostream &OS) {
  SourceFiles Files(Locations);

  // Findings grouped by file (path order; findings without a file last), in source
  // order within a file; numbered in that order.
  struct Finding {
    const ClangTidyError *Error;
    Place Where;
    unsigned Number = 0;
  };
  std::vector<Finding> Findings;
  for (const ClangTidyError &Error : Errors)
    Findings.push_back({&Error,
                        placeOf(Files, Error.Message.FilePath, Error.Message.FileOffset,
                                Error.BuildDirectory, Locations),
                        unsigned(Findings.size())});
  // Ties keep the order of the analysis (Number is still the index).
  llvm::sort(Findings, [](const Finding &A, const Finding &B) {
    if (A.Where.Path.empty() != B.Where.Path.empty())
      return B.Where.Path.empty();
    return std::tie(A.Where.Path, A.Where.Offset, A.Number) <
           std::tie(B.Where.Path, B.Where.Offset, B.Number);
  });
  for (size_t Index = 0; Index < Findings.size(); ++Index)
    Findings[Index].Number = Index + 1;

  // Every enabled rule is listed, with or without findings; compiler diagnostics are
  // added as they appear.
  std::map<std::string, std::vector<unsigned>> PerRule;
  for (const std::string &Check : EnabledChecks)
    PerRule[Check];
  std::vector<std::pair<std::string, std::vector<const Finding *>>> PerFile;
  for (const Finding &F : Findings) {
    PerRule[F.Error->DiagnosticName].push_back(F.Number);
    if (PerFile.empty() || PerFile.back().first != F.Where.Path)
      PerFile.push_back({F.Where.Path, {}});
    PerFile.back().second.push_back(&F);
  }

  OS << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>untangle report</title>\n<style>"
     << Style << "</style>\n</head>\n<body>\n";
  OS << "<header><h1>untangle report</h1><p class=\"meta\"><span id=\"total\">"
     << Findings.size() << "</span> finding" << (Findings.size() == 1 ? "" : "s")
     << " in " << PerFile.size() << " file" << (PerFile.size() == 1 ? "" : "s")
     << " &middot; untangle " UNTANGLE_VERSION "</p></header>\n";

  OS << "<nav id=\"summary\">\n<section><h2>Per rule</h2>\n<table class=\"summary\" "
        "id=\"rules\"><thead><tr><th>rule</th><th>findings</th><th></th></tr></thead>"
        "<tbody>\n";
  for (const auto &[Check, Numbers] : PerRule) {
    OS << "<tr data-rule=\"";
    escaped(OS, Check);
    OS << "\"><td><code>";
    escaped(OS, Check);
    OS << "</code></td><td class=\"count\">" << Numbers.size()
       << "</td><td class=\"links\">";
    if (!Numbers.empty()) {
      OS << "<button type=\"button\" data-rule=\"";
      escaped(OS, Check);
      OS << "\">show only these</button> ";
    }
    for (unsigned Number : Numbers)
      OS << "<a href=\"#finding-" << Number << "\">#" << Number << "</a>";
    OS << "</td></tr>\n";
  }
  OS << "</tbody></table>\n</section>\n<section><h2>Per file</h2>\n<table "
        "class=\"summary\" id=\"files\"><thead><tr><th>file</th><th>findings</th></tr>"
        "</thead><tbody>\n";
  for (auto [Index, Group] : llvm::enumerate(PerFile)) {
    OS << "<tr data-file=\"";
    escaped(OS, Group.first);
    OS << "\"><td><a href=\"#file-" << Index + 1 << "\">";
    escaped(OS, Group.first.empty() ? "(no file)" : Group.first);
    OS << "</a></td><td class=\"count\">" << Group.second.size() << "</td></tr>\n";
  }
  OS << "</tbody></table>\n</section>\n</nav>\n";

  OS << "<main id=\"findings\">\n<div class=\"toolbar\"><label>Rule <select "
        "id=\"rule-filter\"><option value=\"\">all</option>";
  for (const auto &[Check, Numbers] : PerRule)
    if (!Numbers.empty()) {
      OS << "<option value=\"";
      escaped(OS, Check);
      OS << "\">";
      escaped(OS, Check);
      OS << "</option>";
    }
  OS << "</select></label> <span id=\"shown\"></span></div>\n";
  if (Findings.empty())
    OS << "<p id=\"no-findings\">No findings.</p>\n";

  for (auto [Index, Group] : llvm::enumerate(PerFile)) {
    OS << "<section class=\"file\" id=\"file-" << Index + 1 << "\"><h2>";
    escaped(OS, Group.first.empty() ? "(no file)" : Group.first);
    OS << "</h2>\n";
    for (const Finding *F : Group.second) {
      const ClangTidyError &Error = *F->Error;
      llvm::StringRef Severity = severityOf(Error);
      OS << "<article class=\"finding " << Severity << "\" id=\"finding-" << F->Number
         << "\" data-check=\"";
      escaped(OS, Error.DiagnosticName);
      OS << "\" data-severity=\"" << Severity << "\">\n<h3><a href=\"#finding-"
         << F->Number << "\">#" << F->Number << "</a> <span class=\"severity\">"
         << Severity << "</span> <span class=\"message\">";
      escaped(OS, Error.Message.Message);
      OS << "</span> <code class=\"check\">[";
      escaped(OS, Error.DiagnosticName);
      OS << "]</code></h3>\n";
      // The finding and its notes side by side: for a race, the access reported, the
      // conflicting one and the spawn sites; for a pyramid, its levels.
      OS << "<div class=\"locations\">\n";
      if (!F->Where.Path.empty())
        writeLocation(OS, F->Where, "main", Error.Message.Message);
      for (const tooling::DiagnosticMessage &Note : Error.Notes)
        writeLocation(OS,
                      placeOf(Files, Note.FilePath, Note.FileOffset, Error.BuildDirectory,
                              Locations),
                      "note", Note.Message);
      OS << "</div>\n";
      writeFix(OS, Error, Files);
      OS << "</article>\n";
    }
    OS << "</section>\n";
  }
  OS << "</main>\n<script>" << Script << "</script>\n</body>\n</html>\n";
}

} // namespace untangle
