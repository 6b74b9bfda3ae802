package format

import (
	"slices"

	"github.com/instrc/instrc/diag"
)

// Edit replaces the bytes [Start, End) of a file's text with New, to fix
// Diagnostic.
type Edit struct {
	Start, End int
	Old, New   string
	Diagnostic diag.Diagnostic
}

// Fixes returns the edits that apply the unambiguous suggestions of ds to
// the file filename whose text is text, sorted by position. A suggestion
// is unambiguous when it replaces a name as written (not a whole step, as
// the suggestion of missing-name does), changes it, and no other
// suggestion touches the same text: two fixes that overlap are both left
// for the author to choose.
func Fixes(filename string, text []byte, ds diag.Diagnostics) []Edit {
	var out []Edit
	for _, d := range ds {
		if e, ok := Fix(filename, text, d); ok {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b Edit) int { return a.Start - b.Start })
	keep := out[:0]
	for i, e := range out {
		overlaps := i > 0 && out[i-1].End > e.Start || i+1 < len(out) && e.End > out[i+1].Start
		if !overlaps {
			keep = append(keep, e)
		}
	}
	return keep
}

// Fix returns the edit of one diagnostic's suggestion, when it is a
// replacement of the name the diagnostic points at.
func Fix(filename string, text []byte, d diag.Diagnostic) (Edit, bool) {
	if d.Suggestion == "" || d.Code == diag.CodeMissingName || d.Range.Filename != filename {
		return Edit{}, false
	}
	start, end := d.Range.Start.Offset, d.Range.End.Offset
	if start < 0 || end > len(text) || start >= end {
		return Edit{}, false
	}
	old := string(text[start:end])
	if slices.Contains([]byte(old), '\n') {
		return Edit{}, false
	}
	repl := Replacement(text, d)
	if repl == old {
		return Edit{}, false
	}
	return Edit{Start: start, End: end, Old: old, New: repl, Diagnostic: d}, true
}

// Apply returns text with edits (sorted, not overlapping) applied.
func Apply(text []byte, edits []Edit) []byte {
	out := make([]byte, 0, len(text))
	at := 0
	for _, e := range edits {
		out = append(out, text[at:e.Start]...)
		out = append(out, e.New...)
		at = e.End
	}
	return append(out, text[at:]...)
}
