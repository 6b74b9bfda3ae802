package runtime_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

// topicPlan holds scenarios that share an intent and differ by their own
// words, and confirmations of something named.
func topicPlan(t *testing.T, lang string, conds ...string) *ir.Plan {
	p := acmePlan(t)
	p.Language = lang
	p.Scenarios = nil
	for i, c := range conds {
		p.Scenarios = append(p.Scenarios, ir.Scenario{ID: "s" + string(rune('1'+i)), Condition: ir.Condition{Text: c},
			Actions: []ir.Action{{Kind: ir.KindUpdateTags, Add: []string{"VIP"}}}})
	}
	return p
}

// The scenario whose own words the message uses wins over an earlier one
// with the same intent, and a bare acknowledgement confirms nothing the
// condition names unless the message or the agent's question names it.
func TestTopicWordsAndBareAnswers(t *testing.T) {
	plans := map[string][]string{
		"en": {
			"Billing questions",
			"a customer asks about an invoice",
			"the contact reports a bug",
			"the app is down for the whole team",
			"the contact confirms they still want to cancel",
			"the contact confirms their reservation",
		},
		"fr": {
			"le client conteste le montant facturé pour un dommage",
			"le client demande une facture",
			"Facture incorrecte ou double prélèvement",
			"le client signale une erreur de prélèvement de caution",
			"panne ou accident sur la route",
			"le client confirme sa réservation",
		},
	}
	type msg struct {
		lang, asked, text string
	}
	want := map[msg]string{
		{"en", "", "my invoice is INV-20931, can you check it?"}:            "s2",
		{"en", "", "I have a question about an invoice"}:                    "s2",
		{"en", "", "I have a billing question"}:                             "s1",
		{"en", "", "the app is down for our whole team!!"}:                  "s4",
		{"en", "", "I found a bug in the export"}:                           "s3",
		{"en", "", "lol ok"}:                                                "",
		{"en", "", "ok cool"}:                                               "",
		{"en", "", "👍"}:                                                     "",
		{"en", "", "yes I confirm my reservation"}:                          "s6",
		{"en", "Are you sure you want to cancel?", "yes, go ahead"}:         "s5",
		{"en", "Shall I confirm your reservation for Friday?", "ok"}:        "s6",
		{"en", "I'll pass you to our billing assistant.", "ok thanks"}:      "",
		{"fr", "", "pouvez-vous m'envoyer la facture FA-2291 ?"}:            "s2",
		{"fr", "", "j'ai été prélevé deux fois pour la même facture"}:       "s3",
		{"fr", "", "je conteste le montant facturé pour le dommage"}:        "s1",
		{"fr", "", "je suis en panne sur l'A7, la voiture démarre plus !!"}: "s5",
		{"fr", "", "mdr ok"}:                                                "",
		{"fr", "", "haha d'accord"}:                                         "",
		{"fr", "", "oui je confirme ma réservation"}:                        "s6",
		{"fr", "Je confirme votre réservation pour vendredi ?", "d'accord"}: "s6",
		{"fr", "Je vous passe la comptabilité.", "ok merci"}:                "",
	}
	got := map[msg]string{}
	for m := range want {
		e, _ := newEngine(t, topicPlan(t, m.lang, plans[m.lang]...), runtime.Options{})
		in := runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: m.text}
		if m.asked != "" {
			in.History = []runtime.Message{{Role: runtime.RoleAgent, Text: m.asked}}
		}
		r, err := e.Turn(context.Background(), in)
		require.NoError(t, err)
		got[m] = r.Scenario
	}
	diff(t, want, got)
}

// A value of what a yes/no question asks about is a yes: "our workspace is
// https://…" answers "Does the contact have a workspace URL? If so, save
// it" — but only when the message or the question before it names it.
func TestValueAnswersYes(t *testing.T) {
	conds := map[string]string{
		"en": "the contact answers yes to: Does the contact already have a workspace URL?",
		"fr": "le contact répond oui à : Le client a-t-il déjà une adresse de site web ?",
	}
	type msg struct {
		lang, asked, text string
	}
	want := map[msg]string{
		{"en", "", "our workspace is https://acme.tasklane.io"}:                       "s1",
		{"en", "Do you already have a workspace URL?", "https://acme.tasklane.io"}:    "s1",
		{"en", "", "https://acme.tasklane.io"}:                                        "",
		{"en", "", "what is a workspace URL?"}:                                        "",
		{"fr", "", "notre site web est https://garage-leroy.fr"}:                      "s1",
		{"fr", "Avez-vous déjà une adresse de site web ?", "https://garage-leroy.fr"}: "s1",
		{"fr", "", "https://garage-leroy.fr"}:                                         "",
		{"fr", "", "c'est quoi un site web ?"}:                                        "",
	}
	got := map[msg]string{}
	for m := range want {
		p := acmePlan(t)
		p.Language = m.lang
		p.Scenarios = []ir.Scenario{{ID: "s1", Condition: ir.Condition{Text: conds[m.lang]},
			Actions: []ir.Action{{Kind: ir.KindUpdateFields, Fields: []ir.FieldUpdate{{Name: "Website", Type: "url"}}}}}}
		e, _ := newEngine(t, p, runtime.Options{})
		in := runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: m.text}
		if m.asked != "" {
			in.History = []runtime.Message{{Role: runtime.RoleAgent, Text: m.asked}}
		}
		r, err := e.Turn(context.Background(), in)
		require.NoError(t, err)
		got[m] = r.Scenario
	}
	diff(t, want, got)
}
