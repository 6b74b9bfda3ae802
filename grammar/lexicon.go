package grammar

import "strings"

// StepKind is what a step does, decided by its verb (and, for a few verbs,
// by its arguments).
type StepKind int

const (
	StepUnknown     StepKind = iota
	StepClose                // close the conversation
	StepAssign               // assign / transfer / route / hand over
	StepUnassign             // unassign
	StepSave                 // save / set / update a contact field (or lifecycle, decided by args)
	StepLifecycle            // move the contact to a stage
	StepAddTag               // add %tag / tag the contact with %tag
	StepRemoveTag            // remove %tag
	StepComment              // add an internal comment
	StepRun                  // trigger a workflow or call a custom action (`!name`)
	StepReply                // reply / respond / tell
	StepCollect              // ask the contact for something (not an action)
	StepMention              // tag/mention @user (folded into a comment)
	StepReopen               // reopen (unsupported)
	StepCreate               // create a field, stage, tag, note (unsupported)
	StepDelete               // delete a field, stage, tag, note (unsupported unless a tag)
	StepSchedule             // wait / follow up / remind (scheduled, unsupported)
	StepUnsupported          // archive, send an e-mail, …: nothing the agent can do
)

var stepKindNames = [...]string{"unknown", "close", "assign", "unassign", "save", "lifecycle", "add-tag", "remove-tag", "comment", "run", "reply", "collect", "mention", "reopen", "create", "delete", "schedule", "unsupported"}

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
	addVerbs(StepAssign, "passe la main", "passez la main", "passer la main")
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
	"sauf si", "à moins que", "à moins qu'", "except when", "except if", "in case of", "in the event of",
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
	"veille à", "veillez à", "veiller à", "n'oublie pas d'", "n'oubliez pas d'", "merci d'", "il faudra", "il faut toujours", "tu devras", "vous devrez", "pense bien à", "pensez bien à", "prends soin de", "prenez soin de", "assure-toi de", "assurez-vous de", "assure-toi d'", "assurez-vous d'",
	"you'll need to", "you need to", "don't forget to", "do not forget to", "make sure you", "take care to", "we'd like you to", "we would like you to", "it is important to", "be sure you",
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
// (docs/language.md: `by`, `using`, `if`, `at`, `or`, `and`, `then`; FR `par`, `si`,
// `à`, `ou`, `et`, `puis`).
var functionWords = map[string]bool{
	"by": true, "using": true, "if": true, "at": true, "or": true, "and": true, "then": true, "with": true, "when": true, "via": true, "in": true, "for": true, "to": true, "because": true, "so": true, "unless": true, "once": true, "as": true, "from": true, "on": true, "whenever": true, "after": true, "before": true,
	"par": true, "si": true, "a": true, "ou": true, "et": true, "puis": true, "avec": true, "quand": true, "en": true, "pour": true, "lorsque": true, "lorsqu'": true, "sur": true, "comme": true, "des": true, "dans": true, "au": true, "aux": true, "car": true, "afin": true, "selon": true, "apres": true, "avant": true,
}

// hedges make an instruction vague (vague-instruction).
var hedges = []string{
	"maybe", "perhaps", "or something", "if it feels like", "if it feels right", "if you feel like", "if you think", "if you want", "kind of", "sort of", "probably", "possibly", "somehow", "or whatever", "something like that", "whatever you think", "use your judgment", "use your judgement", "or so",
	"peut-être", "peut être", "ou quelque chose", "ou un truc", "si tu le sens", "si vous le sentez", "si tu veux", "éventuellement", "probablement", "en quelque sorte", "si ça te semble", "à ta guise", "comme tu veux", "ou autre chose",
	// impressions rather than facts: "if it seems urgent", "if they sound angry"
	"seems", "seem", "seemed", "seemingly", "sounds", "sound like", "they sound", "he sounds", "she sounds", "you sound", "looks like", "look like", "appears to", "appear to", "feels like", "apparently", "might be", "could be", "likely", "i guess", "i think", "if you feel", "if needed", "if appropriate", "as you see fit", "when it makes sense", "if it makes sense", "at your discretion", "if relevant",
	"semble", "semblent", "sembler", "on dirait", "a l'air", "ont l'air", "avoir l'air", "paraît", "paraissent", "apparemment", "sans doute", "il se peut", "pourrait être", "si besoin", "si nécessaire", "si pertinent", "si tu juges", "si vous jugez", "selon ton jugement", "selon votre jugement", "à ta discrétion", "à votre discrétion", "au feeling",
}

// timing phrases the agent cannot act on (scheduled-action). Matched on
// folded words; patterns with a number use the placeholder "#".
var timingPhrases = []string{
	"tomorrow", "later", "tonight", "next week", "next month", "next day", "in # hours", "in # hour", "in # minutes", "in # minute", "in # days", "in # day", "in an hour", "in a few hours", "in a few minutes", "in # weeks", "after # hours", "after # minutes", "after # days", "after an hour", "at #pm", "at #am", "at # pm", "at # am", "at #:#", "at # o'clock", "at noon", "at midnight", "on monday", "on tuesday", "on wednesday", "on thursday", "on friday", "on saturday", "on sunday", "this evening", "end of day", "eod", "the day after", "every morning", "every day", "overnight",
	"in the morning", "in the afternoon", "in the evening", "this afternoon", "this morning", "later today", "later on", "first thing", "next morning", "by end of day", "end of the day", "within # hours", "within # hour", "within # minutes", "within # days", "within the hour", "on the weekend", "over the weekend", "at the weekend", "this weekend", "next weekend", "on weekends", "every week", "next business day", "the next business day",
	"demain", "plus tard", "ce soir", "cet après-midi", "ce matin", "dans la matinée", "dans l'après-midi", "dans la soirée", "en début de journée", "en fin de semaine", "le week-end", "ce week-end", "le weekend", "ce weekend", "d'ici # heures", "d'ici # heure", "d'ici # minutes", "d'ici # jours", "d'ici demain", "d'ici ce soir", "sous # heures", "sous # jours", "sous #h", "dans # h", "dans #h", "dans # min", "chaque semaine", "tous les jours", "le jour ouvré suivant", "le prochain jour ouvré", "la semaine prochaine", "le mois prochain", "dans # heures", "dans # heure", "dans # minutes", "dans # jours", "dans une heure", "dans quelques heures", "apres # heures", "apres une heure", "a #h", "a #h#", "a # h", "a midi", "a minuit", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "tout a l'heure", "en fin de journee", "le lendemain",
}

// presencePhrases need presence data the agent does not have.
var presencePhrases = append(presenceForms(), []string{
	"next available", "first available", "whoever is online", "whoever is available", "whoever is free", "an available agent", "any available agent", "available agent", "online agent", "agent who is online", "agents who are online", "someone online", "whoever is on shift", "on duty", "least busy agent", "whoever is online in", "whoever is around",
	"prochain agent disponible", "premier agent disponible", "agent disponible", "qui est en ligne", "qui est disponible", "un agent en ligne", "quelqu'un de disponible", "de garde", "quiconque est en ligne", "quiconque est disponible", "celui qui est en ligne", "celui qui est disponible",
}...)

// nameFollowers may follow a workspace name without being part of it:
// `assign to @alice now`, `add %VIP too`. Any other word after a workspace
// name makes the whole phrase the name (`@Billing Team Europe`).
var nameFollowers = []string{
	"now", "today", "aujourd'hui", "too", "instead", "first", "again", "asap", "already", "yet", "still", "as well", "right away", "right now", "straight away", "immediately", "directly", "please", "afterwards", "as well", "only",
	"who", "whom", "whose", "which", "that", "has", "have", "is", "are", "was", "will", "can", "does",
	"maintenant", "aussi", "également", "plutôt", "d'abord", "déjà", "encore", "tout de suite", "immédiatement", "directement", "stp", "svp", "seulement", "uniquement",
	"qui", "que", "qu'", "dont", "est", "sont", "sera", "peut", "doit",
}

// participleEndings end a lower-case word that starts a clause after a
// name: `@carol explaining why`, `@Chloé Lefèvre expliquant pourquoi`.
var participleEndings = []string{"ing", "ant"}

// The structure of a scenario beyond "If …, …": the words that open a
// condition at the start of a sentence, the words that negate the previous
// condition or question, the words of a fallback scenario, and the words a
// step may hold without their changing what it does. Adding a synonym is one
// line here.

// openers begin a leading condition at the start of a sentence only
// ("For refund requests, add %Refund."). Their words stay part of the
// condition's text ("During business hours" is a business-hours check),
// except for the markerOnly ones, which only say "a condition follows".
var openers = []string{
	"should", "for", "for any", "for all", "for every", "after", "any time", "anytime", "every time", "each time", "on", "upon",
	"in case of", "in the event of", "during", "outside", "outside of", "within", "before", "while", "as long as",
	"pour", "pour toute", "pour tout", "pour toutes", "pour tous", "pour les", "pendant", "durant", "en cas de", "en cas d'",
	"après", "avant", "à la réception de", "à la réception d'", "à réception de", "à réception d'", "lors de", "lors d'",
	"en dehors de", "en dehors des", "en dehors du", "hors", "au moment où", "dès réception de", "dès réception d'",
	"à chaque", "chaque fois qu'",
}

// markerOnly openers carry no meaning of their own in the condition.
var markerOnly = []string{"should", "for", "for any", "for all", "for every", "pour", "pour toute", "pour tout", "pour toutes", "pour tous", "pour les", "in case of", "in the event of", "en cas de", "en cas d'", "upon", "on"}

// elseOpeners negate the condition or question just before them ("If not,
// close the conversation", "…; otherwise reply with the policy").
var elseOpeners = []string{
	"if not", "otherwise", "else", "or else", "if that's not the case", "if this is not the case", "if they don't", "if they do not",
	"sinon", "si non", "autrement", "dans le cas contraire", "si ce n'est pas le cas",
}

// yesOpeners take the question or condition just before them as their own
// ("Does the contact have an account? If so, …", "Si oui, …"): the scenario
// applies when the contact answers yes.
var yesOpeners = []string{
	"if so", "if yes", "if they do", "if they have", "if they are", "if it does", "if that's the case", "if this is the case",
	"if that is the case", "if this is so", "if the answer is yes", "in that case", "in this case",
	"si oui", "si c'est le cas", "le cas échéant", "si la réponse est oui", "dans ce cas", "si tel est le cas",
}

// topicNouns end a phrase that names which conversations a step is for
// ("Assign refund requests to @Billing Team"): written inside the step it
// is a condition the step cannot read.
var topicNouns = map[string]bool{
	"question": true, "questions": true, "request": true, "requests": true, "issue": true, "issues": true,
	"query": true, "queries": true, "inquiry": true, "inquiries": true, "enquiry": true, "enquiries": true,
	"ticket": true, "tickets": true, "complaint": true, "complaints": true, "case": true, "cases": true,
	"problem": true, "problems": true, "chats": true, "conversations": true, "messages": true,
	"demande": true, "demandes": true, "reclamation": true, "reclamations": true, "probleme": true, "problemes": true,
	"requete": true, "requetes": true,
}

// fallbackOpeners open a scenario that runs only when no other applies.
var fallbackOpeners = []string{
	"if no clear intent", "if there is no clear intent", "if the intent is unclear", "if the intent is not clear", "if intent is unclear",
	"if nothing else applies", "if none of the above applies", "if none of the above", "if none of these apply", "if nothing matches",
	"in all other cases", "in any other case", "for anything else", "for everything else", "for all other requests", "for any other request",
	"for any other question", "for all other questions", "as a fallback", "by default", "if unclear",
	"dans les autres cas", "dans tous les autres cas", "sans intention claire", "sans intention précise", "si rien ne correspond", "si aucun autre cas ne s'applique", "si rien d'autre ne s'applique", "si la demande n'est pas claire", "si la demande est floue", "without a clear intent", "with no clear intent", "no clear intent", "if the request is unclear", "if you can't tell what they want", "si aucune intention claire", "si l'intention n'est pas claire", "si l'intention est floue",
	"si rien d'autre ne s'applique", "si aucun des cas ci-dessus", "si aucun cas ne s'applique", "pour toute autre demande", "pour toute autre question",
	"pour tout le reste", "par défaut", "à défaut", "si aucune intention n'est claire",
}

// askIfVerbs are collect verbs after which "if"/"si" asks a question
// ("Ask if there's anything else") rather than opening a condition.
var askIfWords = map[string]bool{"if": true, "whether": true, "si": true, "s'il": true, "s'ils": true, "s'elle": true}

// infinitiveLinks join French infinitives of a chain ("merci de mettre …,
// d'ajouter … et de déclencher …"): before an infinitive they are fillers.
var infinitiveLinks = map[string]bool{"de": true, "d'": true, "à": true, "a": true}

// stepGlue are words an action step may hold around its names without
// their asking for anything more: "close the conversation", "select the
// closing note", "assign the chat to …", "mets le contact à …".
var stepGlue = map[string]bool{
	"conversation": true, "conversations": true, "chat": true, "chats": true, "ticket": true, "thread": true, "case": true, "discussion": true, "session": true, "request": true,
	"contact": true, "contacts": true, "customer": true, "customers": true, "client": true, "clients": true, "user": true, "lead": true, "person": true, "profile": true, "record": true, "patient": true, "patients": true,
	"select": true, "selecting": true, "choose": true, "choosing": true, "pick": true, "picking": true, "set": true, "setting": true, "use": true, "using": true, "generate": true, "generating": true, "write": true, "writing": true, "add": true, "adding": true, "apply": true, "applying": true, "mark": true, "marking": true,
	"member": true, "members": true, "agent": true, "agents": true, "rep": true, "teammate": true, "specialist": true, "specialists": true, "colleague": true, "colleagues": true,
	"called": true, "named": true, "same": true, "right": true, "appropriate": true, "relevant": true, "correct": true, "new": true, "value": true, "accordingly": true, "now": true, "straight": true, "away": true, "too": true, "well": true, "there": true, "here": true, "all": true, "both": true, "one": true,
	"is": true, "are": true, "be": true, "it's": true, "of": true, "with": true, "without": true, "out": true, "up": true, "over": true, "back": true, "off": true, "yes": true, "no": true, "true": true, "false": true,
	"sélectionne": true, "selectionne": true, "selectionner": true, "selectionnez": true, "choisis": true, "choisissez": true, "choisir": true, "utilise": true, "utilisez": true, "utiliser": true, "génère": true, "genere": true, "generer": true, "ajoute": true, "ajouter": true, "ajoutez": true,
	"fiche": true, "dossier": true, "demande": true, "equipe": true, "membre": true, "membres": true, "conseiller": true, "conseillers": true, "collegue": true, "collegues": true, "valeur": true, "oui": true, "non": true, "vrai": true, "faux": true,
	"est": true, "sont": true, "qui": true, "que": true, "qu'": true, "y": true, "tout": true, "toute": true, "tous": true, "toutes": true, "maintenant": true, "aussi": true, "egalement": true, "bien": true, "meme": true, "nouveau": true, "nouvelle": true, "approprie": true, "appropriee": true, "bon": true, "bonne": true,
	"de": true, "d'": true, "du": true, "des": true, "pour": true, "par": true, "avec": true, "sans": true, "sur": true, "vers": true,
	"under": true, "sous": true, "into": true, "onto": true, "owner": true, "assignee": true, "proprietaire": true, "responsable": true, "dans": true, "en": true,
	"whoever": true, "has": true, "have": true, "who": true, "which": true, "utilisant": true, "privilegiant": true, "choisissant": true, "favorisant": true, "a": true, "ont": true,
}

// reasonWords start the reason for a step ("… because they handle
// invoices", "… afin de suivre la demande"): it asks for nothing more, so
// the step reads it whole. purposeWords do the same after the name of a
// workflow or action ("use !order_status to look up the order").
var reasonWords = map[string]bool{"because": true, "since": true, "so that": true, "in order to": true, "so they can": true, "so we can": true, "car": true, "parce que": true, "parce qu'": true, "pour que": true, "afin de": true, "afin d'": true, "afin que": true, "puisque": true, "puisqu'": true}
var purposeWords = map[string]bool{"to": true, "for": true, "pour": true}

// unsupportedWords are requests the agent has no action for. Words of a
// scenario left unread that start with one of them are reported as
// unsupported-action, naming what cannot be done.
var unsupportedWords = []string{
	"archive", "archiving", "archiver", "archive the ticket", "delete the contact", "delete their contact", "delete the customer", "remove the contact",
	"send an email", "send an e-mail", "send them an email", "send them an e-mail", "send a text", "send an sms", "email", "e-mail", "sms", "text them",
	"book a meeting", "book a call", "book an appointment", "schedule a meeting", "schedule a call", "set up a meeting", "arrange a call", "arrange a meeting",
	"refund", "issue a refund", "process the refund", "refund them", "refund the customer", "block", "ban", "call them", "call the customer", "phone them", "print", "cancel the order", "cancel their order", "ship",
	"supprime le contact", "supprimer le contact", "efface le contact", "envoie un e-mail", "envoyer un e-mail", "envoie un email", "envoyer un email", "envoie un courriel", "envoyer un courriel", "envoie un sms", "envoyer un sms", "courriel",
	"prends rendez-vous", "prendre rendez-vous", "prends rendez", "prendre rendez", "prenez rendez", "fixe un rendez", "fixer un rendez", "réserve un rendez", "réserver un rendez", "fixe un rendez-vous", "fixer un rendez-vous", "réserve un créneau", "réserver un créneau", "planifie un appel", "planifier un appel",
	"rembourse", "rembourser", "remboursez", "bloque", "bloquer", "appelle le client", "appeler le client", "imprime", "imprimer", "annule la commande", "annuler la commande", "expédie", "expédier",
}

// greetVerbs start the greeting of a numbered flow ("1. Greet and ask:
// "…""): without a condition, that step is the reply to a new conversation.
var greetVerbs = map[string]bool{"greet": true, "welcome": true, "salue": true, "saluez": true, "saluer": true, "accueille": true, "accueillez": true, "accueillir": true}

// Clock times: a time word before a clock time is timing the agent cannot
// keep (`after 5pm`, `at 17:00`, FR `vers 17h`, `après 18 h`). "#" stands
// for a number.
var (
	clockPrepositions = []string{"at", "after", "before", "by", "around", "from", "until", "till", "past", "about", "later than", "à", "a", "vers", "après", "avant", "dès", "à partir de", "jusqu'à", "autour de", "aux alentours de", "sur les coups de", "plus de", "passé", "passées"}
	clockShapes       = []string{"#pm", "#am", "# pm", "# am", "#:#", "#:#pm", "#:#am", "#:# pm", "#:# am", "#.#pm", "#.#am", "#h", "#h#", "# h", "# heures", "# heure", "#:# h", "# o'clock", "noon", "midnight", "midi", "minuit"}
	// weekdays after these words are timing: "on Monday", "next Friday".
	weekdayPrefixes = []string{"on", "next", "every", "this", "by", "until"}
	weekdays        = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)

// clockPhrases are the timing phrases made of a preposition and a clock
// time, and of a weekday and its prefix.
func clockPhrases() []string {
	var out []string
	for _, p := range clockPrepositions {
		for _, c := range clockShapes {
			out = append(out, p+" "+c)
		}
	}
	for _, p := range weekdayPrefixes {
		for _, d := range weekdays {
			out = append(out, p+" "+d)
		}
	}
	return out
}

// Presence: a person or a member picked by whether they are online, free
// or available. The forms below are combined into presencePhrases.
var (
	presenceNouns      = []string{"agent", "agents", "rep", "reps", "representative", "member", "teammate", "person", "human", "colleague", "operator", "advisor", "adviser", "staff member", "one", "someone", "anyone", "somebody", "anybody", "whoever", "who", "that", "nobody", "no one", "noone"}
	presenceAdjectives = []string{"available", "free", "online", "idle", "on shift", "on duty", "logged in", "not busy", "active right now"}
	presenceNounsFR    = []string{"agent", "conseiller", "conseillère", "membre", "collègue", "opérateur", "personne", "humain", "quelqu'un", "qui"}
	presenceAdjsFR     = []string{"disponible", "libre", "en ligne", "connecté", "connectée", "de permanence", "pas occupé", "pas occupée"}
)

func presenceForms() []string {
	out := []string{"currently online", "currently available", "currently free", "is online", "are online", "is available", "are available", "is free", "are free", "is logged in", "any available", "first available", "next available", "next free", "first free",
		"actuellement en ligne", "actuellement disponible", "est en ligne", "sont en ligne", "est disponible", "sont disponibles", "est libre", "sont libres", "premier disponible", "premier libre", "prochain disponible", "prochain libre"}
	return append(out, presencePeople()...)
}

// presencePeople are the presence forms that name a person.
func presencePeople() []string {
	out := []string{"whoever is online", "whoever is available", "whoever is free", "quiconque est en ligne", "quiconque est disponible"}
	for _, n := range presenceNouns {
		for _, a := range presenceAdjectives {
			out = append(out, a+" "+n, n+" "+a, n+" who is "+a, n+" that is "+a, n+" is "+a, n+" are "+a, n+" is currently "+a, n+" is not "+a, n+" isn't "+a)
		}
	}
	for _, n := range presenceNounsFR {
		for _, a := range presenceAdjsFR {
			out = append(out, n+" "+a, n+" qui est "+a, n+" est "+a, n+" de "+a, n+" n'est "+a, n+" n'est pas "+a)
		}
	}
	return out
}

// conversationOpened words the event of a new conversation, with or
// without "new".
var conversationOpened = []string{
	"new conversation", "new chat", "new ticket", "new thread", "first message", "conversation is opened", "conversation opens", "conversation is started", "conversation starts", "conversation begins", "conversation is created", "chat is opened", "chat opens", "chat starts", "chat begins", "chat is started", "ticket is opened", "ticket is created",
	"starts a conversation", "starts a chat", "start a conversation", "start a chat", "opens a conversation", "opens a chat", "open a conversation", "open a chat", "begins a conversation", "begins a chat", "initiates a conversation", "initiates a chat", "reaches out for the first time", "contacts us for the first time", "writes in for the first time", "writes for the first time", "messages us for the first time",
	"nouvelle conversation", "nouvelle discussion", "nouveau chat", "nouveau ticket", "premier message", "conversation est ouverte", "conversation s'ouvre", "conversation commence", "conversation démarre", "conversation est créée", "discussion est ouverte", "discussion s'ouvre", "discussion commence", "discussion démarre", "chat démarre", "chat commence",
	"ouverture d'une conversation", "ouverture de la conversation", "ouverture d'une discussion", "ouverture de la discussion", "début de la conversation", "début d'une conversation", "début de la discussion",
	"commence une conversation", "commence une discussion", "ouvre une conversation", "ouvre une discussion", "démarre une conversation", "démarre une discussion", "engage une conversation", "écrit pour la première fois", "nous écrit pour la première fois", "nous contacte pour la première fois",
}

// timeSubjects before a timing phrase make a condition about the time of
// day or week, which the agent cannot check (only business hours):
// "if it is after 6pm", "s'il est plus de 18h", "si c'est le week-end".
var timeSubjects = []string{"it is", "it's", "its", "it is now", "it's now", "it gets", "the time is", "il est", "c'est", "nous sommes", "on est", "est", "arrives", "comes in", "is received", "arrive", "est reçu", "arrivent", "writes", "écrit", "messages us", "nous écrit"}

// negatingMarkers open a condition that is the opposite of its words
// ("Unless the customer is a VIP, …").
var negatingMarkers = map[string]bool{"unless": true, "sauf si": true, "a moins que": true, "a moins qu'": true, "except when": true, "except if": true}

// State conditions the compiler checks ("the Budget field is empty", "the
// lifecycle stage is not Customer", "outside business hours", "tagged
// %VIP"). Words are folded (no accents).
var (
	stateEmptyWords   = []string{"empty", "blank", "missing", "unknown", "unset", "vide", "manquant", "inconnu", "absent"}
	stateSetWords     = []string{"set", "filled", "known", "provided", "present", "renseigné", "rempli", "connu", "fourni"}
	stateIsWords      = []string{"soit", "is", "est", "equals", "=", "vaut", "=="}
	stateNotWords     = []string{"not", "n'", "ne", "pas", "isn't", "never"}
	stateOutsideWords = []string{"outside", "after", "dehors", "hors", "before", "après", "avant"}
	stateTagWords     = []string{"tagged", "tag", "tags", "étiqueté", "étiquette", "label", "labelled", "labeled"}
	businessHourWords = []string{"business hours", "office hours", "opening hours", "working hours", "heures d'ouverture", "heures ouvrables", "heures de bureau"}
)

// conditionStopWords carry no meaning when two conditions are compared
// (conflicting-scenarios).
var conditionStopWords = []string{
	"the", "a", "an", "contact", "customer", "client", "user", "they", "their", "them", "he", "she", "is", "are", "has", "have", "to", "of", "for", "about", "and", "or", "in", "on", "with", "any", "some", "it", "does", "do",
	"le", "la", "les", "l'", "un", "une", "des", "du", "de", "d'", "il", "elle", "ils", "son", "sa", "ses", "leur", "est", "et", "ou", "en", "pour", "sur", "qu'", "que",
}
