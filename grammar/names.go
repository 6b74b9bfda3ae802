package grammar

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	followersKW = kws(nameFollowers...)
	// stepKW are the words that name a kind of workspace object; after a
	// name they belong to the step ("the At Risk stage", "the VIP tag").
	stepKW = [...]kw{fieldKW, stageKW, noteKW, tagKW, workflowKW, teamKW}
)

// EndsName reports whether an unquoted name may end before words[k]: at
// the end of the words, before a function word, a filler, a negation, a
// word such as `now` or `too` (nameFollowers), or a keyword naming the
// kind of object (`stage`, `field`, `team`, `tag`) that is itself followed
// by such a boundary. The longest workspace name an author's words start
// with is the name only when it ends at such a boundary; otherwise the
// whole phrase is the name, and it is unknown (`@Billing Team Europe` is
// not `@Billing Team`).
func EndsName(words []Token, k int) bool {
	if endsName(words, k) {
		return true
	}
	for _, kw := range stepKW {
		if n := kw.at(words, k); n > 0 && endsName(words, k+n) {
			return true
		}
	}
	return false
}

func endsName(words []Token, k int) bool {
	if k >= len(words) {
		return true
	}
	t := words[k]
	switch t.Kind {
	case KAnd, KThen, KCond, KNeg, KFiller, KComma, KPeriod, KSemi, KColon, KSep:
		return true
	case KWord, KVerb:
		if functionWords[t.Fold] {
			return true
		}
	case KNumber, KClitic:
		return false
	case KPunct:
		return !(t.Text == "&" || t.Text == "-" || t.Text == "/" || t.Text == "+")
	default:
		return true
	}
	// a capitalised word belongs to the name ("Issue Resolved Today")
	if followersKW.at(words, k) > 0 && !capitalised(t) || clauseParticiple(t) {
		return true
	}
	// timing, presence and hedges are reported for what they are
	for _, ps := range []PhraseSet{Timing, Presence, Hedges} {
		if ms := ps.Find(words[k:min(len(words), k+6)]); len(ms) > 0 && ms[0].Start == t.Start {
			return true
		}
	}
	return false
}

// clauseParticiple reports whether t is a lower-case participle (see
// participleEndings).
func clauseParticiple(t Token) bool {
	if t.Kind != KWord || utf8.RuneCountInString(t.Text) < 6 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t.Text)
	if !unicode.IsLower(r) {
		return false
	}
	for _, e := range participleEndings {
		if strings.HasSuffix(t.Fold, e) {
			return true
		}
	}
	return false
}

// capitalFunctionWord reports whether t is a function word written with a
// capital letter, which may start a name mid-sentence: `the At Risk stage`,
// `On Hold`, `In Progress`.
func capitalFunctionWord(t Token) bool {
	if t.Kind != KWord || !functionWords[t.Fold] {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t.Text)
	return unicode.IsUpper(r)
}

// KindWords returns how many of the first words name a kind of workspace
// object ("équipe" in "l'équipe Service Client", "team" in "team Sales"),
// or 0. A name that matches nothing may be read again without them.
func KindWords(words []Token) int {
	for _, kw := range stepKW {
		if n := kw.at(words, 0); n > 0 && n < len(words) {
			return n
		}
	}
	return 0
}

// capitalised reports whether t starts with a capital letter and is not
// all capitals ("Today", not "ASAP").
func capitalised(t Token) bool {
	r, _ := utf8.DecodeRuneInString(t.Text)
	return unicode.IsUpper(r) && strings.ToUpper(t.Text) != t.Text
}
