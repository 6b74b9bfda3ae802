package stdlib

import (
	"strings"
	"unicode"

	"github.com/instrc/instrc/ir"
)

// ActionResult is what the stock replies need to know about an action that ran.
type ActionResult struct {
	Action ir.Action
	OK     bool
}

// StockReply returns the offline reply in lang ("en" or "fr"; anything else
// is English) that says what was done, action by action, in order:
//
//   - assign: "I've passed you to our Sales Team; someone will be with you shortly.";
//   - close: a closing line; update_fields: "Thanks, I've saved your phone number.";
//   - call: "I've looked that up for you.";
//   - update_lifecycle, update_tags, add_comment, trigger_workflow: nothing
//     for the contact to know; alone they give "Thanks, I've noted that.".
//
// The first failed action ends the reply with an honest sentence that does not
// claim it happened (and offers a person when that helps); actions after it
// did not run and are not mentioned. With no action the reply is a generic
// offer of help. After a successful unassign the agent must not reply, so
// the result is "". guidance is accepted for future use; the reply is the
// same with or without it. The result is deterministic.
func StockReply(lang string, results []ActionResult, guidance string) string {
	t := repliesEN
	if lang == "fr" {
		t = repliesFR
	}
	if len(results) == 0 {
		return t.none
	}
	var parts []string
	silent := false
	for _, r := range results {
		a := r.Action
		if !r.OK {
			parts = append(parts, t.failure(a))
			return strings.Join(parts, " ")
		}
		switch a.Kind {
		case ir.KindUnassign:
			return ""
		case ir.KindAssign:
			parts = append(parts, t.assigned(a.Target))
		case ir.KindClose:
			parts = append(parts, t.closed)
		case ir.KindUpdateFields:
			parts = append(parts, strings.Replace(t.saved, "{}", t.fieldList(a.Fields), 1))
		case ir.KindCall:
			parts = append(parts, t.called)
		default:
			silent = true
		}
	}
	if len(parts) == 0 && silent {
		return t.noted
	}
	if len(parts) == 0 {
		return t.none
	}
	return strings.Join(parts, " ")
}

type replyTexts struct {
	lang                               string
	none, noted, closed, called        string
	toTeam, toUser, toAgent, toSomeone string // "{}" is the name
	saved                              string // "{}" is the list of fields
	failAssign, failFields, failClose  string
	failCall, failOther                string
	and                                string
	your                               string // before each field name ("votre" in French)
	labels                             map[string]string
}

var repliesEN = &replyTexts{
	lang:       "en",
	none:       "Thanks for your message. How can I help you?",
	noted:      "Thanks, I've noted that.",
	closed:     "I'm closing this conversation now. Thanks for reaching out, and write to us again anytime if you need anything else.",
	called:     "I've looked that up for you.",
	toTeam:     "I've passed you to {}; someone will be with you shortly.",
	toUser:     "I've passed you to {}, who will be with you shortly.",
	toAgent:    "I've passed you to {}, who will take it from here.",
	toSomeone:  "I've passed you to a member of our team; someone will be with you shortly.",
	saved:      "Thanks, I've saved your {}.",
	failAssign: "I'm sorry, I couldn't pass you to {} just now. Please try again in a moment.",
	failFields: "I'm sorry, I couldn't save your {}. Could you check it and send it again?",
	failClose:  "I'm sorry, I couldn't close this conversation just now. Is there anything else I can help with, or would you like to talk to a member of our team?",
	failCall:   "I'm sorry, I couldn't look that up just now. Would you like me to pass you to a member of our team?",
	failOther:  "I'm sorry, I couldn't complete that just now. Would you like me to pass you to a member of our team?",
	and:        "and",
	labels: map[string]string{
		"phone": "phone number", "phone number": "phone number", "mobile": "mobile number", "mobile number": "mobile number",
		"telephone": "phone number", "tel": "phone number", "email": "email address", "e mail": "email address",
		"email address": "email address", "mail": "email address", "budget": "budget", "name": "name",
		"full name": "name", "first name": "first name", "firstname": "first name", "last name": "last name",
		"lastname": "last name", "company": "company name", "company name": "company name", "address": "address",
		"city": "city", "country": "country", "country code": "country code", "birthday": "date of birth",
		"date of birth": "date of birth", "booking date": "booking date", "bookingdate": "booking date",
		"order number": "order number", "website": "website", "zip": "postal code", "zip code": "postal code",
		"postal code": "postal code",
	},
}

var repliesFR = &replyTexts{
	lang:       "fr",
	none:       "Merci pour votre message. Comment puis-je vous aider ?",
	noted:      "Merci, c'est noté.",
	closed:     "Je clôture cette conversation. Merci de nous avoir contactés, et n'hésitez pas à nous réécrire si besoin.",
	called:     "J'ai vérifié cela pour vous.",
	toTeam:     "Je vous ai transféré à {} ; quelqu'un va vous répondre très rapidement.",
	toUser:     "Je vous ai transféré à {}, qui va vous répondre très rapidement.",
	toAgent:    "Je vous ai transféré à {}, qui prend le relais.",
	toSomeone:  "Je vous ai transféré à un membre de notre équipe ; quelqu'un va vous répondre très rapidement.",
	saved:      "Merci, j'ai bien enregistré {}.",
	failAssign: "Désolé, je n'ai pas pu vous transférer à {} pour le moment. Merci de réessayer dans un instant.",
	failFields: "Désolé, je n'ai pas pu enregistrer {}. Pouvez-vous vérifier et me le renvoyer ?",
	failClose:  "Désolé, je n'ai pas pu clôturer cette conversation pour le moment. Puis-je vous aider autrement, ou souhaitez-vous parler à un membre de notre équipe ?",
	failCall:   "Désolé, je n'ai pas pu vérifier cela pour le moment. Souhaitez-vous que je vous mette en relation avec un membre de notre équipe ?",
	failOther:  "Désolé, je n'ai pas pu faire cela pour le moment. Souhaitez-vous que je vous mette en relation avec un membre de notre équipe ?",
	and:        "et",
	your:       "votre ",
	labels: map[string]string{
		"phone": "numéro de téléphone", "phone number": "numéro de téléphone", "mobile": "numéro de portable",
		"mobile number": "numéro de portable", "telephone": "numéro de téléphone", "tel": "numéro de téléphone",
		"numero": "numéro de téléphone", "numero de telephone": "numéro de téléphone", "portable": "numéro de portable",
		"email": "adresse e-mail", "e mail": "adresse e-mail", "email address": "adresse e-mail", "mail": "adresse e-mail",
		"courriel": "adresse e-mail", "adresse e mail": "adresse e-mail", "budget": "budget", "name": "nom", "nom": "nom",
		"full name": "nom", "first name": "prénom", "firstname": "prénom", "prenom": "prénom", "last name": "nom de famille",
		"lastname": "nom de famille", "company": "entreprise", "company name": "entreprise", "entreprise": "entreprise",
		"societe": "société", "address": "adresse", "adresse": "adresse", "city": "ville", "ville": "ville",
		"country": "pays", "pays": "pays", "country code": "indicatif pays", "birthday": "date de naissance",
		"date of birth": "date de naissance", "date de naissance": "date de naissance", "booking date": "date de rendez-vous",
		"bookingdate": "date de rendez-vous", "order number": "numéro de commande", "numero de commande": "numéro de commande",
		"website": "site web", "site web": "site web", "zip": "code postal", "zip code": "code postal",
		"postal code": "code postal", "code postal": "code postal",
	},
}

// fill puts a name into a stock reply, with the contractions French makes
// of "à" and "de" before "le" and "les" ("transféré à le service" is
// "transféré au service").
func fill(format, name string) string {
	return frenchContractions.Replace(strings.Replace(format, "{}", name, 1))
}

var frenchContractions = strings.NewReplacer(" à le ", " au ", " à les ", " aux ", " de le ", " du ", " de les ", " des ")

func (t *replyTexts) assigned(target *ir.Target) string {
	if target == nil || strings.TrimSpace(target.Name) == "" {
		return t.toSomeone
	}
	switch target.Type {
	case ir.TargetUser:
		return fill(t.toUser, target.Name)
	case ir.TargetAIAgent:
		return fill(t.toAgent, target.Name)
	}
	return fill(t.toTeam, teamName(t.lang, target.Name))
}

// teamName names a team in a sentence: "our Billing team", "our Sales
// Team" (a name that already says team), "l'équipe Planification",
// "l'Équipe de Planification" for a name that starts with équipe.
func teamName(lang, name string) string {
	words := strings.Fields(Fold(name))
	if len(words) == 0 {
		return name
	}
	if lang == "fr" {
		first, rest, _ := strings.Cut(strings.TrimSpace(name), " ")
		first = strings.ToLower(first)
		if rest != "" {
			rest = " " + rest
		}
		switch words[0] {
		case "equipe", "cellule":
			return "l'" + first + rest
		case "service", "pole", "departement":
			return "le " + first + rest
		}
		return "l'équipe " + name
	}
	// A name that already says who (a team, a desk, people in the
	// plural: "Sales Team", "Account Executives") needs no "team".
	switch last := words[len(words)-1]; {
	case last == "team", last == "department", last == "desk", last == "squad", last == "group", last == "support",
		last == "staff", strings.HasSuffix(last, "s"):
		return "our " + name
	}
	return "our " + name + " team"
}

func (t *replyTexts) failure(a ir.Action) string {
	switch a.Kind {
	case ir.KindAssign:
		name := t.teamName(a.Target)
		return fill(t.failAssign, name)
	case ir.KindUpdateFields:
		return fill(t.failFields, t.fieldList(a.Fields))
	case ir.KindClose:
		return t.failClose
	case ir.KindCall:
		return t.failCall
	}
	return t.failOther
}

// teamName names an assignee inside a sentence: "our Sales Team",
// "l'équipe Sales Team", "alice".
func (t *replyTexts) teamName(target *ir.Target) string {
	if target == nil || strings.TrimSpace(target.Name) == "" {
		if t.lang == "fr" {
			return "un membre de notre équipe"
		}
		return "a member of our team"
	}
	if target.Type == ir.TargetTeam || target.Type == "" {
		if t.lang == "fr" {
			return "l'équipe " + target.Name
		}
		return "our " + target.Name
	}
	return target.Name
}

// fieldList names the fields for the contact: "phone number", "budget and
// email address"; in French each with "votre".
func (t *replyTexts) fieldList(fields []ir.FieldUpdate) string {
	var names []string
	seen := map[string]bool{}
	for _, f := range fields {
		n := t.fieldLabel(f)
		if n != "" && !seen[n] {
			seen[n] = true
			names = append(names, t.your+n)
		}
	}
	if len(names) == 0 {
		if t.lang == "fr" {
			return "vos informations"
		}
		return "details"
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + t.and + " " + names[len(names)-1]
}

func (t *replyTexts) fieldLabel(f ir.FieldUpdate) string {
	for _, n := range []string{f.Name, f.ID} {
		if l, ok := t.labels[humanize(Fold(n))]; ok {
			return l
		}
	}
	switch f.Type {
	case TypePhone:
		return t.labels["phone"]
	case TypeEmail:
		return t.labels["email"]
	}
	if t.lang == "fr" {
		return lowerWords(f.Name)
	}
	return humanize(f.Name)
}

// FieldLabel names a field for the contact in lang, with the possessive:
// "your email address", "votre adresse e-mail", "votre motif de retour",
// "your NHS number" (the words a stock reply uses).
func FieldLabel(lang, name, fieldType string) string {
	t := repliesEN
	if lang == "fr" {
		t = repliesFR
	}
	your := t.your
	if your == "" {
		your = "your "
	}
	return your + t.fieldLabel(ir.FieldUpdate{Name: name, Type: fieldType})
}

// lowerWords lower-cases a name's words as a sentence writes them, keeping
// acronyms: "Motif de Retour" → "motif de retour", "Numéro NHS" → "numéro
// NHS".
func lowerWords(name string) string {
	ws := strings.Fields(name)
	for i, w := range ws {
		if !isAcronym(w) {
			ws[i] = strings.ToLower(w)
		}
	}
	return strings.Join(ws, " ")
}

// isAcronym: two letters or more, all capitals ("NHS", "ID", "SIRET").
func isAcronym(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

// humanize turns a field name into words: "countryCode" → "country code",
// "booking_date" → "booking date", "NHS Number" → "NHS number".
func humanize(name string) string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.TrimSpace(name), func(r rune) bool {
		return r == '_' || r == '-' || r == '.' || unicode.IsSpace(r)
	}) {
		if isAcronym(w) {
			words = append(words, w)
		} else {
			words = append(words, humanizeWord(w))
		}
	}
	return strings.Join(words, " ")
}

func humanizeWord(name string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range strings.TrimSpace(name) {
		switch {
		case r == '_' || r == '-' || r == '.' || unicode.IsSpace(r):
			if b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
				b.WriteByte(' ')
			}
			prevLower = false
			continue
		case unicode.IsUpper(r) && prevLower:
			b.WriteByte(' ')
		}
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimSpace(b.String())
}
