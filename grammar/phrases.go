package grammar

import (
	"strings"
	"unicode"
)

// PhraseSet is a list of phrases matched against folded words, where "#"
// stands for a number ("in # hours", "at #pm").
type PhraseSet struct{ phrases [][]string }

func newPhraseSet(list []string) PhraseSet {
	ps := PhraseSet{}
	for _, p := range list {
		ps.phrases = append(ps.phrases, strings.Fields(strings.ReplaceAll(Fold(p), "'", "' ")))
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
	var words []wordAt
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
		for _, w := range strings.Fields(strings.ReplaceAll(f, "'", "' ")) {
			words = append(words, wordAt{numberShape(w), i})
		}
	}
	var out []Match
	for i := 0; i < len(words); i++ {
		for _, p := range ps.phrases {
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
