package stdlib

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// maxMatchBytes bounds the text the intent matcher and the extractors look
// at. Contact messages are short; a longer input is cut (at a rune boundary)
// so that a hostile message cannot make a turn slow.
const maxMatchBytes = 16 << 10

var foldPool = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// apostrophes maps the apostrophe look-alikes contacts type to '.
var apostrophes = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u02bc", "'", "\u00b4", "'", "`", "'", "\uff07", "'")

// ligatures are the letters that do not decompose into a base letter and a mark.
var ligatures = strings.NewReplacer("œ", "oe", "æ", "ae", "ß", "ss", "ø", "o", "ł", "l", "đ", "d")

// Fold returns s lower-cased, with accents removed, apostrophe look-alikes
// replaced by ' and invalid UTF-8 replaced by spaces: the form in which
// instrc compares names and phrases ("Clôture" and "cloture" fold alike).
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

// clip cuts s to at most n bytes at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// token is one word of folded text.
type token struct {
	text string
	pos  int // byte offset of the word in the folded text
}

// frenchElisions maps an elided French word (before the apostrophe) to its
// full form: l'ordre → le ordre, qu'il → que il.
var frenchElisions = map[string]string{
	"l": "le", "j": "je", "n": "ne", "d": "de", "c": "ce", "s": "se", "m": "me", "t": "te",
	"qu": "que", "jusqu": "jusque", "lorsqu": "lorsque", "puisqu": "puisque", "quoiqu": "quoique",
}

// englishNegations expands the contractions of "not" written without the
// apostrophe, as contacts often do. "dont" stays a word (it is also French)
// and counts as a negation in English.
var englishNegations = map[string][]string{
	"doesnt": {"does", "not"}, "didnt": {"did", "not"},
	"cant": {"can", "not"}, "cannot": {"can", "not"}, "wont": {"will", "not"},
	"isnt": {"is", "not"}, "arent": {"are", "not"}, "wasnt": {"was", "not"},
	"werent": {"were", "not"}, "havent": {"have", "not"}, "hasnt": {"has", "not"},
	"hadnt": {"had", "not"}, "shouldnt": {"should", "not"}, "couldnt": {"could", "not"},
	"wouldnt": {"would", "not"}, "aint": {"is", "not"}, "shant": {"shall", "not"},
	"mustnt": {"must", "not"}, "neednt": {"need", "not"},
}

// englishSuffixes are the contracted verbs after an apostrophe: "I'm" is
// "I am". "'s" is "is" after the words in isBefore and a possessive (dropped)
// elsewhere: "where's" is "where is", "John's" is "John".
var englishSuffixes = map[string]string{"s": "is", "m": "am", "re": "are", "ve": "have", "ll": "will", "d": "would"}

var isBefore = set("where", "what", "that", "it", "there", "here", "who", "how", "he", "she", "when", "why", "this")

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// tokenize splits folded text into words, expanding elisions and
// contractions. It does not fold: pass it the result of Fold.
func tokenize(s string) []token {
	toks := make([]token, 0, len(s)/5+1)
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		// A word runs over letters and digits and over apostrophes
		// between two of them.
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if isWordRune(r) {
				j += size
				continue
			}
			if r == '\'' && j+1 < len(s) {
				r2, _ := utf8.DecodeRuneInString(s[j+1:])
				if isWordRune(r2) {
					j++
					continue
				}
			}
			break
		}
		toks = appendWord(toks, s[start:j], start)
		i = j
	}
	return toks
}

func appendWord(toks []token, w string, pos int) []token {
	for {
		k := strings.IndexByte(w, '\'')
		if k < 0 {
			break
		}
		head, tail := w[:k], w[k+1:]
		if full, ok := frenchElisions[head]; ok {
			toks = append(toks, token{full, pos})
			pos += k + 1
			w = tail
			continue
		}
		if head == "aujourd" && strings.HasPrefix(tail, "hui") {
			w = "aujourdhui" + tail[3:]
			continue
		}
		if tail == "t" && strings.HasSuffix(head, "n") {
			base := head[:len(head)-1]
			switch base {
			case "wo":
				base = "will"
			case "ca":
				base = "can"
			case "sha":
				base = "shall"
			}
			if base != "" {
				toks = append(toks, token{base, pos})
			}
			return append(toks, token{"not", pos + k - 1})
		}
		if verb, ok := englishSuffixes[tail]; ok {
			if head != "" {
				toks = append(toks, token{head, pos})
			}
			if tail != "s" || isBefore[head] {
				toks = append(toks, token{verb, pos + k})
			}
			return toks
		}
		w = head + tail
	}
	if w == "" {
		return toks
	}
	if exp, ok := englishNegations[w]; ok {
		for _, e := range exp {
			toks = append(toks, token{e, pos})
		}
		return toks
	}
	return append(toks, token{w, pos})
}

// words returns the folded words of s.
func words(s string) []string {
	toks := tokenize(Fold(s))
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.text
	}
	return out
}
