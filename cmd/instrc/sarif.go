package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/format"
)

// sarifInformationURI is where code scanning links the tool's name.
const sarifInformationURI = "https://github.com/instrc/instrc"

// sarifHelpBase is the diagnostics reference; each rule's helpUri is its
// section (docs/diagnostics.md, one "## `code`" heading per code).
const sarifHelpBase = "https://github.com/instrc/instrc/blob/main/docs/diagnostics.md#"

// fingerprintKey names instrc's partial fingerprint of a result.
const fingerprintKey = "instrcDiagnostic/v1"

// writeSARIF prints diagnostics as a SARIF 2.1.0 log, the format GitHub code
// scanning (and most CI dashboards) read: one rule per diagnostic code with
// its help text, one result per diagnostic, and a fix wherever the
// diagnostic carries a replacement.
func writeSARIF(w io.Writer, ds diag.Diagnostics, srcs diag.Sources) error {
	driver := sarif.NewToolComponent().
		WithName("instrc").
		WithInformationURI(sarifInformationURI).
		WithVersion(version())
	driver.Language = "en-US"
	index := map[string]int{}
	for i, r := range diag.Rules {
		index[r.Code] = i
		driver.AddRule(sarifRule(r))
	}
	run := sarif.NewRun().WithTool(sarif.NewTool().WithDriver(driver))
	run.Language = "en-US"
	// Columns count characters (runes), as in every other output of lint.
	run.WithColumnKind("unicodeCodePoints")
	run.Results = []*sarif.Result{}
	seen := map[string]int{}
	for _, d := range ds {
		i, ok := index[d.Code]
		if !ok {
			// A code that is no rule (a config problem, say) still shows up,
			// under a rule of its own.
			i = len(driver.Rules)
			index[d.Code] = i
			driver.AddRule(sarifRule(diag.Rule{Code: d.Code, Severity: d.Severity, Summary: d.Code}))
		}
		res := sarifResult(d, i, srcs[d.Range.Filename])
		fp := fingerprint(d, srcs[d.Range.Filename])
		seen[fp]++
		res.PartialFingerprints = map[string]string{fingerprintKey: fmt.Sprintf("%s:%d", fp, seen[fp])}
		run.AddResult(res)
	}
	report := sarif.NewReport().AddRun(run)
	var buf bytes.Buffer
	if err := report.Write(&buf); err != nil {
		return err
	}
	out, err := dropUnset(buf.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(diag.EscapeControls(append(out, '\n')))
	return err
}

// dropUnset removes the -1 that go-sarif writes for the indexes and offsets
// it was not given (artifact index, location id, byte and char offsets,
// rank): -1 means "not set" in its Go types, but in a SARIF log a property
// that is not known is left out.
func dropUnset(js []byte) ([]byte, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, e := range x {
				if n, ok := e.(json.Number); ok && n == "-1" {
					delete(x, k)
					continue
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(out.Bytes(), "\n"), nil
}

// fingerprint identifies a diagnostic across commits without its line
// number, so that code scanning keeps tracking an alert when lines above it
// move: the code, the file, the flagged text and its source line. Equal
// fingerprints in one file are told apart by their order (":1", ":2").
func fingerprint(d diag.Diagnostic, src *diag.Source) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", d.Code, filepath.ToSlash(relPath(d.Range.Filename)))
	if src != nil {
		if start, end, ok := src.LineSpan(d.Range.Start.Line); ok {
			h.Write(bytes.TrimSpace(src.Text[start:end]))
		}
		h.Write([]byte{0})
		a, b := d.Range.Start.Offset, d.Range.End.Offset
		if a >= 0 && a <= b && b <= len(src.Text) {
			h.Write(src.Text[a:b])
		}
	} else {
		h.Write([]byte(d.Message))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func sarifRule(r diag.Rule) *sarif.ReportingDescriptor {
	help := ruleHelp[r.Code]
	if help == "" {
		help = r.Summary
	}
	return sarif.NewRule(r.Code).
		WithName(ruleName(r.Code)).
		WithShortDescription(sarif.NewMultiformatMessageString().WithText(r.Summary)).
		WithFullDescription(sarif.NewMultiformatMessageString().WithText(r.Summary + " " + plainHelp(help))).
		WithHelp(sarif.NewMultiformatMessageString().WithText(plainHelp(help)).WithMarkdown(help)).
		WithHelpURI(sarifHelpBase + r.Code).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(r.Severity)))
}

// ruleName turns a code into the PascalCase name SARIF viewers show. A
// name must differ from the rule's id (SARIF 3.49.7; the SARIF Multitool
// reports SARIF1001 otherwise, ignoring case), so a code of one word gets
// "Problem" after it: syntax is SyntaxProblem.
func ruleName(code string) string {
	var b strings.Builder
	for _, part := range strings.Split(code, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	if strings.EqualFold(b.String(), code) {
		b.WriteString("Problem")
	}
	return b.String()
}

// plainHelp drops the Markdown backquotes for viewers that show text only.
func plainHelp(s string) string { return strings.ReplaceAll(s, "`", "") }

func sarifLevel(s diag.Severity) string {
	if s == diag.Warning {
		return "warning"
	}
	return "error"
}

func sarifRegion(r diag.Range) *sarif.Region {
	end := r.End
	if end.Line < r.Start.Line || (end.Line == r.Start.Line && end.Column <= r.Start.Column) {
		end = diag.Pos{Line: r.Start.Line, Column: r.Start.Column + 1}
	}
	if r.Start.Line < 1 {
		return sarif.NewRegion().WithStartLine(1).WithStartColumn(1)
	}
	return sarif.NewRegion().
		WithStartLine(r.Start.Line).WithStartColumn(max(r.Start.Column, 1)).
		WithEndLine(end.Line).WithEndColumn(max(end.Column, 1))
}

func sarifResult(d diag.Diagnostic, ruleIndex int, src *diag.Source) *sarif.Result {
	uri := sarifURI(d.Range.Filename)
	loc := sarif.NewArtifactLocation().WithURI(uri)
	if !strings.Contains(uri, ":") {
		loc.WithURIBaseID("%SRCROOT%")
	}
	res := sarif.NewRuleResult(d.Code).
		WithRuleIndex(ruleIndex).
		WithLevel(sarifLevel(d.Severity)).
		WithMessage(sarif.NewTextMessage(d.Message)).
		AddLocation(sarif.NewLocationWithPhysicalLocation(
			sarif.NewPhysicalLocation().WithArtifactLocation(loc).WithRegion(sarifRegion(d.Range))))
	if d.Suggestion != "" {
		replacement := d.Suggestion
		if src != nil {
			replacement = format.Replacement(src.Text, d)
		}
		change := sarif.NewArtifactChange().
			WithArtifactLocation(loc).
			AddReplacement(sarif.NewReplacement().
				WithDeletedRegion(sarifRegion(d.Range)).
				WithInsertedContent(sarif.NewArtifactContent().WithText(replacement)))
		res.AddFixe(sarif.NewFix().
			WithDescription(sarif.NewTextMessage("Replace with " + replacement)).
			AddArtifactChange(change))
	}
	return res
}

// sarifURI makes a file name into the URI SARIF wants: relative to the
// current folder (the repository root in CI) when possible, with forward
// slashes and escaped; else an absolute file URI.
func sarifURI(name string) string {
	if name == "" {
		return "unknown"
	}
	p := relPath(name)
	if filepath.IsAbs(p) {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String()
	}
	return (&url.URL{Path: filepath.ToSlash(filepath.Clean(p))}).String()
}

// relPath returns name relative to the current folder when it lies below
// it: CI runs lint at the repository root, and code scanning and annotations
// want paths from there.
func relPath(name string) string {
	if !filepath.IsAbs(name) {
		return name
	}
	wd, err := os.Getwd()
	if err != nil {
		return name
	}
	rel, err := filepath.Rel(wd, name)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return name
	}
	return rel
}
