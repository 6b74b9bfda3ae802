package grammar

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s and removes accents, so that lexicon look-ups accept
// "Clôture", "cloture" and "CLÔTURE" alike. Names are never folded when they
// are resolved (they match exactly); folding is for keywords and for finding
// the nearest name in suggestions.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.Map(func(r rune) rune {
		switch r {
		case '’', '‘', 'ʼ', '´', '`':
			return '\''
		case 'œ':
			return -1
		}
		return unicode.ToLower(r)
	}, out)
	return out
}
