package grammar

import "strings"

// StepKind is what a step does, decided by its verb (and, for a few verbs,
// by its arguments).
type StepKind int

const (
	StepUnknown   StepKind = iota
	StepClose              // close the conversation
	StepAssign             // assign / transfer / route / hand over
	StepUnassign           // unassign
	StepSave               // save / set / update a contact field (or lifecycle, decided by args)
	StepLifecycle          // move the contact to a stage
	StepAddTag             // add %tag / tag the contact with %tag
	StepRemoveTag          // remove %tag
	StepComment            // add an internal comment
	StepRun                // trigger a workflow or call a custom action (`!name`)
	StepReply              // reply / respond / tell
	StepCollect            // ask the contact for something (not an action)
	StepMention            // tag/mention @user (folded into a comment)
	StepReopen             // reopen (unsupported)
	StepCreate             // create a field, stage, tag, note (unsupported)
	StepDelete             // delete a field, stage, tag, note (unsupported unless a tag)
	StepSchedule           // wait / follow up / remind (scheduled, unsupported)
)

var stepKindNames = [...]string{"unknown", "close", "assign", "unassign", "save", "lifecycle", "add-tag", "remove-tag", "comment", "run", "reply", "collect", "mention", "reopen", "create", "delete", "schedule"}

func (k StepKind) String() string {
	if int(k) < len(stepKindNames) {
		return stepKindNames[k]
	}
	return "unknown"
}

// IsAction reports whether steps of this kind become plan actions.
func (k StepKind) IsAction() bool {
	switch k {
	case StepClose, StepAssign, StepUnassign, StepSave, StepLifecycle, StepAddTag, StepRemoveTag, StepComment, StepRun:
		return true
	}
	return false
}

// verbs maps folded verb forms (English imperative; French imperative
// singular and plural, and infinitive) to the step they start. Multi-word
// verbs are written with single spaces; the lexer joins them greedily.
var verbs = map[string]StepKind{}

func addVerbs(k StepKind, forms ...string) {
	for _, f := range forms {
		verbs[Fold(f)] = k
	}
}

// frVerb adds the usual French forms of a first-group verb from its stem:
// ferm → ferme, fermez, fermer, fermons.
func frVerb(k StepKind, stems ...string) {
	for _, s := range stems {
		addVerbs(k, s+"e", s+"ez", s+"er", s+"ons")
	}
}

func init() {
	addVerbs(StepClose, "close", "end", "resolve", "finish", "wrap up", "conclude", "archive")
	frVerb(StepClose, "ferm", "clôtur", "termin", "résolv", "archiv")
	addVerbs(StepClose, "résous", "résoudre")

	addVerbs(StepAssign, "assign", "reassign", "re-assign", "transfer", "route", "reroute", "hand over", "handover", "hand off", "handoff", "hand", "escalate", "forward", "pass", "send over", "direct", "redirect", "allocate", "give")
	frVerb(StepAssign, "assign", "réassign", "attribu", "réattribu", "transfér", "transfer", "rout", "redirig", "confi", "escalad", "pass", "orient", "affect")
	addVerbs(StepAssign, "transfère", "redirige", "redirigez", "rediriger", "transmets", "transmettez", "transmettre", "remets", "remettez", "remettre")

	addVerbs(StepUnassign, "unassign", "un-assign", "deassign", "release")
	frVerb(StepUnassign, "désassign", "desassign")

	addVerbs(StepSave, "save", "store", "record", "capture", "update", "set", "fill", "fill in", "populate", "log", "write down", "note down", "change", "put")
	frVerb(StepSave, "enregistr", "sauvegard", "stock", "renseign", "chang", "modifi", "consign", "rempl")
	addVerbs(StepSave, "tick", "coche", "cochez", "cocher", "notez", "noter", "mets à jour", "mettez à jour", "mettre à jour", "mets", "mettez", "mettre", "définis", "définissez", "définir", "remplis", "remplissez", "remplir", "inscris", "inscrivez", "inscrire")

	addVerbs(StepLifecycle, "move", "mark", "promote", "qualify", "advance", "progress", "upgrade", "downgrade")
	frVerb(StepLifecycle, "déplac", "bascul", "fais pass", "marqu", "qualifi", "promouv")
	addVerbs(StepLifecycle, "fais passer", "faites passer", "promeus")

	addVerbs(StepAddTag, "add", "tag", "label", "apply")
	frVerb(StepAddTag, "ajout", "tagu", "étiquet", "appliqu")
	addVerbs(StepAddTag, "étiquette")
	addVerbs(StepAddTag, "file", "flag", "categorize", "categorise", "classify")
	frVerb(StepAddTag, "class", "catégoris")

	addVerbs(StepRemoveTag, "remove", "untag", "unlabel", "clear", "drop", "take off")
	frVerb(StepRemoveTag, "retir", "enlev", "ôt")
	addVerbs(StepRemoveTag, "enlève")

	addVerbs(StepComment, "comment", "leave", "write", "post", "annotate")
	frVerb(StepComment, "comment", "laiss", "écri", "post", "annot")
	addVerbs(StepComment, "écris", "écrivez", "écrire")

	addVerbs(StepRun, "trigger", "start", "run", "launch", "fire", "kick off", "execute", "call", "invoke", "use", "look up", "check", "fetch", "retrieve", "trigger off", "enroll")
	frVerb(StepRun, "déclench", "lanc", "démarr", "exécut", "appel", "utilis", "vérifi", "consult", "récupér", "inscri")
	addVerbs(StepRun, "appelle", "appellez", "appeler")

	addVerbs(StepReply, "reply", "respond", "answer", "say", "tell", "send", "let", "inform", "thank", "apologize", "apologise", "explain", "share", "offer", "provide", "greet", "welcome", "acknowledge", "confirm", "invite", "remind them", "direct them", "point")
	frVerb(StepReply, "répond", "envoi", "inform", "remerci", "expliqu", "partag", "propos", "salu", "confirm", "invit", "indiqu", "précis", "excus")
	addVerbs(StepReply, "réponds", "répondez", "répondre", "dis", "dites", "dire", "envoie", "envoyez", "envoyer", "fournis", "fournissez", "fournir", "accueille", "accueillez", "accueillir")

	addVerbs(StepCollect, "collect", "ask", "ask for", "request", "get", "gather", "obtain", "find out", "get hold", "ask them", "ask the contact", "ask the customer", "verify", "qualify them")
	frVerb(StepCollect, "demand", "collect", "recueill", "obten", "rassembl")
	addVerbs(StepCollect, "recueille", "recueillez", "recueillir", "obtiens", "obtenez", "obtenir")

	addVerbs(StepMention, "mention", "notify", "ping", "loop in", "cc")
	frVerb(StepMention, "mentionn", "notifi", "prévien")
	addVerbs(StepMention, "préviens", "prévenez", "prévenir")

	addVerbs(StepReopen, "reopen", "re-open", "unclose", "open again")
	addVerbs(StepReopen, "rouvre", "rouvrez", "rouvrir", "réouvre", "réouvrez", "réouvrir")

	addVerbs(StepCreate, "create", "make", "define", "introduce")
	frVerb(StepCreate, "cré")
	addVerbs(StepCreate, "crée", "créez", "créer")

	addVerbs(StepDelete, "delete", "erase", "purge", "wipe", "destroy")
	frVerb(StepDelete, "supprim", "effac", "détruis")

	addVerbs(StepSchedule, "wait", "follow up", "remind", "schedule", "snooze", "postpone", "delay", "defer", "ping back", "call back", "check back", "check in")
	frVerb(StepSchedule, "attend", "relanc", "rappel", "programm", "planifi", "report", "différ")
	addVerbs(StepSchedule, "attends", "attendez", "attendre", "rappelle", "rappelez", "rappeler")

	for k := range verbs {
		if strings.Contains(k, " ") {
			addPhrase(k)
		}
	}
	for _, p := range append(append([]string{}, condMarkers...), thenWords...) {
		if len(splitPhrase(Fold(p))) > 1 {
			addPhrase(Fold(p))
		}
	}
	for _, p := range fillers {
		if strings.Contains(p, " ") {
			addPhrase(Fold(p))
		}
	}
	for _, p := range negations {
		if strings.Contains(p, " ") {
			addPhrase(Fold(p))
		}
	}
	for _, m := range condMarkers {
		condSet[Fold(m)] = true
	}
	for _, m := range thenWords {
		thenSet[Fold(m)] = true
	}
	for _, m := range andWords {
		andSet[Fold(m)] = true
	}
	for _, m := range fillers {
		fillerSet[Fold(m)] = true
	}
	for _, m := range negations {
		negSet[Fold(m)] = true
	}
}

// condMarkers start a condition, leading or trailing.
var condMarkers = []string{
	"if", "when", "whenever", "once", "as soon as", "in case", "in the event that", "provided that", "only if", "unless",
	"si", "s'il", "s'ils", "s'elle", "quand", "lorsque", "lorsqu'", "une fois que", "une fois qu'", "dès que", "dès qu'", "au cas où", "chaque fois que", "chaque fois qu'", "une fois", "à chaque fois que", "pour peu que", "seulement si", "après que", "après qu'",
}

// thenWords separate steps in a chain.
var thenWords = []string{"then", "and then", "after that", "afterwards", "next", "finally", "also", "puis", "et puis", "ensuite", "et ensuite", "enfin", "après cela", "aussi", "et enfin", "and finally", "and also"}

// andWords separate steps (and items in lists).
var andWords = []string{"and", "et", "&"}

// fillers may precede a verb without changing the step: politeness, modal
// phrasing, adverbs.
var fillers = []string{
	"please", "kindly", "always", "immediately", "right away", "directly", "automatically", "just", "simply", "politely", "quickly", "you should", "you must", "you need to", "you can", "should", "must", "make sure to", "be sure to", "remember to", "go ahead and", "try to", "we want you to", "the agent should", "the agent must", "the bot should", "the bot must", "the ai should", "you will", "you'll", "i want you to", "it should", "instantly", "promptly",
	"maybe", "perhaps", "probably", "possibly", "peut-être", "probablement", "éventuellement", "fais", "faites", "faire",
	"s'il te plaît", "s'il vous plaît", "stp", "svp", "merci de", "veuillez", "toujours", "immédiatement", "directement", "automatiquement", "simplement", "poliment", "tu dois", "vous devez", "il faut", "l'agent doit", "le bot doit", "pense à", "pensez à", "n'oublie pas de", "n'oubliez pas de", "tu peux", "vous pouvez", "il faut que tu", "doit", "dois", "devez", "also", "ensuite",
}

// negations before a verb make the step a prohibition ("do not reply").
var negations = []string{"do not", "don't", "dont", "never", "must not", "mustn't", "should not", "shouldn't", "no need to", "avoid", "ne", "n'", "ne pas", "jamais", "ne jamais", "pas", "évite de", "évitez de", "sans"}

var (
	condSet   = map[string]bool{}
	thenSet   = map[string]bool{}
	andSet    = map[string]bool{}
	fillerSet = map[string]bool{}
	negSet    = map[string]bool{}
)

// phrases holds multi-word lexicon entries by their first word, so that the
// lexer can join "hand over", "une fois que", "mets à jour" into one token.
var phrases = map[string][][]string{}

func addPhrase(p string) {
	words := splitPhrase(p)
	if len(words) < 2 {
		return
	}
	first := words[0]
	for _, existing := range phrases[first] {
		if strings.Join(existing, " ") == strings.Join(words, " ") {
			return
		}
	}
	phrases[first] = append(phrases[first], words)
	// longest first
	ps := phrases[first]
	for i := len(ps) - 1; i > 0 && len(ps[i]) > len(ps[i-1]); i-- {
		ps[i], ps[i-1] = ps[i-1], ps[i]
	}
}

// splitPhrase splits a folded phrase into words the way the lexer does
// (elisions like "lorsqu'" stay one word).
func splitPhrase(p string) []string {
	var out []string
	for _, w := range strings.Fields(p) {
		if i := strings.IndexByte(w, '\''); i >= 0 && i < len(w)-1 {
			out = append(out, w[:i+1], w[i+1:])
			continue
		}
		out = append(out, w)
	}
	return out
}

// functionWords end an unquoted name that matches no workspace name
// (DESIGN.md: `by`, `using`, `if`, `at`, `or`, `and`, `then`; FR `par`, `si`,
// `à`, `ou`, `et`, `puis`).
var functionWords = map[string]bool{
	"by": true, "using": true, "if": true, "at": true, "or": true, "and": true, "then": true, "with": true, "when": true, "via": true, "in": true, "for": true, "to": true, "because": true, "so": true, "unless": true, "once": true, "as": true, "from": true, "on": true, "whenever": true, "after": true, "before": true,
	"par": true, "si": true, "a": true, "ou": true, "et": true, "puis": true, "avec": true, "quand": true, "en": true, "pour": true, "lorsque": true, "lorsqu'": true, "sur": true, "comme": true, "des": true, "dans": true, "au": true, "aux": true, "car": true, "afin": true, "selon": true, "apres": true, "avant": true,
}

// hedges make an instruction vague (vague-instruction).
var hedges = []string{
	"maybe", "perhaps", "or something", "if it feels like", "if it feels right", "if you feel like", "if you think", "if you want", "kind of", "sort of", "probably", "possibly", "somehow", "or whatever", "something like that", "whatever you think", "use your judgment", "use your judgement", "or so",
	"peut-être", "peut être", "ou quelque chose", "ou un truc", "si tu le sens", "si vous le sentez", "si tu veux", "éventuellement", "probablement", "en quelque sorte", "si ça te semble", "à ta guise", "comme tu veux", "ou autre chose",
}

// timing phrases the agent cannot act on (scheduled-action). Matched on
// folded words; patterns with a number use the placeholder "#".
var timingPhrases = []string{
	"tomorrow", "later", "tonight", "next week", "next month", "next day", "in # hours", "in # hour", "in # minutes", "in # minute", "in # days", "in # day", "in an hour", "in a few hours", "in a few minutes", "in # weeks", "after # hours", "after # minutes", "after # days", "after an hour", "at #pm", "at #am", "at # pm", "at # am", "at #:#", "at # o'clock", "at noon", "at midnight", "on monday", "on tuesday", "on wednesday", "on thursday", "on friday", "on saturday", "on sunday", "this evening", "end of day", "eod", "the day after", "every morning", "every day", "overnight",
	"demain", "plus tard", "ce soir", "la semaine prochaine", "le mois prochain", "dans # heures", "dans # heure", "dans # minutes", "dans # jours", "dans une heure", "dans quelques heures", "apres # heures", "apres une heure", "a #h", "a #h#", "a # h", "a midi", "a minuit", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "tout a l'heure", "en fin de journee", "le lendemain",
}

// presencePhrases need presence data the agent does not have.
var presencePhrases = []string{
	"next available", "first available", "whoever is online", "whoever is available", "whoever is free", "an available agent", "any available agent", "available agent", "online agent", "agent who is online", "agents who are online", "someone online", "whoever is on shift", "on duty", "least busy agent", "whoever is online in", "whoever is around",
	"prochain agent disponible", "premier agent disponible", "agent disponible", "qui est en ligne", "qui est disponible", "un agent en ligne", "quelqu'un de disponible", "de garde", "quiconque est en ligne", "quiconque est disponible", "celui qui est en ligne", "celui qui est disponible",
}

// nameFollowers may follow a workspace name without being part of it:
// `assign to @alice now`, `add %VIP too`. Any other word after a workspace
// name makes the whole phrase the name (`@Billing Team Europe`).
var nameFollowers = []string{
	"now", "too", "instead", "first", "again", "asap", "already", "yet", "still", "as well", "right away", "right now", "straight away", "immediately", "directly", "please", "afterwards", "as well", "only",
	"who", "whom", "whose", "which", "that", "has", "have", "is", "are", "was", "will", "can", "does",
	"maintenant", "aussi", "également", "plutôt", "d'abord", "déjà", "encore", "tout de suite", "immédiatement", "directement", "stp", "svp", "seulement", "uniquement",
	"qui", "que", "qu'", "dont", "est", "sont", "sera", "peut", "doit",
}

// participleEndings end a lower-case word that starts a clause after a
// name: `@carol explaining why`, `@Chloé Lefèvre expliquant pourquoi`.
var participleEndings = []string{"ing", "ant"}
