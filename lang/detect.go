package lang

import "strings"

// maxDetectBytes bounds the text the detector reads: the first 16 KiB of a
// message or a file say which language it is in.
const maxDetectBytes = 16 << 10

// Words that mark a language: frequent in it and rare in the other. They
// are compared folded.
var (
	markEN = set("the", "is", "are", "my", "you", "your", "i", "to", "and", "of", "it", "what", "where", "how",
		"this", "that", "have", "with", "for", "not", "can", "please", "want", "do", "does", "be", "was", "will",
		"would", "thanks", "thank", "hello", "hi", "hey", "yes", "no", "order", "when", "why", "there", "any",
		"need", "get", "about", "from", "we", "our", "me", "am", "if", "or", "help", "just", "all", "did", "has",
		"then", "their", "customer")
	markFR = set("le", "la", "les", "de", "des", "du", "un", "une", "et", "est", "je", "vous", "tu", "nous", "mon",
		"ma", "mes", "pour", "pas", "ne", "que", "qui", "avec", "dans", "sur", "bonjour", "merci", "oui", "non",
		"il", "elle", "ai", "suis", "veux", "votre", "vos", "au", "aux", "ce", "cette", "ou", "mais", "commande",
		"quand", "comment", "pourquoi", "bonsoir", "salut", "svp", "avez", "etes", "sont", "fait", "plus", "aussi",
		"tres", "bien", "besoin", "aide", "ca", "se", "me", "te", "quoi", "quel", "quelle", "peux", "pouvez",
		"si", "puis", "leur", "lorsque")
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Detect says whether text is English ("en") or French ("fr") from its
// common words, its elisions (l', qu', j'...) and its accented letters.
// Empty or undecidable text is English.
func Detect(text string) string {
	l, _ := Guess(text)
	return l
}

// Guess is Detect that also says whether the text decided it: ok is false
// when the text holds no evidence either way ("MC-20418", "LS6 2AB", "ok"),
// so that a caller can keep a conversation's language rather than take
// English.
func Guess(text string) (lang string, ok bool) {
	text = Clip(text, maxDetectBytes)
	en, fr := 0.0, 0.0
	for _, r := range text {
		switch r {
		case 'é', 'è', 'ê', 'à', 'ç', 'ù', 'û', 'ô', 'î', 'ï', 'ë', 'â', 'œ', 'É', 'È', 'À', 'Ç':
			fr += 0.5
		}
	}
	f := Fold(text)
	for _, el := range []string{"l'", "qu'", "j'", "n'", "d'", "c'", "s'"} {
		fr += 0.5 * float64(countWordPrefix(f, el))
	}
	en, fr = score(Words(f), en, fr)
	if fr > en {
		return "fr", true
	}
	return "en", en > fr
}

// DetectWords is Detect on words already folded and split by Words.
func DetectWords(words []Word) string {
	en, fr := score(words, 0, 0)
	if fr > en {
		return "fr"
	}
	return "en"
}

func score(words []Word, en, fr float64) (float64, float64) {
	for _, t := range words {
		if markEN[t.Text] {
			en++
		}
		if markFR[t.Text] {
			fr++
		}
	}
	return en, fr
}

// countWordPrefix counts the words of s that start with p.
func countWordPrefix(s, p string) int {
	n := 0
	for i := 0; ; {
		k := strings.Index(s[i:], p)
		if k < 0 {
			return n
		}
		at := i + k
		if at == 0 || !IsWordByte(s[at-1]) {
			n++
		}
		i = at + len(p)
	}
}
