package diag

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Sources finds the text of a file by name, for printing source lines.
type Sources map[string]*Source

// WholeLineRunes is the widest source line WriteText prints whole. A
// longer line (a long comment, a minified or pasted file) is shown as a
// window of WindowRunes characters around the diagnostic, with "…" where it
// is cut, so that a line of megabytes with many problems prints a few lines
// per problem, not the whole line each time.
const (
	WholeLineRunes = 240
	WindowRunes    = 160
)

// windowBefore is how many characters of a cut line are shown before the
// start of the diagnostic's range.
const windowBefore = 60

// WriteText prints diagnostics the way compilers do:
//
//	file:line:col: severity: message [code]
//	    source line
//	    ^^^^
//
// The caret line marks the diagnostic's range on its first line. Tabs in
// the source line are kept in the caret line so that the marks line up.
// Control characters, bidirectional controls and bytes that are not UTF-8
// never reach the terminal: each is shown as one visible stand-in (see
// Printable), so the carets still line up.
func WriteText(w io.Writer, ds Diagnostics, srcs Sources) error {
	return WriteTextStyled(w, ds, srcs, Plain)
}

// Style colours the parts of a text diagnostic; Plain leaves them as they
// are. Each function receives the part's printable text.
type Style struct {
	Location, Error, Warning, Code, Caret func(string) string
}

func same(s string) string { return s }

// Plain is the style of output that is not a terminal.
var Plain = Style{same, same, same, same, same}

// WriteTextStyled is WriteText with colours.
func WriteTextStyled(w io.Writer, ds Diagnostics, srcs Sources, st Style) error {
	var b strings.Builder
	for _, d := range ds {
		sev := st.Error(d.Severity.String())
		if d.Severity == Warning {
			sev = st.Warning(d.Severity.String())
		}
		loc := fmt.Sprintf("%s:%d:%d:", Printable(d.Range.Filename), d.Range.Start.Line, d.Range.Start.Column)
		fmt.Fprintf(&b, "%s %s: %s %s\n", st.Location(loc), sev, Printable(d.Message), st.Code("["+d.Code+"]"))
		src := srcs[d.Range.Filename]
		if src == nil {
			if b.Len() > 1<<16 {
				if _, err := io.WriteString(w, b.String()); err != nil {
					return err
				}
				b.Reset()
			}
			continue
		}
		line, c := src.snippet(d.Range)
		if !c.ok {
			continue
		}
		b.WriteString("    ")
		b.WriteString(line)
		b.WriteString("\n    ")
		b.WriteString(st.Caret(caret(line, c.start, c.end)))
		b.WriteString("\n")
		if b.Len() > 1<<16 {
			if _, err := io.WriteString(w, b.String()); err != nil {
				return err
			}
			b.Reset()
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// cols are the 1-based columns of a caret in a printed snippet.
type cols struct {
	start, end int
	ok         bool
}

// snippet returns the printable text of r's first line, whole when it has
// at most WholeLineRunes characters, else a window around r, and the columns
// of r in it.
func (s *Source) snippet(r Range) (string, cols) {
	ls, le, ok := s.LineSpan(r.Start.Line)
	if !ok {
		return "", cols{}
	}
	startCol := max(r.Start.Column, 1)
	endCol := r.End.Column
	lineRunes := s.Pos(le).Column - 1
	if r.End.Line != r.Start.Line {
		endCol = lineRunes + 1
	}
	if endCol <= startCol {
		endCol = startCol + 1
	}
	if lineRunes <= WholeLineRunes {
		return Printable(string(s.Text[ls:le])), cols{startCol, endCol, true}
	}
	// A window from a little before the range's start.
	from := max(1, min(startCol-windowBefore, lineRunes+1-WindowRunes))
	to := min(lineRunes+1, from+WindowRunes)
	ws, we := s.Offset(r.Start.Line, from), s.Offset(r.Start.Line, to)
	var b strings.Builder
	shift := from - 1
	if from > 1 {
		b.WriteString("…")
		shift--
	}
	b.WriteString(Printable(string(s.Text[ws:we])))
	if to <= lineRunes {
		b.WriteString("…")
	}
	endCol = min(endCol, to+1)
	return b.String(), cols{startCol - shift, max(endCol-shift, startCol-shift+1), true}
}

// caret returns the marker line for columns [startCol, endCol) under line.
func caret(line string, startCol, endCol int) string {
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

// IsControl reports whether r must not be printed or compiled as it is: a
// C0 or C1 control character other than tab, newline and carriage return,
// DEL, or a bidirectional formatting character (which can make text read
// in another order than it runs).
func IsControl(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	case r == 0x061c || r == 0x200e || r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// ControlName names a control character for messages: "U+001B (escape)".
func ControlName(r rune) string {
	name := ""
	switch {
	case r == 0:
		name = "NUL"
	case r == 0x1b:
		name = "escape"
	case r == 0x7f:
		name = "delete"
	case r < 0x20 || (r >= 0x80 && r <= 0x9f):
		name = "control character"
	default:
		name = "bidirectional control"
	}
	return fmt.Sprintf("U+%04X (%s)", r, name)
}

// Printable replaces what a terminal would act on instead of showing: each
// control character (IsControl) becomes its Unicode control picture (␀, ␛)
// or �, and each byte that is not UTF-8 becomes �. One character stays one
// character, so columns are unchanged. Tabs are kept.
func Printable(s string) string {
	clean := true
	for i, r := range s {
		if IsControl(r) || r == '\n' || r == '\r' || (r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD")) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteRune(utf8.RuneError)
		case r < 0x20 && r != '\t':
			b.WriteRune(0x2400 + r)
		case r == 0x7f:
			b.WriteRune(0x2421)
		case IsControl(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
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

// WriteJSON prints the JSON output contract, indented. Every control
// character (IsControl) is written as a \u escape: encoding/json escapes
// those below U+0020 itself, and the rest are escaped here.
func WriteJSON(w io.Writer, ds Diagnostics) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ToJSON(ds)); err != nil {
		return err
	}
	_, err := w.Write(EscapeControls(buf.Bytes()))
	return err
}

// EscapeControls rewrites the control characters (IsControl) that
// encoding/json leaves as they are (DEL, C1 and bidirectional controls) as
// \u escapes. JSON's structure is ASCII, so such characters can only be
// inside strings, where the escape means the same character.
func EscapeControls(js []byte) []byte {
	i := 0
	for i < len(js) {
		r, n := utf8.DecodeRune(js[i:])
		if IsControl(r) {
			break
		}
		i += n
	}
	if i == len(js) {
		return js
	}
	out := append([]byte(nil), js[:i]...)
	for i < len(js) {
		r, n := utf8.DecodeRune(js[i:])
		if IsControl(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, js[i:i+n]...)
		}
		i += n
	}
	return out
}
