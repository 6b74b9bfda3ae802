package compiler

import (
	"slices"
	"strings"
	"unicode"

	"github.com/instrc/instrc/grammar"
)

// The intents a condition names are the stdlib's reading of its words
// (stdlib.ConditionIntents). Two readings need the sentence around the
// words, which the compiler has:
//
//   - a value intent (provides_phone, provides_email, provides_budget)
//     names the contact giving that value. "their number" is that value
//     only after a verb of giving ("gives their number", "donne son
//     numéro") or before a passive one ("their number is provided"); in
//     "wants to bring their number over" or "has moved their number" it is
//     what the request is about, and the condition's own words are matched
//     instead;
//   - a condition whose topic is qualified by an answer ("l'annulation est
//     confirmée", "the quote is rejected") names that answer too, so that
//     it is not read as its topic word alone.

// valueNouns are the words that name the value of each value intent.
var valueNouns = map[string][]string{
	"provides_phone":  {"number", "numbers", "phone", "mobile", "cell", "numero", "numeros", "telephone", "portable"},
	"provides_email":  {"email", "e-mail", "emails", "mail", "address", "adresse", "courriel"},
	"provides_budget": {"budget"},
}

// valuePhraseWords may stand between a verb of giving and the value's
// noun, or inside the value's noun phrase: "gives us their new mobile
// number", "donne son numéro de téléphone", "a phone number or email
// address".
var valuePhraseWords = wordSet(
	"their", "his", "her", "my", "your", "our", "its", "a", "an", "the", "new", "current", "valid", "correct", "contact", "home", "work", "personal", "us", "me", "you", "them", "or", "and", "own",
	"son", "sa", "ses", "leur", "leurs", "mon", "ma", "mes", "notre", "votre", "un", "une", "le", "la", "les", "l'", "de", "d'", "du", "des", "nouveau", "nouvelle", "nouvel", "actuel", "actuelle", "bon", "bonne", "nous", "moi", "lui", "ou", "et", "propre",
)

// givingWords make the value's noun phrase after them the thing given.
var givingWords = wordSet(
	"provides", "provided", "provide", "providing", "gives", "gave", "give", "giving", "shares", "shared", "share", "sharing", "sends", "sent", "send", "sending",
	"leaves", "left", "leave", "types", "typed", "type", "writes", "wrote", "write", "enters", "entered", "enter", "tells", "told", "tell", "includes", "included", "include",
	"contains", "contain", "mentions", "mentioned", "mention", "says", "said", "submits", "submitted", "has", "have", "had", "with", "confirms", "confirmed", "replies", "answers", "drops", "posts",
	"donne", "donner", "fournit", "fourni", "fournir", "indique", "indiquer", "communique", "communiquer", "transmet", "transmis", "transmettre", "envoie", "envoye", "envoyer",
	"laisse", "laisser", "partage", "partager", "precise", "preciser", "ecrit", "tape", "saisit", "saisi", "renseigne", "mentionne", "contient", "avec", "confirme", "donnant", "indiquant",
)

// passiveGiving after the value's noun phrase and a form of "be": "their
// number is provided", "l'adresse e-mail est renseignée".
var passiveGiving = wordSet(
	"given", "provided", "shared", "sent", "entered", "known", "typed", "included", "mentioned", "confirmed", "submitted",
	"donne", "donnee", "fourni", "fournie", "indique", "indiquee", "communique", "communiquee", "transmis", "transmise", "envoye", "envoyee", "renseigne", "renseignee", "connu", "connue", "precise", "precisee", "saisi", "saisie",
)

var beWords = wordSet("is", "was", "are", "were", "has", "have", "been", "gets", "got", "est", "a", "ete", "sont", "etait", "soit")

// answerQualifiers are participles that qualify a condition's topic by the
// contact's answer ("l'annulation est confirmée"), with the intent of that
// answer. The stdlib already reads most English forms from their stem.
var answerQualifiers = map[string]string{
	"confirmed": "confirms", "approved": "confirms", "accepted": "confirms", "validated": "confirms", "agreed": "confirms",
	"declined": "declines", "refused": "declines", "rejected": "declines", "turned down": "declines",
	"confirme": "confirms", "confirmee": "confirms", "confirmes": "confirms", "confirmees": "confirms",
	"valide": "confirms", "validee": "confirms", "valides": "confirms", "validees": "confirms",
	"accepte": "confirms", "acceptee": "confirms", "acceptes": "confirms", "acceptees": "confirms",
	"approuve": "confirms", "approuvee": "confirms", "approuves": "confirms", "approuvees": "confirms",
	"refuse": "declines", "refusee": "declines", "refuses": "declines", "refusees": "declines",
	"rejete": "declines", "rejetee": "declines", "rejetes": "declines", "rejetees": "declines",
	"decline": "declines", "declinee": "declines",
}

func wordSet(ws ...string) map[string]bool {
	out := make(map[string]bool, len(ws))
	for _, w := range ws {
		out[w] = true
	}
	return out
}

// conditionWordsOf splits a condition into folded words, elisions apart:
// "l'annulation" → "l'", "annulation".
func conditionWordsOf(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(grammar.Fold(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-'
	}) {
		if i := strings.IndexByte(w, '\''); i >= 0 && i < len(w)-1 {
			out = append(out, w[:i+1], w[i+1:])
			continue
		}
		out = append(out, strings.Trim(w, "'-"))
	}
	return out
}

// readIntents corrects the stdlib's intents of a condition with what the
// sentence says around their words (see above).
func readIntents(text string, intents []string) []string {
	words := conditionWordsOf(text)
	var out []string
	for _, in := range intents {
		if nouns, ok := valueNouns[in]; ok && !valueGiven(words, nouns) {
			continue
		}
		out = append(out, in)
	}
	for i, w := range words {
		in := answerQualifiers[w]
		if in == "" || i == 0 || !beWords[words[i-1]] {
			continue
		}
		if !slices.Contains(out, in) {
			out = append(out, in)
		}
	}
	return out
}

// valueGiven reports whether a noun of the value stands as the thing given:
// after a verb of giving, before a passive one, or opening the condition.
func valueGiven(words, nouns []string) bool {
	isNoun := func(w string) bool {
		for _, ns := range valueNouns {
			if slices.Contains(ns, w) {
				return true
			}
		}
		return false
	}
	for i, w := range words {
		if !slices.Contains(nouns, w) {
			continue
		}
		j := i - 1
		for j >= 0 && (valuePhraseWords[words[j]] || isNoun(words[j])) {
			j--
		}
		if j < 0 || givingWords[words[j]] {
			return true
		}
		k := i + 1
		for k < len(words) && (valuePhraseWords[words[k]] || isNoun(words[k])) && !beWords[words[k]] {
			k++
		}
		for k < len(words) && beWords[words[k]] {
			k++
		}
		if k > i+1 && k < len(words) && beWords[words[k-1]] && passiveGiving[words[k]] {
			return true
		}
	}
	return false
}
