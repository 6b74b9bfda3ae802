package grammar

import (
	"strings"
	"unicode"
)

// kw is a keyword list: each entry a phrase of folded words.
type kw [][]string

func kws(phrases ...string) kw {
	out := make(kw, 0, len(phrases))
	for _, p := range phrases {
		out = append(out, splitPhrase(Fold(p)))
	}
	// longest first, so "closing note" wins over "note"
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// at returns how many tokens starting at args[i] match one of the phrases
// (0 when none). Tokens the lexer already joined ("hand over") match a phrase
// written with a space.
func (k kw) at(args []Token, i int) int {
	for _, p := range k {
		n, j := 0, i
		ok := true
		for wi := 0; wi < len(p); {
			if j >= len(args) {
				ok = false
				break
			}
			f := args[j].Fold
			if args[j].Kind == KQuoted || args[j].Kind == KSigil || args[j].Kind == KVar {
				ok = false
				break
			}
			if strings.IndexByte(f, '\'') < 0 && !strings.ContainsFunc(f, unicode.IsSpace) {
				// One word, the common case: compare without splitting.
				if f == "" || p[wi] != f {
					ok = false
					break
				}
				wi++
				j++
				n++
				continue
			}
			fw := strings.Fields(strings.ReplaceAll(f, "'", "' "))
			if len(fw) == 0 {
				ok = false
				break
			}
			for _, w := range fw {
				if wi >= len(p) || p[wi] != w {
					ok = false
					break
				}
				wi++
			}
			if !ok {
				break
			}
			j++
			n++
		}
		if ok && n > 0 {
			return n
		}
	}
	return 0
}

// find returns the index and length of the first match at or after from.
func (k kw) find(args []Token, from int) (int, int) {
	for i := from; i < len(args); i++ {
		if n := k.at(args, i); n > 0 {
			return i, n
		}
	}
	return -1, 0
}

var (
	articles = map[string]bool{
		"the": true, "a": true, "an": true, "their": true, "his": true, "her": true, "its": true, "this": true, "that": true, "our": true, "your": true, "my": true, "these": true, "those": true, "some": true, "any": true,
		"le": true, "la": true, "les": true, "l'": true, "un": true, "une": true, "des": true, "du": true, "de": true, "d'": true, "son": true, "sa": true, "ses": true, "leur": true, "leurs": true, "ce": true, "cet": true, "cette": true, "ces": true, "notre": true, "votre": true, "nos": true, "vos": true, "au": true, "aux": true,
	}
	pronouns = map[string]bool{
		"it": true, "them": true, "him": true, "her": true, "they": true, "this": true, "that": true, "those": true, "these": true, "the contact": true, "the customer": true, "the user": true, "the client": true,
		"-le": true, "-la": true, "-les": true, "-lui": true, "-leur": true, "le": true, "la": true, "les": true, "l'": true, "lui": true, "leur": true, "y": true, "en": true, "-y": true, "-en": true,
	}

	fieldKW     = kws("contact field", "custom field", "field", "property", "attribute", "champ du contact", "champ contact", "champ de contact", "champ personnalisé", "champ", "attribut", "propriété")
	stageKW     = kws("lifecycle stage", "lifecycle status", "lifecycle", "life cycle stage", "life cycle", "stage", "pipeline stage", "stage de vie", "étape du cycle de vie", "étape de cycle de vie", "cycle de vie", "étape", "stade", "phase")
	noteKW      = kws("closing note", "close note", "closing reason", "closing category", "resolution note", "note de clôture", "motif de clôture", "motif", "close reason", "raison de clôture", "note de fermeture", "note")
	tagKW       = kws("tag", "tags", "label", "labels", "étiquette", "étiquettes")
	commentKW   = kws("internal comment", "private comment", "internal note", "private note", "comment", "note", "commentaire interne", "commentaire", "note interne", "note privée")
	workflowKW  = kws("workflow", "automation", "action", "custom action", "flow", "flux", "automatisation", "scénario")
	summaryKW   = kws("summary", "summarize", "summarise", "summarizing", "summarising", "recap", "résumé", "résumer", "résumant", "récapitulatif", "synthèse")
	summaryOfKW = kws("summarizing", "summarising", "with a summary of", "with a summary about", "summarize", "en résumant", "avec un résumé de", "en faisant un résumé de", "résumant")
	roundRobin  = kws("round robin", "round-robin", "roundrobin", "rotation", "tour de rôle", "à tour de rôle")
	leastOpen   = kws("least open conversations", "least open", "fewest open conversations", "fewest open", "least busy", "lowest workload", "fewest conversations", "least conversations", "moins de conversations ouvertes", "moins de conversations", "le moins chargé", "moins chargé", "moins occupé")
	negWords    = map[string]bool{"skip": true, "skipping": true, "omit": true, "omitting": true, "not": true, "no": true, "without": true, "nor": true, "don't": true, "dont": true, "never": true, "do not": true, "sans": true, "ni": true, "pas": true, "ne": true, "n'": true, "aucun": true, "aucune": true, "jamais": true, "ne pas": true}
	unassignKW  = kws("assignee", "assignment", "the assigned agent", "assignation", "l'assignation", "attribution")
	// generic assignees name nobody in particular.
	genericAssignee = map[string]bool{"human": true, "a human": true, "agent": true, "an agent": true, "a person": true, "person": true, "someone": true, "somebody": true, "a human agent": true, "human agent": true, "a teammate": true, "support": true, "a real person": true, "staff": true, "un humain": true, "humain": true, "un agent": true, "quelqu'un": true, "une personne": true, "un conseiller": true, "conseiller": true, "un collegue": true, "l'equipe": true, "the team": true}
)

// roleKW says which keyword names a role, so that "the Qualified stage"
// becomes the name "Qualified".
func roleKW(r Role) kw {
	switch r {
	case RoleField:
		return fieldKW
	case RoleStage:
		return stageKW
	case RoleNote:
		return noteKW
	case RoleTag:
		return tagKW
	case RoleRun:
		return workflowKW
	}
	return nil
}

var teamKW = kws("team", "équipe", "group", "groupe", "queue", "department", "service")

// isNameWord reports whether a token can be part of an unquoted name.
func isNameWord(t Token) bool {
	switch t.Kind {
	case KWord, KNumber, KAnd, KVerb, KThen, KFiller, KNeg, KClitic:
		return true
	case KPunct:
		return t.Text == "&" || t.Text == "-" || t.Text == "/" || t.Text == "+"
	}
	return false
}

func isFunctionWord(t Token) bool {
	switch t.Kind {
	case KAnd, KThen, KCond:
		return true
	case KWord, KFiller, KNeg, KVerb:
		return functionWords[t.Fold]
	}
	return false
}
