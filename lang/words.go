package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Word is one word of folded text.
type Word struct {
	Text string
	Pos  int // byte offset of the word in the folded text
}

// Elisions maps an elided French word (before the apostrophe) to its full
// form: l'ordre → le ordre, qu'il → que il. The grammar splits a word after
// these; the matcher reads them as the full word.
var Elisions = map[string]string{
	"l": "le", "j": "je", "n": "ne", "d": "de", "c": "ce", "s": "se", "m": "me", "t": "te",
	"qu": "que", "jusqu": "jusque", "lorsqu": "lorsque", "puisqu": "puisque", "quoiqu": "quoique",
	"presqu": "presque",
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

var isBefore = map[string]bool{"where": true, "what": true, "that": true, "it": true, "there": true, "here": true,
	"who": true, "how": true, "he": true, "she": true, "when": true, "why": true, "this": true}

// IsWordRune reports whether r is part of a word: a letter or a digit.
func IsWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// Words splits folded text into words, expanding French elisions and
// English contractions. It does not fold: pass it the result of Fold.
func Words(s string) []Word {
	toks := make([]Word, 0, len(s)/5+1)
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !IsWordRune(r) {
			i += size
			continue
		}
		start := i
		// A word runs over letters and digits and over apostrophes
		// between two of them.
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if IsWordRune(r) {
				j += size
				continue
			}
			if r == '\'' && j+1 < len(s) {
				r2, _ := utf8.DecodeRuneInString(s[j+1:])
				if IsWordRune(r2) {
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

func appendWord(toks []Word, w string, pos int) []Word {
	for {
		k := strings.IndexByte(w, '\'')
		if k < 0 {
			break
		}
		head, tail := w[:k], w[k+1:]
		if full, ok := Elisions[head]; ok {
			toks = append(toks, Word{full, pos})
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
				toks = append(toks, Word{base, pos})
			}
			return append(toks, Word{"not", pos + k - 1})
		}
		if verb, ok := englishSuffixes[tail]; ok {
			if head != "" {
				toks = append(toks, Word{head, pos})
			}
			if tail != "s" || isBefore[head] {
				toks = append(toks, Word{verb, pos + k})
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
			toks = append(toks, Word{e, pos})
		}
		return toks
	}
	return append(toks, Word{w, pos})
}

// IsWordByte reports whether b may be part of a word: an ASCII letter or
// digit, or any byte of a multi-byte rune.
func IsWordByte(b byte) bool {
	return b >= 0x80 || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}
