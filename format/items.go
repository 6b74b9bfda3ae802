package format

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/instrc/instrc/grammar"
)

// span is a byte range of the source.
type span struct{ start, end int }

// splitItem splits a list item that holds several scenarios into one span
// per scenario. It cuts only between sentences, before the sentence where a
// new scenario starts, so that continuation sentences ("Then reply …") and
// prose stay with the scenario they follow.
func splitItem(text []byte, b block, f *grammar.File) []span {
	var starts []int // sentence starts
	toks := grammar.Lex(text, b.start, b.end)
	next := true
	for i, t := range toks {
		if next {
			starts = append(starts, t.Start)
			next = false
		}
		if t.Kind == grammar.KPeriod && (i+1 == len(toks) || !startsLower(toks[i+1])) {
			next = true
		}
	}
	var cuts []int
	for _, sc := range f.Scenarios {
		off := sc.Range.Start.Offset
		if off <= b.start || off >= b.end {
			continue
		}
		// The sentence holding the scenario's first token.
		cut := -1
		for _, s := range starts {
			if s <= off {
				cut = s
			}
		}
		if len(starts) > 0 && cut > starts[0] && (len(cuts) == 0 || cut > cuts[len(cuts)-1]) {
			cuts = append(cuts, cut)
		}
	}
	var out []span
	from := b.start
	for _, c := range cuts {
		out = append(out, span{from, c})
		from = c
	}
	return append(out, span{from, b.end})
}

func startsLower(t grammar.Token) bool {
	if t.Kind != grammar.KWord {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t.Text)
	return unicode.IsLower(r)
}

// spaced rewrites text[start:end] with single spaces between words and
// straight double quotes around quoted names and templates. What is inside
// quotes is kept exactly as written (a template is sent as written). With
// keepLines, line breaks stay (paragraphs are not reflowed); without, the
// text becomes one line.
func spaced(text []byte, start, end int, keepLines bool) string {
	toks := grammar.Lex(text, start, end)
	var b strings.Builder
	pos := start
	for _, t := range toks {
		if t.Start < pos {
			continue // joined phrases never overlap, but be safe
		}
		b.WriteString(gap(string(text[pos:t.Start]), keepLines, pos == start))
		b.WriteString(token(text, t))
		pos = t.End
	}
	b.WriteString(gap(string(text[pos:end]), keepLines, pos == start))
	return strings.TrimRight(b.String(), " ")
}

// gap normalizes the text between two tokens: runs of spaces and tabs become
// one space; line breaks become one space, or stay (with the next line's
// indentation dropped) when keepLines is set. Other characters (emphasis
// markers, no-break spaces) stay.
func gap(g string, keepLines, first bool) string {
	if g == "" {
		return ""
	}
	var b strings.Builder
	space, newline := false, false
	flush := func() {
		switch {
		case newline && keepLines:
			b.WriteByte('\n')
		case space || newline:
			b.WriteByte(' ')
		}
		space, newline = false, false
	}
	for _, r := range g {
		switch r {
		case ' ', '\t', '\r':
			space = true
		case '\n':
			newline = true
		default:
			flush()
			b.WriteRune(r)
		}
	}
	flush()
	s := b.String()
	if first {
		s = strings.TrimLeft(s, " \n")
	}
	return strings.ReplaceAll(s, " \n", "\n")
}

// curly maps typographic quote pairs to be straightened.
var curly = map[rune]rune{'“': '”', '‘': '’', '\'': '\''}

// token returns a token's source text: quoted text exactly as written, its
// curly or single quotes straightened when the content allows it; any other
// token with its inner spaces collapsed (joined phrases such as "hand over").
func token(text []byte, t grammar.Token) string {
	src := string(text[t.Start:t.End])
	if !t.Quoted {
		if t.Kind == grammar.KVar || strings.ContainsAny(src, "\n\t") || strings.Contains(src, "  ") {
			return strings.Join(strings.Fields(src), " ")
		}
		return src
	}
	if t.Unterminated {
		return src
	}
	prefix := ""
	if t.Kind == grammar.KSigil {
		prefix, src = src[:1], src[1:]
	}
	open, n := utf8.DecodeRuneInString(src)
	closeQ, m := utf8.DecodeLastRuneInString(src)
	want, ok := curly[open]
	if !ok || len(src) < n+m || (closeQ != want && !(open == '“' && closeQ == '"')) {
		return prefix + src
	}
	inner := src[n : len(src)-m]
	if strings.ContainsAny(inner, "\"“”") {
		return prefix + src
	}
	return prefix + `"` + inner + `"`
}
