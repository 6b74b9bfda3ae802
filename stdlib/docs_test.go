package stdlib

import (
	"fmt"
	"github.com/instrc/instrc/internal/golden"
	"strings"
	"testing"
	"time"

	"github.com/instrc/instrc/ir"
)

const docsPath = "../docs/stdlib.md"

// TestDocsUpToDate checks that docs/stdlib.md is what the data and the
// functions produce today; go test ./stdlib -run TestDocs -update rewrites it.
func TestDocsUpToDate(t *testing.T) {
	want := generateDocs()
	golden.CheckFile(t, docsPath, []byte(want))
}

func TestDocsMentionEveryIntent(t *testing.T) {
	doc := generateDocs()
	for _, in := range Intents() {
		if !strings.Contains(doc, "### `"+in.Name+"`") {
			t.Errorf("no section for %s", in.Name)
		}
		for _, lang := range Languages {
			for _, p := range in.Message[lang] {
				if !strings.Contains(doc, "`"+p+"`") {
					t.Errorf("%s: phrase %q missing", in.Name, p)
				}
			}
		}
	}
}

func code(ps []string) string {
	q := make([]string, len(ps))
	for i, p := range ps {
		q[i] = "`" + strings.ReplaceAll(p, "|", "\\|") + "`"
	}
	return strings.Join(q, ", ")
}

func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

func generateDocs() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w(`# Standard library reference

<!-- Generated from stdlib/ by TestDocsUpToDate: edit the data, then run
     go test ./stdlib -run TestDocs -update -->

The standard library is what instrc knows without being told: the intents a
condition can name, the way it reads values out of messages, how it checks the
values an instruction sets, and what the agent says when no model is
configured. Everything works in English and French.

Text is compared after folding: case and accents are ignored (` + "`Clôture`" + ` is
` + "`cloture`" + `), curly and straight apostrophes are the same, French elisions are
expanded (` + "`n'a`" + ` is ` + "`ne a`" + `, ` + "`l'équipe`" + ` is ` + "`le equipe`" + `) and so are English
contractions (` + "`don't`" + ` is ` + "`do not`" + `, ` + "`where's`" + ` is ` + "`where is`" + `). Words are
compared by their Snowball stem, so ` + "`cancelling my subscriptions`" + ` matches the
phrase ` + "`cancel my subscription`" + `.

## Intents

A condition such as *If the contact has no more questions* or *Si le client
veut résilier son abonnement* names an intent; the offline matcher then scores
each inbound message against that intent's phrases:

| how the message matches a phrase | score |
| --- | --- |
| word for word | 0.9 to 1 (more when the phrase covers more of the message) |
| with other word endings (` + "`refunded`" + ` for ` + "`refund`" + `) | 0.85 to 0.95 |
| its content words in a row, small words between | 0.7 to 0.85 |
| half or more (two at least) of its content words, anywhere | up to 0.6 |

A negated wish cancels the phrases of the intents marked *negatable* below:
*I don't want a refund*, *je ne veux pas de remboursement*, *not angry*. A
phrase that is itself negative (*not working*, *ne marche pas*) is not affected.
` + "`provides_email`" + ` and ` + "`provides_phone`" + ` score 0.95 when the message holds a valid
address or number; ` + "`provides_budget`" + ` scores 0.95 for an amount next to the word
budget and 0.7 for an amount with a currency alone. A message written in the
other language than the plan's is matched against that language's phrases too.
Only the first 16 KiB of a message are read.

In a condition, an intent is recognised from its condition phrases (and from
message phrases of three words or more, as in *if the contact says "where is my
order"*); a negation just before it (*if the customer is not angry*) means the
intent is not named, and a phrase inside a longer phrase of another intent
gives way to it (*cancel their order* is ` + "`cancel`" + `, not ` + "`order_status`" + `).

A word that only says something went wrong (*error*, *mistake*, *problem*,
*issue*; *erreur*, *problème*, *souci*) names ` + "`technical_issue`" + ` only when it
is about nothing else. Used as an adverb (*charged in error*, *by mistake*,
*prélevé par erreur*) or about what another intent names (*a billing error*,
*an error on the invoice*, *une erreur de prélèvement*), it gives way to that
intent, in conditions and in messages alike: *si le client signale une erreur
de prélèvement de caution* is ` + "`billing`" + ` only, so *je suis en panne* is not
routed to it.

`)
	w("| intent | description | negatable |\n| --- | --- | --- |\n")
	for _, info := range intentInfos {
		neg := ""
		if info.negatable {
			neg = "yes"
		}
		w("| [`%s`](#%s) | %s | %s |\n", info.name, info.name, info.description, neg)
	}
	w("\n")
	for _, in := range Intents() {
		w("### `%s`\n\n%s\n\n", in.Name, in.Description)
		w("| | English | French |\n| --- | --- | --- |\n")
		w("| in conditions | %s | %s |\n", code(in.Condition["en"]), code(in.Condition["fr"]))
		w("| in messages | %s | %s |\n\n", code(in.Message["en"]), code(in.Message["fr"]))
	}

	now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	w(`## Extractors

The runtime reads field values out of messages by the field's type. Relative
dates count from the time of the message; in these examples that is Monday
10 March 2025. The locale is chosen once per plan and used wherever a value
is read or checked (messages, a model's answers, literal values in the
instructions): French plans read ` + "`12/03/2025`" + ` day first, English plans month
first (a first number above 12 is always the day). Phone numbers without a
` + "`+`" + ` or ` + "`00`" + ` prefix are read in the workspace's ` + "`phone_region`" + ` when it sets
one, else in the plan language's region: France for French plans, the United
States otherwise (` + "`LocaleFor(lang, region)`" + `). A phone number that does not fit
is refused with an example of that region (` + "`+33612345678`" + ` for France).
The numbers regulators set aside for examples and fiction (Ofcom's ` + "`07700 900xxx`" + `,
the North American ` + "`555-01xx`" + `) are accepted, as people write them in tests.

| type | message | value |
| --- | --- | --- |
`)
	examples := []struct {
		typ     string
		options []string
		text    string
		opt     ExtractOptions
	}{
		{TypeEmail, nil, "you can reach me at Bob.Smith@Example.com", ExtractOptions{}},
		{TypePhone, nil, "call me at +1 (650) 253-0000", ExtractOptions{}},
		{TypePhone, nil, "650.253.0000", ExtractOptions{}},
		{TypePhone, nil, "mon numéro : 06 12 34 56 78", OptionsFor("fr")},
		{TypePhone, nil, "0033 6 98 76 54 32", OptionsFor("fr")},
		{TypePhone, nil, "07400 123456", LocaleFor("en", "GB")},
		{TypeNumber, nil, "about 5,000", ExtractOptions{}},
		{TypeNumber, nil, "5 000 €", ExtractOptions{}},
		{TypeNumber, nil, "we have 3 seats and a budget of 2.5k", ExtractOptions{}},
		{TypeNumber, nil, "$5000", ExtractOptions{}},
		{TypeNumber, nil, "1,5", ExtractOptions{}},
		{TypeDate, nil, "2025-03-12", ExtractOptions{}},
		{TypeDate, nil, "12/03/2025", ExtractOptions{}},
		{TypeDate, nil, "le 12/03/2025", OptionsFor("fr")},
		{TypeDate, nil, "on March 3rd", ExtractOptions{}},
		{TypeDate, nil, "le 3 mars", OptionsFor("fr")},
		{TypeDate, nil, "tomorrow", ExtractOptions{}},
		{TypeDate, nil, "après-demain", OptionsFor("fr")},
		{TypeDate, nil, "next Friday", ExtractOptions{}},
		{TypeDate, nil, "dans 3 jours", OptionsFor("fr")},
		{TypeURL, nil, "see www.Example.com/pricing.", ExtractOptions{}},
		{TypeCheckbox, nil, "yes please", ExtractOptions{}},
		{TypeCheckbox, nil, "non merci", ExtractOptions{}},
		{TypeList, []string{"Free", "Pro", "Enterprise"}, "I'd like the PRO plan", ExtractOptions{}},
		{TypeList, []string{"Gratuit", "Équipe", "Entreprise"}, "l'offre equipe svp", ExtractOptions{}},
		{TypeText, nil, "  any message  ", ExtractOptions{}},
	}
	for _, e := range examples {
		v, ok := ExtractWith(e.typ, e.options, e.text, now, e.opt)
		typ := e.typ
		if e.options != nil {
			typ += " (" + strings.Join(e.options, ", ") + ")"
		}
		if e.opt.Region == "FR" {
			typ += ", French"
		}
		if !ok {
			v = "(nothing)"
		}
		w("| %s | `%s` | `%s` |\n", cell(typ), cell(e.text), cell(v))
	}
	w(`
A value an extractor returns always passes validation unchanged.

### Values inside a sentence

The runtime reads a field's value with ` + "`ExtractField`" + `, which finds it inside
the sentence and only when it is there. Typed fields are read as above (a
list also by a word only one option has: *the pro plan* is ` + "`Pro Plan`" + `; a list
of ranges by a number: *about 40 people* is ` + "`11-50`" + `). A text field is read
by what its name and its instructions say it looks like. Its instructions are
those of the custom action input named after the field's id or name
(` + "`{name: order_number, instructions: \"digits only\"}`" + `); a format they give
(*digits only*, *8 chiffres*, *CL followed by 8 digits*, *format AB-1234*,
*e.g. MC104522*) is followed when the value is read and when it is checked
(` + "`ValidateField`" + `: *AB12* is refused with "\"AB12\" does not follow the
field's format (digits only)"). A message that only mentions the field gives
nothing. When the message answers the agent's question (` + "`AnswerField`" + `), a
free-text field takes what follows *it's*, *c'est* or a colon, else the whole
message; a field with a format, a postcode or a number takes only a value of
that shape.

| field | instructions | message | value |
| --- | --- | --- | --- |
`)
	fieldEx := []struct {
		f    Field
		text string
		opt  ExtractOptions
	}{
		{Field{Name: "Order Number"}, "I want a refund for order MD-1234", ExtractOptions{}},
		{Field{Name: "Order Number"}, "where is my order?", ExtractOptions{}},
		{Field{Name: "order_ref", Instructions: "digits only"}, "where is my order 100871?", ExtractOptions{}},
		{Field{Name: "Numéro de Commande"}, "ma commande 1234 n'est pas arrivée", OptionsFor("fr")},
		{Field{Name: "Numéro de Facture"}, "la facture n° F2024-118 est fausse", OptionsFor("fr")},
		{Field{Name: "NHS Number"}, "my NHS number is 485 777 3456 thanks", ExtractOptions{}},
		{Field{Name: "account_number", Instructions: "CL followed by 8 digits, e.g. CL40218833"}, "my account is cl40218833", ExtractOptions{}},
		{Field{Name: "Adhérent", Instructions: "8 chiffres"}, "mon numéro d'adhérent est 123456", OptionsFor("fr")},
		{Field{Name: "Postcode"}, "It's LS6 2AB, any outage?", ExtractOptions{}},
		{Field{Name: "Code Postal"}, "j'habite à Lyon, 69003", OptionsFor("fr")},
		{Field{Name: "Full Name"}, "hi, my name is Ann Smith", ExtractOptions{}},
		{Field{Name: "First Name"}, "I'm ann@acme.io", ExtractOptions{}},
		{Field{Name: "Prénom"}, "Bonjour, je m'appelle Chloé Martin", OptionsFor("fr")},
		{Field{Name: "Member ID"}, "my member ID is NW-4821.", ExtractOptions{}},
		{Field{Name: "Mutuelle"}, "Ma mutuelle c'est la MGEN", OptionsFor("fr")},
		{Field{Name: "Team Size", Type: TypeList, Options: []string{"1-10", "11-50", "51-200", "200+"}}, "my team of 120", ExtractOptions{}},
		{Field{Name: "Plan", Type: TypeList, Options: []string{"Basic Plan", "Pro Plan"}}, "we use pro", ExtractOptions{}},
	}
	for _, e := range fieldEx {
		v, ok := ExtractField(e.f, e.text, now, e.opt)
		if !ok {
			v = "(nothing)"
		}
		name := e.f.Name
		if e.f.Options != nil {
			name += " (" + strings.Join(e.f.Options, ", ") + ")"
		}
		w("| %s | %s | `%s` | `%s` |\n", cell(name), cell(e.f.Instructions), cell(e.text), cell(v))
	}
	w(`
## Validators

The compiler checks the literal values of instructions (*set the Budget field
to 5000*) and the runtime checks every value before writing it. A value that
fits is stored in its canonical form; one that does not is refused with a
message that says why (the ` + "`invalid-value`" + ` diagnostic, or a failed action),
in English or in French.

| type | value | result | French message |
| --- | --- | --- | --- |
`)
	valEx := []struct {
		typ     string
		options []string
		value   string
	}{
		{TypeNumber, nil, "5,000"}, {TypeNumber, nil, "$5k"}, {TypeNumber, nil, "abc"},
		{TypeEmail, nil, "Bob@Example.COM"}, {TypeEmail, nil, "bob@"},
		{TypePhone, nil, "+33 6 12 34 56 78"}, {TypePhone, nil, "12345"},
		{TypeDate, nil, "March 3, 2025"}, {TypeDate, nil, "3 mars 2025"}, {TypeDate, nil, "tomorrow"},
		{TypeURL, nil, "example.com"}, {TypeURL, nil, "not a url"},
		{TypeCheckbox, nil, "oui"}, {TypeCheckbox, nil, "maybe"},
		{TypeList, []string{"Free", "Pro", "Enterprise"}, "pro"},
		{TypeList, []string{"Free", "Pro", "Enterprise"}, "Gold"},
		{TypeList, []string{"Free", "Pro", "Enterprise"}, "Entreprise"},
	}
	for _, e := range valEx {
		v, err := Validate(e.typ, e.options, e.value)
		res, fr := "`"+cell(v)+"`", ""
		if err != nil {
			res = "error: " + cell(err.Error())
			fr = cell(err.(*ValueError).Message("fr"))
		}
		typ := e.typ
		if e.options != nil {
			typ += " (" + strings.Join(e.options, ", ") + ")"
		}
		w("| %s | `%s` | %s | %s |\n", cell(typ), cell(e.value), res, fr)
	}
	w(`
Dates given as literal values need their year; relative dates (*tomorrow*) are
refused, since an instruction is not read on a given day.

## Stock replies

Without a model, the agent answers with these replies, which say what was done,
in the order it was done. Tags, lifecycle stages, comments and workflows are
not the contact's business: alone, they give a plain acknowledgement. The first
failed action ends the reply with an honest sentence, and nothing after it is
mentioned, since nothing after it ran. After *unassign*, no reply is sent.

| actions | English | French |
| --- | --- | --- |
`)
	sales := assignTeam("Sales Team")
	phoneField := fields(ir.FieldUpdate{Name: "phone", Type: TypePhone})
	replyEx := []struct {
		what    string
		results []ActionResult
	}{
		{"none", nil},
		{"assign to the team Sales Team", []ActionResult{ok(sales)}},
		{"assign to the user alice", []ActionResult{ok(ir.Action{Kind: ir.KindAssign, Target: &ir.Target{Type: ir.TargetUser, Name: "alice"}})}},
		{"assign to the AI agent Billing Bot", []ActionResult{ok(ir.Action{Kind: ir.KindAssign, Target: &ir.Target{Type: ir.TargetAIAgent, Name: "Billing Bot"}})}},
		{"close", []ActionResult{ok(ir.Action{Kind: ir.KindClose})}},
		{"save the phone field", []ActionResult{ok(phoneField)}},
		{"save Budget and email", []ActionResult{ok(fields(ir.FieldUpdate{Name: "Budget"}, ir.FieldUpdate{Name: "email", Type: TypeEmail}))}},
		{"add a tag, update the lifecycle", []ActionResult{ok(ir.Action{Kind: ir.KindUpdateTags, Add: []string{"VIP"}}), ok(ir.Action{Kind: ir.KindUpdateLifecycle, Stage: "Qualified"})}},
		{"call a custom action", []ActionResult{ok(ir.Action{Kind: ir.KindCall, ActionName: "order_status"})}},
		{"save phone, then assign", []ActionResult{ok(phoneField), ok(sales)}},
		{"unassign", []ActionResult{ok(ir.Action{Kind: ir.KindUnassign})}},
		{"assign **failed**", []ActionResult{failed(sales)}},
		{"save phone **failed**", []ActionResult{failed(phoneField)}},
		{"close **failed**", []ActionResult{failed(ir.Action{Kind: ir.KindClose})}},
		{"call **failed**", []ActionResult{failed(ir.Action{Kind: ir.KindCall, ActionName: "order_status"})}},
		{"trigger a workflow **failed**", []ActionResult{failed(ir.Action{Kind: ir.KindTriggerWorkflow, Workflow: "refund_processing"})}},
		{"save phone, then assign **failed**", []ActionResult{ok(phoneField), failed(sales)}},
	}
	for _, e := range replyEx {
		en, fr := StockReply("en", e.results, ""), StockReply("fr", e.results, "")
		if en == "" {
			en = "(no reply)"
		}
		if fr == "" {
			fr = "(pas de réponse)"
		}
		w("| %s | %s | %s |\n", e.what, cell(en), cell(fr))
	}
	w(`
## Language

When a file does not say its language, and for each message, the language is
guessed from common words, elisions and accented letters: French when they
say so, English otherwise (empty and undecidable text is English).

| text | language |
| --- | --- |
`)
	for _, s := range []string{"Hello, where is my order?", "Bonjour, où est ma commande ?", "merci", "ok", ""} {
		shown := "`" + s + "`"
		if s == "" {
			shown = "(empty)"
		}
		w("| %s | %s |\n", shown, DetectLanguage(s))
	}
	w(`
## Keywords

Conditions that name no intent are matched by their keywords: the stemmed
content words, without stop words, negations or numbers.

| language | text | keywords |
| --- | --- | --- |
`)
	for _, e := range [][2]string{{"en", "If the customer asks about pricing plans"}, {"fr", "Si le client veut résilier son abonnement"}} {
		w("| %s | `%s` | `%s` |\n", e[0], e[1], strings.Join(Keywords(e[0], e[1]), " "))
	}
	return b.String()
}
