package runtime_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

// familyPlan is matcherPlan with a greeting scenario and, when fallback is
// true, a fallback scenario ("if no clear intent") after the others.
func familyPlan(t *testing.T, lang string, fallback bool, conds ...string) *ir.Plan {
	t.Helper()
	p := matcherPlan(t, lang, nil, conds...)
	if fallback {
		p.Scenarios = append(p.Scenarios, ir.Scenario{ID: "fb", Line: 99, Condition: ir.Condition{Text: "no clear intent", Fallback: true},
			Actions: []ir.Action{{Kind: ir.KindUpdateTags, Add: []string{"VIP"}}}})
	}
	return p
}

// withIntents gives scenario i the intents a compiled plan carries.
func withIntents(p *ir.Plan, i int, intents ...string) *ir.Plan {
	p.Scenarios[i].Condition.Intents = intents
	return p
}

// TestMatcherFamilies checks each family of misreadings on sentences of its
// own, in English and French, with sentences that must not match: the
// condition's own words next to its intent, negation, weak words alone,
// an answer intent that needs what is confirmed, a greeting in the same
// message as a request, a fallback that small talk does not take, and
// misspelt words.
func TestMatcherFamilies(t *testing.T) {
	en := familyPlan(t, "en", false,
		"the contact wants to book a tour of the office",      // a
		"the contact asks to book a call with our sales team", // b
		"the contact wants to cancel their membership",        // c
		"the contact asks to stop talking to the bot",         // d
		"they confirm they have invited their team",           // e
		"the contact says hello",                              // f
		"the contact asks about an invoice or a payment",      // g
	)
	fr := familyPlan(t, "fr", false,
		"le client veut réserver une visite des locaux",              // a
		"le client demande un appel avec notre équipe commerciale",   // b
		"le client veut résilier son abonnement",                     // c
		"le client demande à arrêter de parler au robot",             // d
		"le client confirme avoir invité son équipe",                 // e
		"le client dit bonjour",                                      // f
		"le client pose une question sur une facture ou un paiement", // g
	)
	tests := []struct {
		plan    *ir.Plan
		family  string
		message string
		want    string
	}{
		// A condition's own words next to its intent.
		{en, "own words", "could we book a tour of the office next week?", "a"},
		{en, "own words", "I'd like to book a call with your sales team", "b"},
		{fr, "own words", "je voudrais réserver une visite des locaux", "a"},
		{fr, "own words", "je souhaite un appel avec l'équipe commerciale", "b"},
		// Negation: a topic named only after "not" is set aside.
		{en, "negation", "please cancel my order, not the membership", ""},
		{en, "negation", "cancel my membership please", "c"},
		{en, "negation", "I don't want to cancel my membership, I'd rather book a tour", "a"},
		{fr, "negation", "je veux annuler ma commande, pas mon abonnement", ""},
		{fr, "negation", "résiliez mon abonnement s'il vous plaît", "c"},
		// One weak word is not enough.
		{en, "weak word", "lol this bot is fun", ""},
		{en, "weak word", "your team is great", ""},
		{en, "weak word", "please stop the bot", "d"},
		{fr, "weak word", "mdr ton robot est marrant", ""},
		{fr, "weak word", "votre équipe est super", ""},
		{fr, "weak word", "arrêtez le robot s'il vous plaît", "d"},
		{familyPlan(t, "fr", false, "le client signale un problème de livraison"), "weak word", "ma livraison 1234 n'est pas arrivée", "a"},
		{familyPlan(t, "fr", false, "le client signale un problème de livraison"), "weak word", "j'ai un problème", ""},
		{familyPlan(t, "en", false, "the contact reports a problem with a delivery"), "weak word", "my delivery 1234 never arrived", "a"},
		{familyPlan(t, "en", false, "the contact reports a problem with a delivery"), "weak word", "I have a problem", ""},
		// An answer intent needs what is confirmed; the condition's own
		// words stated in full are a confirmation.
		{en, "confirms", "all set, my team has been invited", "e"},
		{en, "confirms", "ok", ""},
		{en, "confirms", "how do I invite my team?", ""},
		{fr, "confirms", "c'est fait, j'ai invité mon équipe", "e"},
		{fr, "confirms", "d'accord", ""},
		{fr, "confirms", "comment inviter mon équipe ?", ""},
		{familyPlan(t, "en", false, "the contact confirms the problem is fixed or has no more questions"), "confirms", "can you fix my router?", ""},
		{familyPlan(t, "en", false, "the contact confirms the problem is fixed or has no more questions"), "confirms", "great, the problem is fixed", "a"},
		{familyPlan(t, "fr", false, "le client confirme que le problème est réglé ou n'a plus de questions"), "confirms", "pouvez-vous régler mon problème de connexion ?", ""},
		{familyPlan(t, "fr", false, "le client confirme que le problème est réglé ou n'a plus de questions"), "confirms", "super, le problème est réglé", "a"},
		// A greeting gives way to the request in the same message.
		{en, "greeting", "Hello! I want to cancel my membership", "c"},
		{en, "greeting", "hello there", "f"},
		{fr, "greeting", "Bonjour, je voudrais résilier mon abonnement", "c"},
		{fr, "greeting", "bonjour", "f"},
		// A fallback takes an unclear request, not small talk.
		{familyPlan(t, "en", true, "the contact asks about an invoice"), "fallback", "haha", ""},
		{familyPlan(t, "en", true, "the contact asks about an invoice"), "fallback", "thanks a lot!", ""},
		{familyPlan(t, "en", true, "the contact asks about an invoice"), "fallback", "my cat walked on the keyboard", "fb"},
		{familyPlan(t, "fr", true, "le client pose une question sur une facture"), "fallback", "mdr", ""},
		{familyPlan(t, "fr", true, "le client pose une question sur une facture"), "fallback", "merci beaucoup !", ""},
		{familyPlan(t, "fr", true, "le client pose une question sur une facture"), "fallback", "mon chat a marché sur le clavier", "fb"},
		// A condition's qualifier: "angry about their contract" gives way
		// to a condition whose own words the message has.
		{familyPlan(t, "en", false, "the contact is angry about their contract", "the contact says they were charged twice"), "qualifier", "you charged me twice this month wtf", "b"},
		{familyPlan(t, "en", false, "the contact is angry about their contract", "the contact says they were charged twice"), "qualifier", "this contract is a joke, I'm furious", "a"},
		{familyPlan(t, "fr", false, "le client se plaint de son séjour", "le client est furieux"), "qualifier", "c'est inadmissible, j'en ai marre de vos retards", "b"},
		{familyPlan(t, "fr", false, "le client se plaint de son séjour", "le client est furieux"), "qualifier", "c'est inadmissible, mon séjour était une catastrophe", "a"},
		// Praise is no request.
		{familyPlan(t, "en", false, "the contact wants a group trip or a seminar"), "praise", "your agency is great, the trip to Iceland was amazing!", ""},
		{familyPlan(t, "en", false, "the contact wants a group trip or a seminar"), "praise", "we would like a group trip for 20 people", "a"},
		{familyPlan(t, "fr", false, "le client veut un voyage de groupe ou un séminaire"), "praise", "Votre agence est top, le voyage en Islande était génial !", ""},
		{familyPlan(t, "fr", false, "le client veut un voyage de groupe ou un séminaire"), "praise", "nous voulons organiser un voyage de groupe", "a"},
		// A condition with an answer and a topic needs the answer.
		{withIntents(familyPlan(t, "en", false, "the contact wants to cancel their trip", "the cancellation is confirmed"), 1, "cancel", "confirms"), "answer and topic", "I want to cancel my trip", "a"},
		{withIntents(familyPlan(t, "en", false, "the contact wants to cancel their trip", "the cancellation is confirmed"), 1, "cancel", "confirms"), "answer and topic", "cancel my insurance, not my trip", ""},
		{withIntents(familyPlan(t, "fr", false, "le client veut annuler son voyage", "l'annulation est confirmée"), 1, "cancel", "confirms"), "answer and topic", "je veux annuler mon voyage", "a"},
		{withIntents(familyPlan(t, "fr", false, "le client veut annuler son voyage", "l'annulation est confirmée"), 1, "cancel", "confirms"), "answer and topic", "oui, je confirme l'annulation", "b"},
		{withIntents(familyPlan(t, "en", false, "the contact wants to cancel their trip", "the cancellation is confirmed"), 1, "cancel", "confirms"), "answer and topic", "yes, I confirm the cancellation", "b"},
		{withIntents(familyPlan(t, "fr", false, "le client veut annuler son voyage", "l'annulation est confirmée"), 1, "cancel", "confirms"), "answer and topic", "je veux annuler mon assurance, pas mon voyage", ""},
		// A negation the condition shares, and a wish negated.
		{familyPlan(t, "en", false, "the contact says mobile data is not working"), "negation", "my 4g data isnt working since this morning", "a"},
		{familyPlan(t, "en", false, "the contact asks about a charge they do not recognise"), "negation", "I don't recognise a charge on my bill", "a"},
		{familyPlan(t, "fr", false, "le client dit que les données mobiles ne fonctionnent pas"), "negation", "mes données mobiles ne fonctionnent plus", "a"},
		{familyPlan(t, "fr", false, "le client signale un prélèvement qu'il ne reconnaît pas"), "negation", "je ne reconnais pas ce prélèvement", "a"},
		// Misspelt words one edit from a word of the plan.
		{en, "typos", "i want to cancle my membrship", "c"},
		{en, "typos", "question about my invocie", "g"},
		{fr, "typos", "je veux résillier mon abonement", "c"},
		{fr, "typos", "une question sur ma factrue", "g"},
	}
	got, wantAll := map[string]string{}, map[string]string{}
	for _, tt := range tests {
		e, _ := newEngine(t, tt.plan, runtime.Options{})
		r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: tt.message})
		require.NoError(t, err)
		key := tt.plan.Language + " " + tt.family + ": " + tt.message
		got[key], wantAll[key] = r.Scenario, tt.want
		if r.Scenario != tt.want {
			t.Logf("%s: %s", key, r.Why)
		}
	}
	if d := cmp.Diff(wantAll, got); d != "" {
		t.Errorf("scenarios (-want +got):\n%s", d)
	}
}

// TestHappenIsWeak checks that a verb of happening alone ("passe-moi",
// "what happens next") takes no scenario about describing what happened,
// in English and French, while the condition's other words still do.
func TestHappenIsWeak(t *testing.T) {
	en := familyPlan(t, "en", false, "the contact describes what happened")
	fr := familyPlan(t, "fr", false, "le client décrit ce qui s'est passé")
	for _, tt := range []struct {
		plan          *ir.Plan
		message, want string
	}{
		{en, "what happens next with my account?", ""},
		{en, "let me describe it: the car was scratched", "a"},
		{fr, "passe-moi à l'étape suivante", ""},
		{fr, "je vous décris : la voiture a été rayée", "a"},
	} {
		e, _ := newEngine(t, tt.plan, runtime.Options{})
		r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: tt.message})
		require.NoError(t, err)
		require.Equal(t, tt.want, r.Scenario, "%s: %s", tt.message, r.Why)
	}
}
