package stdlib

import (
	"strings"
	"sync"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
)

// stemCache remembers stems: the same few thousand words come back turn
// after turn. It stops growing at stemCacheMax entries so that hostile input
// cannot exhaust memory.
var (
	stemCache     sync.Map // lang + "\x00" + word → stem
	stemCacheSize int64
	stemCacheMu   sync.Mutex
)

const stemCacheMax = 50000

// Stem returns the snowball stem of a lower-cased, accent-folded word, with
// the French stemmer for "fr" and the English one otherwise:
// Stem("fr", "Fermez") == Stem("fr", "fermer") == "ferm".
func Stem(lang, word string) string {
	return stemFolded(lang, Fold(word))
}

// stemFolded stems a word that is already folded.
func stemFolded(lang, w string) string {
	if len(w) <= 2 || len(w) > 64 {
		return w
	}
	fr := lang == "fr"
	key := w
	if fr {
		key = "fr\x00" + w
	}
	if s, ok := stemCache.Load(key); ok {
		return s.(string)
	}
	s := stemRaw(fr, w)
	stemCacheMu.Lock()
	if stemCacheSize < stemCacheMax {
		stemCacheSize++
		stemCache.Store(key, s)
	}
	stemCacheMu.Unlock()
	return s
}

// englishStemExceptions are words whose stem would be that of an
// unrelated word: "a personal loan" is not "a person".
var englishStemExceptions = map[string]string{
	"personal": "personal", "personally": "personal", "personalised": "personal", "personalized": "personal",
	"personality": "personal", "personnel": "personnel",
}

func stemRaw(fr bool, w string) (s string) {
	defer func() {
		if recover() != nil {
			s = w
		}
	}()
	if fr {
		s = french.Stem(w, true)
	} else if x, ok := englishStemExceptions[w]; ok {
		return x
	} else {
		s = english.Stem(w, true)
	}
	// The French stemmer may put back accented letters; keep stems folded.
	return Fold(s)
}

// Keywords returns the stemmed content words of text in lang ("en" or
// "fr"), in order of first appearance and without duplicates. Stop words,
// negations, single letters and numbers are left out:
// Keywords("en", "The customer asks about pricing plans") == [custom ask price plan].
func Keywords(lang, text string) []string {
	toks := tokenize(Fold(clip(text, maxMatchBytes)))
	stops := stopWords(lang)
	var out []string
	seen := map[string]bool{}
	for _, t := range toks {
		if !isContent(t.Text, stops) {
			continue
		}
		s := stemFolded(lang, t.Text)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// isContent reports whether a folded word carries meaning for matching.
func isContent(w string, stops map[string]bool) bool {
	if len(w) < 2 || stops[w] || negators[w] {
		return false
	}
	for _, r := range w {
		if r < '0' || r > '9' {
			return true
		}
	}
	return false
}

func stopWords(lang string) map[string]bool {
	if lang == "fr" {
		return stopFR
	}
	return stopEN
}

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// negators are the words that negate what follows, in both languages. They
// are not keywords; the matcher looks at them separately.
var negators = set("not", "no", "never", "without", "dont", "ne", "pas", "jamais", "aucun", "aucune", "sans")

// negatorsEN and negatorsFR split negators by language: the matcher only
// looks for the negations of the language it matches in.
var (
	negatorsEN = set("not", "no", "never", "without", "dont")
	negatorsFR = set("ne", "pas", "jamais", "aucun", "aucune", "sans")
)

// desires are the verbs of wanting that a negation turns around
// ("I don't want a refund", "je n'ai pas besoin d'un humain").
var desires = set(
	"want", "wanna", "need", "needed", "wish", "like", "interested", "looking", "require", "asking", "ask",
	"veux", "veut", "voulons", "voulez", "veulent", "voudrais", "voudrions", "souhaite", "souhaitons",
	"souhaitez", "besoin", "interesse", "interessee", "interesses", "envie", "cherche", "demande",
)

// stopEN are English function words, folded.
var stopEN = set(
	"a", "about", "above", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at",
	"be", "been", "before", "being", "below", "between", "both", "but", "by",
	"can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from",
	"further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him",
	"himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just",
	"me", "might", "more", "most", "must", "my", "myself", "nor", "now", "of", "off", "on", "once",
	"only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "shall", "she",
	"should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves",
	"then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up",
	"very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why",
	"will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "also", "im", "ive",
	"its", "thats", "theres", "whats", "wheres", "hows", "u", "ur", "pls", "please", "plz", "hey",
	"oh", "ok", "okay", "well", "yet", "still", "even", "much", "many", "lot", "get", "got",
	"let", "us", "would", "could", "may", "one", "any", "anything", "something", "someone",
)

// stopFR are French function words, folded.
var stopFR = set(
	"a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle", "elles",
	"en", "et", "eux", "il", "ils", "je", "j", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais",
	"me", "meme", "mes", "moi", "mon", "nos", "notre", "nous", "on", "ou", "par", "pour", "qu",
	"que", "qui", "sa", "se", "ses", "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une",
	"vos", "votre", "vous", "c", "d", "l", "m", "n", "s", "t", "y", "ete", "etre", "avoir", "ai",
	"as", "avons", "avez", "ont", "est", "es", "suis", "sommes", "etes", "sont", "etait", "etais",
	"fait", "faire", "ca", "cela", "ceci", "celui", "celle", "ici", "la", "donc", "car", "si",
	"tout", "tous", "toute", "toutes", "tres", "bien", "plus", "moins", "aussi", "encore", "deja",
	"alors", "comme", "quand", "comment", "quel", "quelle", "quels", "quelles", "ya", "svp", "stp",
	"peu", "peut", "puis", "pouvez", "pourriez", "voudrais",
	"quoi", "dont", "lorsque", "puisque", "jusque", "chez", "vers", "entre", "sous", "apres", "avant",
)

// MessageKeywords returns the stemmed content words of a message in lang,
// each with whether it is only ever mentioned under a negation: "not" or
// "never" (French "pas", "jamais", "ni") at most three words before it in
// the same clause, with only small words between ("cancel my order, not my
// subscription": subscription is negated, order is not; "pas mon
// abonnement"; in "I don't recognise a charge" the charge is not, nor the
// prélèvement in "je ne reconnais pas ce prélèvement"). A verb of wanting
// carries the negation over: "I don't want to cancel" negates cancel. "no internet" and "pas
// d'internet" name a problem, not a negated topic, and a word mentioned
// once plainly and once negated is not negated.
func MessageKeywords(lang, text string) map[string]bool {
	folded := Fold(clip(text, maxMatchBytes))
	toks := tokenize(folded)
	stops := stopWords(lang)
	out := make(map[string]bool, len(toks))
	for i, t := range toks {
		if !isContent(t.Text, stops) {
			continue
		}
		neg := false
		for j := i - 1; j >= 0 && j >= i-3; j-- {
			// A clause ends at punctuation: "not now, cancel my order".
			// (Expanded words, "do not" from "don't", share a position.)
			if from := toks[j].Pos + len(toks[j].Text); from < t.Pos && from <= len(folded) && strings.ContainsAny(folded[from:t.Pos], ",.;:!?") {
				break
			}
			if topicNegators[toks[j].Text] && !(j+1 < len(toks) && (toks[j+1].Text == "de" || toks[j+1].Text == "du" || toks[j+1].Text == "des")) {
				// "je ne reconnais pas ce prélèvement": "ne … pas"
				// negates the verb, the prélèvement is the topic.
				neg = !(j > 0 && (toks[j-1].Text == "ne" || toks[j-1].Text == "n") ||
					j > 1 && (toks[j-2].Text == "ne" || toks[j-2].Text == "n"))
				break
			}
			// A word in between says what is negated: "I don't
			// recognise a charge" negates the recognising, not the
			// charge.
			if isContent(toks[j].Text, stops) && !desires[toks[j].Text] {
				break
			}
		}
		s := stemFolded(lang, t.Text)
		if prev, ok := out[s]; ok {
			out[s] = prev && neg
			continue
		}
		out[s] = neg
	}
	return out
}

// topicNegators set a topic aside ("not my subscription", "pas mon
// abonnement"), unlike "no" or "sans", which name what is missing.
var topicNegators = set("not", "never", "pas", "jamais", "ni")
