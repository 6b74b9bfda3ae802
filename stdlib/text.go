package stdlib

import "github.com/instrc/instrc/lang"

// maxMatchBytes bounds the text the intent matcher and the extractors look
// at. Contact messages are short; a longer input is cut (at a rune boundary)
// so that a hostile message cannot make a turn slow.
const maxMatchBytes = 16 << 10

// Fold is lang.Fold: the form in which instrc compares keywords and phrases.
// Callers of the standard library's API use it to compare as the matcher does.
func Fold(s string) string { return lang.Fold(s) }

// token is one word of folded text (lang.Word).
type token = lang.Word

// clip cuts s to at most n bytes at a rune boundary.
func clip(s string, n int) string { return lang.Clip(s, n) }

// tokenize splits folded text into words, expanding elisions and
// contractions (lang.Words).
func tokenize(s string) []token { return lang.Words(s) }

func isWordRune(r rune) bool { return lang.IsWordRune(r) }

// words returns the folded words of s.
func words(s string) []string {
	toks := tokenize(Fold(s))
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}
func isWordByte(b byte) bool { return lang.IsWordByte(b) }
