package grammar

import (
	"strings"
	"unicode"
)

// PhraseSet is a list of phrases matched against folded words, where "#"
// stands for a number ("in # hours", "at #pm"). Phrases are indexed by their
// first word.
type PhraseSet struct{ byFirst map[string][][]string }

func newPhraseSet(list []string) PhraseSet {
	ps := PhraseSet{byFirst: map[string][][]string{}}
	for _, p := range list {
		words := strings.Fields(strings.ReplaceAll(Fold(p), "'", "' "))
		ps.byFirst[words[0]] = append(ps.byFirst[words[0]], words)
	}
	return ps
}

// The phrase sets the compiler checks.
var (
	Hedges   = newPhraseSet(hedges)
	Timing   = newPhraseSet(timingPhrases)
	Presence = newPhraseSet(presencePhrases)
)

// Match is a phrase found in a token run.
type Match struct {
	Start, End int // byte offsets
	Phrase     string
}

type wordAt struct {
	w   string
	tok int
}

// numberShape replaces runs of digits by "#": "5pm" → "#pm", "17h30" → "#h#".
func numberShape(w string) string {
	var b strings.Builder
	prevDigit := false
	for _, r := range w {
		if unicode.IsDigit(r) {
			if !prevDigit {
				b.WriteByte('#')
			}
			prevDigit = true
			continue
		}
		prevDigit = false
		b.WriteRune(r)
	}
	return b.String()
}

// Find returns the phrases of the set that occur in toks, leftmost first,
// without overlaps.
func (ps PhraseSet) Find(toks []Token) []Match {
	words := make([]wordAt, 0, len(toks))
	for i, t := range toks {
		switch t.Kind {
		case KQuoted, KSigil, KVar, KComma, KPeriod, KSemi, KColon, KSep:
			words = append(words, wordAt{"\x00", i})
			continue
		}
		f := t.Fold
		if f == "" {
			f = Fold(t.Text)
		}
		if !strings.ContainsAny(f, " '0123456789") {
			words = append(words, wordAt{f, i})
			continue
		}
		for _, w := range strings.Fields(strings.ReplaceAll(f, "'", "' ")) {
			words = append(words, wordAt{numberShape(w), i})
		}
	}
	var out []Match
	for i := 0; i < len(words); i++ {
		for _, p := range ps.byFirst[words[i].w] {
			if i+len(p) > len(words) {
				continue
			}
			ok := true
			for j, pw := range p {
				if words[i+j].w != pw {
					ok = false
					break
				}
			}
			if ok {
				a, b := toks[words[i].tok], toks[words[i+len(p)-1].tok]
				out = append(out, Match{Start: a.Start, End: b.End, Phrase: strings.ReplaceAll(strings.Join(p, " "), "' ", "'")})
				i += len(p) - 1
				break
			}
		}
	}
	return out
}
