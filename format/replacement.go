package format

import (
	"strings"
	"unicode/utf8"

	"github.com/instrc/instrc/diag"
)

// Replacement returns the text that replaces d's range in text to apply its
// suggestion, or "" when d has none. The range of an unknown name covers its
// sigil and quotes (`%Hotlead`, `"Not a fit"`) while the suggestion is the
// bare workspace name, so the sigil and the quotes as written are kept
// around it.
func Replacement(text []byte, d diag.Diagnostic) string {
	if d.Suggestion == "" {
		return ""
	}
	start, end := d.Range.Start.Offset, d.Range.End.Offset
	if start < 0 || end > len(text) || start > end {
		return d.Suggestion
	}
	old := string(text[start:end])
	sigil := ""
	if old != "" && strings.ContainsRune("@%!", rune(old[0])) && !strings.HasPrefix(d.Suggestion, old[:1]) {
		sigil, old = old[:1], old[1:]
	}
	open, n := utf8.DecodeRuneInString(old)
	closeQ, m := utf8.DecodeLastRuneInString(old)
	if want, ok := quotes[open]; ok && len(old) >= n+m && closeQ == want {
		return sigil + string(open) + d.Suggestion + string(closeQ)
	}
	if open == '«' && strings.HasSuffix(old, "»") {
		return sigil + "« " + d.Suggestion + " »"
	}
	return sigil + d.Suggestion
}

// quotes maps an opening quote to its closing one.
var quotes = map[rune]rune{'"': '"', '“': '”', '‘': '’', '\'': '\'', '`': '`', '„': '“'}
