package lang

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

var foldPool = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// apostrophes maps the apostrophe look-alikes people type to '.
var apostrophes = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u02bc", "'", "\u00b4", "'", "`", "'", "\uff07", "'")

// ligatures are the letters that do not decompose into a base letter and a mark.
var ligatures = strings.NewReplacer("œ", "oe", "æ", "ae", "ß", "ss", "ø", "o", "ł", "l", "đ", "d")

// Fold returns s lower-cased, with accents removed, apostrophe look-alikes
// replaced by ' and invalid UTF-8 replaced by spaces: the form in which
// instrc compares keywords and phrases ("Clôture" and "cloture" fold alike).
// Workspace names are never folded when they are resolved (they match
// exactly); folding is for keywords, matching and suggestions.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		if strings.IndexByte(s, '`') >= 0 {
			s = strings.ReplaceAll(s, "`", "'")
		}
		return strings.ToLower(s)
	}
	s = strings.ToValidUTF8(s, " ")
	s = apostrophes.Replace(strings.ToLower(s))
	s = ligatures.Replace(s)
	t := foldPool.Get().(transform.Transformer)
	t.Reset()
	out, _, err := transform.String(t, s)
	foldPool.Put(t)
	if err != nil {
		return s
	}
	return out
}

// Clip cuts s to at most n bytes at a rune boundary.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
