package runtime_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

// matcherPlan is a plan whose scenarios only tag, one per condition, so that
// a test reads which one ran.
func matcherPlan(t *testing.T, lang string, notes []string, conds ...string) *ir.Plan {
	t.Helper()
	p := acmePlan(t)
	p.Language = lang
	p.Guidance = nil
	ws := *p.Workspace
	ws.ClosingNotes = append(append([]string(nil), ws.ClosingNotes...), notes...)
	p.Workspace = &ws
	p.Scenarios = nil
	for i, c := range conds {
		p.Scenarios = append(p.Scenarios, ir.Scenario{ID: string(rune('a' + i)), Line: i + 1, Condition: ir.Condition{Text: c},
			Actions: []ir.Action{{Kind: ir.KindUpdateTags, Add: []string{"VIP"}}}})
	}
	return p
}

// TestMatcherJudgement checks the families of misreadings: negation, a
// condition's own words next to its intent, single weak words, intents that
// are not about the contact's message, keywords that swallow other
// requests, and closing notes quoted in a message.
func TestMatcherJudgement(t *testing.T) {
	en := matcherPlan(t, "en", nil,
		"the contact wants to cancel their subscription", // a
		"the contact wants to cancel their order",        // b
		"the contact asks to stop talking to the bot",    // c
		"they confirm they have invited their team",      // d
		"their card was declined",                        // e
		"the contact asks to book a call with our team",  // f
		"the contact has no more questions",              // g
	)
	fr := matcherPlan(t, "fr", []string{"Rendez-vous Pris"},
		"le client veut résilier son abonnement",   // a
		"le client veut annuler sa commande",       // b
		"l'entrepôt a refusé un retour",            // c
		"le patient mentionne le cabinet lyonnais", // d
		"le patient veut prendre rendez-vous",      // e
		"le client n'a plus de questions",          // f
	)
	tests := []struct {
		plan     *ir.Plan
		message  string
		scenario string
		runnerUp string
	}{
		{en, "please cancel my subscription", "a", "b"},
		{en, "please stop, I don't want to talk to a bot", "c", ""},
		{en, "ok", "", ""},
		{en, "yes please", "", ""},
		{en, "yes, I have invited my team", "d", ""},
		{en, "no", "", ""},
		{en, "book a call with your team", "f", ""},
		{en, "that's all, thanks", "g", ""},
		{fr, "je veux annuler ma commande, pas mon abonnement", "b", ""},
		{fr, "je veux résilier mon abonnement", "a", ""},
		{fr, "non", "", ""},
		{fr, "je voudrais un rendez-vous au cabinet", "e", ""},
		{fr, "c'est bien le cabinet lyonnais ?", "d", ""},
		{fr, "Rendez-vous Pris", "", ""},
		{fr, "c'est tout, merci", "f", ""},
	}
	for _, tt := range tests {
		t.Run(tt.plan.Language+"/"+tt.message, func(t *testing.T) {
			e, _ := newEngine(t, tt.plan, runtime.Options{})
			r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: tt.message})
			require.NoError(t, err)
			diff(t, tt.scenario, r.Scenario)
			if tt.runnerUp != "" {
				diff(t, tt.runnerUp, r.RunnerUp)
			}
			if tt.scenario == "" {
				diff(t, 0.0, r.Confidence)
			} else if r.Confidence <= 0 || r.Confidence > 1 {
				t.Errorf("confidence %v is not in (0,1]: %s", r.Confidence, r.Why)
			}
		})
	}
}

// TestConfidenceOrders checks that a clear match is sure and an
// unconditional scenario never is.
func TestConfidenceOrders(t *testing.T) {
	p := matcherPlan(t, "en", nil, "the contact wants a refund", "")
	p.Scenarios[1].Condition = ir.Condition{Always: true}
	e, _ := newEngine(t, p, runtime.Options{})
	sure, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c1", Text: "I want a refund"})
	require.NoError(t, err)
	diff(t, "a", sure.Scenario)
	require.GreaterOrEqual(t, sure.Confidence, runtime.SureConfidence, sure.Why)
	fallback, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c2", Text: "hmm"})
	require.NoError(t, err)
	diff(t, "b", fallback.Scenario)
	require.Less(t, fallback.Confidence, runtime.SureConfidence)
}
