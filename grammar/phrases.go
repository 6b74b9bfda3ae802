package grammar

import (
	"slices"
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
	// the longest phrase at a position wins: "any available rep", not
	// "any available"
	for _, list := range ps.byFirst {
		slices.SortStableFunc(list, func(a, b []string) int { return len(b) - len(a) })
	}
	return ps
}

// The phrase sets the compiler checks.
var (
	Hedges   = newPhraseSet(hedges)
	Timing   = newPhraseSet(append(timingPhrases, clockPhrases()...))
	Presence = newPhraseSet(presencePhrases)
	// PresenceOf is the part of Presence that names people ("an agent is
	// available", "someone who is online"), for conditions, where "is
	// available" alone may be about a product.
	PresenceOf = newPhraseSet(presencePeople())
	// ConversationOpened is the new-conversation event, with or without
	// the word "new": "when a conversation is opened", "dès qu'une
	// conversation est ouverte".
	ConversationOpened = newPhraseSet(conversationOpened)
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

var timeSubjectSet = newPhraseSet(timeSubjects)

// TimeOfDay returns the timing phrases of a condition, after a subject
// among its first words, that are about when the message comes: "if it is after 6pm", "si c'est le week-end", "if the
// message arrives on Sunday". Timing elsewhere in a condition is what the
// contact talks about ("asks for a callback tomorrow").
func TimeOfDay(toks []Token) []Match {
	var out []Match
	var subjects []Match
	for _, sub := range timeSubjectSet.Find(toks) {
		if !hasTokenBetween(toks, -1, sub.Start, 2) {
			subjects = append(subjects, sub) // the condition's subject
		}
	}
	for _, m := range Timing.Find(toks) {
		for _, sub := range subjects {
			if sub.End <= m.Start && !hasTokenBetween(toks, sub.End, m.Start, 2) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// hasTokenBetween reports whether more than n tokens lie between the
// offsets a and b.
func hasTokenBetween(toks []Token, a, b, n int) bool {
	count := 0
	for _, t := range toks {
		if t.Start >= a && t.End <= b && t.Start < b {
			count++
		}
	}
	return count > n
}

// WordSet is a set of folded words.
type WordSet map[string]bool

func wordSet(words []string) WordSet {
	out := WordSet{}
	for _, w := range words {
		out[Fold(w)] = true
	}
	return out
}

// The words of state conditions (see the lexicon), for the compiler.
var (
	EmptyWords    = wordSet(stateEmptyWords)
	SetWords      = wordSet(stateSetWords)
	IsWords       = wordSet(stateIsWords)
	NotWords      = wordSet(stateNotWords)
	OutsideWords  = wordSet(stateOutsideWords)
	TagCondWords  = wordSet(stateTagWords)
	StopWords     = wordSet(conditionStopWords)
	BusinessHours = foldedPhrases(businessHourWords)
)

// foldedPhrases splits folded phrases into words the way the lexer does.
func foldedPhrases(list []string) [][]string {
	out := make([][]string, len(list))
	for i, p := range list {
		out[i] = splitPhrase(Fold(p))
	}
	return out
}
