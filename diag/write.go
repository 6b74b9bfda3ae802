package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Sources finds the text of a file by name, for printing source lines.
type Sources map[string]*Source

// WriteText prints diagnostics the way compilers do:
//
//	file:line:col: severity: message [code]
//	    source line
//	    ^^^^
//
// The caret line marks the diagnostic's range on its first line. Tabs in
// the source line are kept in the caret line so that the marks line up.
func WriteText(w io.Writer, ds Diagnostics, srcs Sources) error {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%s:%d:%d: %s: %s [%s]\n", d.Range.Filename, d.Range.Start.Line, d.Range.Start.Column, d.Severity, d.Message, d.Code)
		src := srcs[d.Range.Filename]
		if src == nil {
			continue
		}
		line := src.Line(d.Range.Start.Line)
		if line == "" && d.Range.Start.Line > src.LineCount() {
			continue
		}
		b.WriteString("    ")
		b.WriteString(line)
		b.WriteString("\n    ")
		b.WriteString(caret(line, d.Range))
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// caret returns the marker line for r under line.
func caret(line string, r Range) string {
	startCol := r.Start.Column
	endCol := r.End.Column
	if r.End.Line != r.Start.Line {
		endCol = utf8.RuneCountInString(line) + 1
	}
	if endCol <= startCol {
		endCol = startCol + 1
	}
	var b strings.Builder
	col := 1
	for _, c := range line {
		if col >= startCol {
			break
		}
		if c == '\t' {
			b.WriteRune('\t')
		} else {
			b.WriteByte(' ')
		}
		col++
	}
	for ; col < startCol; col++ {
		b.WriteByte(' ')
	}
	b.WriteString(strings.Repeat("^", endCol-startCol))
	return b.String()
}

// JSONDiagnostic is one entry of the JSON output contract.
type JSONDiagnostic struct {
	File       string `json:"file"`
	Line       int    `json:"line"`
	Column     int    `json:"column"`
	EndLine    int    `json:"endLine"`
	EndColumn  int    `json:"endColumn"`
	Severity   string `json:"severity"`
	Code       string `json:"code"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion"`
}

// JSONReport is the top-level object printed by `--format json`.
type JSONReport struct {
	Diagnostics []JSONDiagnostic `json:"diagnostics"`
}

// ToJSON converts diagnostics to the JSON output contract.
func ToJSON(ds Diagnostics) JSONReport {
	r := JSONReport{Diagnostics: make([]JSONDiagnostic, 0, len(ds))}
	for _, d := range ds {
		r.Diagnostics = append(r.Diagnostics, JSONDiagnostic{
			File: d.Range.Filename, Line: d.Range.Start.Line, Column: d.Range.Start.Column,
			EndLine: d.Range.End.Line, EndColumn: d.Range.End.Column,
			Severity: d.Severity.String(), Code: d.Code, Message: d.Message, Suggestion: d.Suggestion,
		})
	}
	return r
}

// WriteJSON prints the JSON output contract, indented.
func WriteJSON(w io.Writer, ds Diagnostics) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(ToJSON(ds))
}
