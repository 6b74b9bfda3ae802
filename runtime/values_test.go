package runtime_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

const valuesWorkspace = `name: Values
contact_fields:
  - {name: Email, id: email, type: email}
  - {name: Order Number, id: order_number, type: text}
  - {name: Numéro de Commande, id: numero_commande, type: text}
  - {name: Team Size, id: team_size, type: list, options: ["1-10", "11-50", "51-200", "200+"]}
  - {name: Postcode, id: postcode, type: text}
  - {name: Mutuelle, id: mutuelle, type: text}
  - {name: Adhérent, id: adherent, type: text}
  - {name: Visit Date, id: visit_date, type: date}
  - {name: Issue Details, id: issue_details, type: text}
  - {name: Account Number, id: account_number, type: text}
  - {name: Ref, id: ref, type: text}
tags: [Tour, Refund]
teams:
  - {name: Billing, members: [maya]}
users: [maya]
workflows:
  - {name: refund, published: true}
actions:
  - name: order_status
    description: Look up an order
    inputs:
      - {name: order_ref, instructions: "digits only"}
    request: {method: GET, url: "https://shop.example.com/orders/{order_ref}"}
  - name: fiche_adherent
    description: Fiche d'un adhérent
    inputs:
      - {name: adherent, instructions: "8 chiffres"}
    request: {method: GET, url: "https://mutuelle.example.fr/adherents/{adherent}"}
  - name: refund_status
    description: Look up a refund
    inputs:
      - {name: ref, instructions: "format AB-1234"}
    request: {method: GET, url: "https://shop.example.com/refunds/{ref}"}
`

// valuesPlan compiles instructions in lang over valuesWorkspace, one a
// list item.
func valuesPlan(t *testing.T, lang string, instructions ...string) *ir.Plan {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "workspace.yaml"), []byte(valuesWorkspace), 0o600))
	src := "---\nworkspace: workspace.yaml\nlanguage: " + lang + "\n---\n- " + strings.Join(instructions, "\n- ") + "\n"
	path := filepath.Join(dir, "agent.instr")
	require.NoError(t, os.WriteFile(path, []byte(src), 0o600))
	res, err := compiler.CompileFile(path, compiler.Options{})
	require.NoError(t, err)
	require.False(t, res.Diagnostics.HasErrors(), "%v", res.Diagnostics)
	return res.Plan
}

// TestValuesInsideSentences runs conversations, in English and French,
// where the contact gives values inside sentences: a value already given is
// never asked for, a question asks only for what is missing, once, and a
// message that only mentions a field gives no value.
func TestValuesInsideSentences(t *testing.T) {
	ctx := context.Background()
	const (
		refund   = "If the contact wants a refund, collect their order number and save it as Order Number, then add %Refund."
		tour     = "If the contact asks about a tour, collect their work email and company size and save them as Email and Team Size, then add %Tour."
		status   = "If the contact asks where their order is, call !order_status."
		postcode = "If the contact gives their postcode, save it as Postcode."
		commande = "Si le client signale un problème de commande, demande-lui son numéro de commande, enregistre-le comme champ Numéro de Commande, puis ajoute %Refund."
		visite   = "Si le client veut réserver une visite, demande-lui son e-mail et la taille de son équipe, enregistre-les comme Email et Team Size, puis ajoute %Tour."
		mutuelle = "Si le patient donne sa mutuelle, enregistre-la comme Mutuelle."
		fiche    = "Si le patient demande sa fiche d'adhérent, appelle !fiche_adherent."
		visit    = "If the contact asks about a visit, collect their email and the date they want to come, save them as Email and Visit Date, then add %Tour."
		fault    = "If the contact reports a handset fault, collect a short description of the fault and save it as Issue Details, then assign to @Billing."
		adherent = "Si le patient veut mettre à jour son dossier, demande-lui son numéro d'adhérent, enregistre-le comme champ Adhérent, puis ajoute %Refund."
		refundID = "If the contact wants a refund, collect their reference and save it as Ref, then add %Refund."
		plainte  = "Si le client se plaint de son séjour, demande-lui de décrire le problème et enregistre sa réponse comme champ Issue Details, puis ajoute %Refund."
		roaming  = "If the contact disputes a roaming charge, collect their account number and save it as Account Number, then add %Refund."
	)
	type turn struct {
		msg      string
		statuses []string
		reply    string // the whole reply, when set
	}
	tests := []struct {
		name, lang   string
		instructions []string
		turns        []turn
		fields       map[string]string
	}{
		{name: "an order number in a refund request is not asked for", lang: "en", instructions: []string{refund},
			turns:  []turn{{msg: "I want a refund for order MD-1234", statuses: []string{"ok", "ok"}}},
			fields: map[string]string{"Order Number": "MD-1234"}},
		{name: "a refund without the number asks for it, and a non-answer is no number", lang: "en", instructions: []string{refund},
			turns: []turn{
				{msg: "I want a refund please", statuses: []string{"skipped", "skipped"}, reply: "Could you send me your order number?"},
				{msg: "I don't know, sorry", statuses: nil},
				{msg: "it's 55120", statuses: []string{"ok", "ok"}},
			},
			fields: map[string]string{"Order Number": "55120"}},
		{name: "an input's own instructions find the order in the first message", lang: "en", instructions: []string{status},
			turns: []turn{{msg: "where is my order 100871?", statuses: []string{"ok"}}}},
		{name: "an order only mentioned gives no input", lang: "en", instructions: []string{status},
			turns: []turn{{msg: "where is my order?", statuses: []string{"failed"}}}},
		{name: "digits only: a code with letters is no input", lang: "en", instructions: []string{status},
			turns: []turn{{msg: "where is my order MD-1234?", statuses: []string{"failed"}}}},
		{name: "the email given, only the company size is asked for, then mapped to its range", lang: "en", instructions: []string{tour},
			turns: []turn{
				{msg: "I want to book a tour, my email is ann@acme.io", statuses: []string{"skipped", "skipped"}, reply: "Could you send me your company size?"},
				{msg: "we're about 40 people", statuses: []string{"ok", "ok"}},
			},
			fields: map[string]string{"Email": "ann@acme.io", "Team Size": "11-50"}},
		{name: "nothing given: one readable question", lang: "en", instructions: []string{tour},
			turns: []turn{{msg: "can I book a tour?", statuses: []string{"skipped", "skipped"}, reply: "Could you send me your work email and company size?"}}},
		{name: "a team of 120 with the email books at once", lang: "en", instructions: []string{tour},
			turns:  []turn{{msg: "I'd like to book a tour for my team of 120, ann@acme.io", statuses: []string{"ok", "ok"}}},
			fields: map[string]string{"Email": "ann@acme.io", "Team Size": "51-200"}},
		{name: "a postcode inside a sentence", lang: "en", instructions: []string{postcode},
			turns:  []turn{{msg: "my postcode is LS6 2AB, is there an outage?", statuses: []string{"ok"}}},
			fields: map[string]string{"Postcode": "LS6 2AB"}},
		{name: "un numéro de commande dans la phrase n'est pas redemandé", lang: "fr", instructions: []string{commande},
			turns:  []turn{{msg: "ma commande 1234 n'est pas arrivée", statuses: []string{"ok", "ok"}}},
			fields: map[string]string{"Numéro de Commande": "1234"}},
		{name: "sans numéro, il est demandé, puis pris dans la réponse", lang: "fr", instructions: []string{commande},
			turns: []turn{
				{msg: "j'ai un problème avec ma commande", statuses: []string{"skipped", "skipped"}, reply: "Pourriez-vous m'indiquer votre numéro de commande ?"},
				{msg: "c'est la 48213", statuses: []string{"ok", "ok"}},
			},
			fields: map[string]string{"Numéro de Commande": "48213"}},
		{name: "l'e-mail donné, seule la taille est demandée", lang: "fr", instructions: []string{visite},
			turns: []turn{
				{msg: "Je voudrais réserver une visite, mon e-mail est ann@acme.io", statuses: []string{"skipped", "skipped"}, reply: "Pourriez-vous m'indiquer la taille de votre équipe ?"},
				{msg: "nous sommes environ 40", statuses: []string{"ok", "ok"}},
			},
			fields: map[string]string{"Email": "ann@acme.io", "Team Size": "11-50"}},
		{name: "la mutuelle sans la phrase autour", lang: "fr", instructions: []string{mutuelle},
			turns:  []turn{{msg: "Ma mutuelle c'est la MGEN", statuses: []string{"ok"}}},
			fields: map[string]string{"Mutuelle": "MGEN"}},
		{name: "8 chiffres : le numéro d'adhérent dans la phrase", lang: "fr", instructions: []string{fiche},
			turns: []turn{{msg: "pouvez-vous m'envoyer ma fiche d'adhérent ? mon numéro est le 12345678", statuses: []string{"ok"}}}},
		{name: "8 chiffres : six chiffres ne suffisent pas", lang: "fr", instructions: []string{fiche},
			turns: []turn{{msg: "pouvez-vous m'envoyer ma fiche d'adhérent 123456 ?", statuses: []string{"failed"}}}},
		{name: "a description holding a negation answers the question", lang: "en", instructions: []string{fault},
			turns: []turn{
				{msg: "my handset has a fault", statuses: []string{"skipped", "skipped"}},
				{msg: "the screen does not turn on and the battery is not charging at all", statuses: []string{"ok", "ok"}},
			},
			fields: map[string]string{"Issue Details": "the screen does not turn on and the battery is not charging at all"}},
		{name: "a short no is no description", lang: "en", instructions: []string{fault},
			turns: []turn{
				{msg: "my handset has a fault", statuses: []string{"skipped", "skipped"}},
				{msg: "no", statuses: nil},
			}},
		{name: "une description avec une négation répond à la question", lang: "fr", instructions: []string{plainte},
			turns: []turn{
				{msg: "je veux me plaindre de mon séjour", statuses: []string{"skipped", "skipped"}},
				{msg: "la chambre était sale et la clim ne marchait pas du tout", statuses: []string{"ok", "ok"}},
			},
			fields: map[string]string{"Issue Details": "la chambre était sale et la clim ne marchait pas du tout"}},
		{name: "un merci n'est pas une description", lang: "fr", instructions: []string{plainte},
			turns: []turn{
				{msg: "je veux me plaindre de mon séjour", statuses: []string{"skipped", "skipped"}},
				{msg: "merci beaucoup", statuses: nil},
			}},
		{name: "the question speaks to the contact", lang: "en", instructions: []string{visit},
			turns: []turn{{msg: "can we arrange a visit?", statuses: []string{"skipped", "skipped"}, reply: "Could you send me your email and the date you want to come?"}}},
		{name: "the email given, the question asks for the date in the second person", lang: "en", instructions: []string{visit},
			turns: []turn{{msg: "can we arrange a visit? I'm ann@acme.io", statuses: []string{"skipped", "skipped"}, reply: "Could you send me the date you want to come?"}}},
		{name: "une réponse qui n'a pas le format redemande avec le format", lang: "fr", instructions: []string{adherent},
			turns: []turn{
				{msg: "je veux mettre à jour mon dossier", statuses: []string{"skipped", "skipped"}, reply: "Pourriez-vous m'indiquer votre numéro d'adhérent ?"},
				{msg: "123456", statuses: []string{"skipped", "skipped"}, reply: "Pourriez-vous m'indiquer votre numéro d'adhérent (8 chiffres) ?"},
				{msg: "pardon, c'est 12345678", statuses: []string{"ok", "ok"}},
			},
			fields: map[string]string{"Adhérent": "12345678"}},
		{name: "an answer that does not fit asks again with the format", lang: "en", instructions: []string{refundID},
			turns: []turn{
				{msg: "I want a refund", statuses: []string{"skipped", "skipped"}, reply: "Could you send me your reference?"},
				{msg: "AB-12", statuses: []string{"skipped", "skipped"}, reply: "Could you send me your reference (format AB-1234)?"},
				{msg: "sorry, AB-1234", statuses: []string{"ok", "ok"}},
			},
			fields: map[string]string{"Ref": "AB-1234"}},
		{name: "an answer is not taken away by one word another scenario shares", lang: "en", instructions: []string{fault, roaming},
			turns: []turn{
				{msg: "I want to report a handset fault", statuses: []string{"skipped", "skipped"}},
				{msg: "The screen goes black and it reboots every few minutes, even when charging", statuses: []string{"ok", "ok"}},
			},
			fields: map[string]string{"Issue Details": "The screen goes black and it reboots every few minutes, even when charging"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valuesPlan(t, tt.lang, tt.instructions...)
			e, b := newEngine(t, p, runtime.Options{Caller: runtime.DryRunCaller{}})
			var history []runtime.Message
			for i, tu := range tt.turns {
				r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "c1", MessageID: "m" + string(rune('1'+i)),
					Text: tu.msg, History: history})
				require.NoError(t, err)
				diff(t, tu.statuses, statuses(r), cmpopts.EquateEmpty())
				if tu.reply != "" {
					diff(t, tu.reply, r.Reply)
				}
				history = append(history, runtime.Message{Role: runtime.RoleContact, Text: tu.msg},
					runtime.Message{Role: runtime.RoleAgent, Text: r.Reply})
			}
			ct, err := b.Contact(ctx, "c1")
			require.NoError(t, err)
			got := map[string]string{}
			for k, v := range ct.Fields {
				got[k] = v
			}
			want := tt.fields
			if want == nil {
				want = map[string]string{}
			}
			diff(t, want, got)
		})
	}
}

// TestAskForSecondPerson checks that the offline question turns the
// author's third person into the second person word by word, in English
// and French, and leaves words that only contain a pronoun alone.
func TestAskForSecondPerson(t *testing.T) {
	for _, tc := range []struct{ lang, what, want string }{
		{"fr", "la valeur de leur véhicule", "Pourriez-vous m'indiquer la valeur de votre véhicule ?"},
		{"fr", "son numéro de sinistre", "Pourriez-vous m'indiquer votre numéro de sinistre ?"},
		{"fr", "la date qui l'arrange", "Pourriez-vous m'indiquer la date qui vous arrange ?"},
		{"fr", "le créneau qui lui convient", "Pourriez-vous m'indiquer le créneau qui vous convient ?"},
		{"fr", "son adresse", "Pourriez-vous m'indiquer votre adresse ?"},
		{"en", "the date they want to switch", "Could you send me the date you want to switch?"},
		{"en", "their theme preference", "Could you send me your theme preference?"},
	} {
		require.Equal(t, tc.want, runtime.AskForForTest(tc.lang, []string{tc.what}), tc.what)
	}
}
