package runtime_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/fakemodel"
)

// fallbackPlan has a pricing scenario, a fallback that comes first in the
// file (its place must not matter) and a refund scenario.
func fallbackPlan(t *testing.T, lang string) *ir.Plan {
	p := acmePlan(t)
	p.Language = lang
	p.Scenarios = []ir.Scenario{
		{ID: "s1", Condition: ir.Condition{Text: "no clear intent", Fallback: true}, Actions: []ir.Action{{Kind: ir.KindAssign, Target: &ir.Target{Type: ir.TargetUser, Name: "carol"}}}},
		{ID: "s2", Condition: ir.Condition{Text: "the contact asks about pricing", Intents: []string{"pricing"}}, Actions: []ir.Action{{Kind: ir.KindAssign, Target: &ir.Target{Type: ir.TargetTeam, Name: "Sales Team"}, Method: ir.MethodRoundRobin}}},
		{ID: "s3", Condition: ir.Condition{Text: "the contact asks for a refund", Intents: []string{"refund"}}, Actions: []ir.Action{}},
	}
	return p
}

func TestFallbackOnlyWhenNothingElseMatches(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
	}{
		{"a pricing question goes to its scenario", "en", "How much does the Pro plan cost?", "s2"},
		{"a refund goes to its scenario", "en", "I want a refund for last month", "s3"},
		{"anything else goes to the fallback", "en", "my cat walked on the keyboard", "s1"},
		{"une question de prix va à son scénario", "fr", "Combien coûte l'abonnement Pro ?", "s2"},
		{"le reste va au repli", "fr", "mon chat a marché sur le clavier", "s1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := newEngine(t, fallbackPlan(t, tt.lang), runtime.Options{})
			r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: tt.text})
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Scenario, r.Why)
		})
	}
}

func TestFallbackBlockedByItsState(t *testing.T) {
	p := fallbackPlan(t, "en")
	p.Scenarios[0].Condition.State = []ir.StateCheck{{Kind: ir.StateFieldSet, Field: "Budget"}}
	e, _ := newEngine(t, p, runtime.Options{})
	r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "my cat walked on the keyboard"})
	require.NoError(t, err)
	assert.Empty(t, r.Scenario, "the fallback's state does not hold, so nothing runs")
	assert.Empty(t, r.Actions)
}

func TestModelNullChoosesFallback(t *testing.T) {
	m := fakemodel.New().Choose(`{"scenario": null, "reason": "unrelated"}`).Reply("Someone will help you shortly.")
	e, _ := newEngine(t, fallbackPlan(t, "en"), runtime.Options{Model: m})
	r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "my cat walked on the keyboard"})
	require.NoError(t, err)
	assert.Equal(t, "s1", r.Scenario, r.Why)
	assert.Contains(t, r.Why, "fallback")
	require.Len(t, r.Actions, 1)
	assert.Equal(t, "ok", r.Actions[0].Status)
}

func TestFallbackMarkedInThePrompt(t *testing.T) {
	m := fakemodel.New().Choose(`{"scenario": "s2"}`).Reply("Passing you to Sales.")
	e, _ := newEngine(t, fallbackPlan(t, "en"), runtime.Options{Model: m})
	r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "price?"})
	require.NoError(t, err)
	assert.Equal(t, "s2", r.Scenario)
	reqs := m.Requests()
	require.NotEmpty(t, reqs)
	assert.Contains(t, reqs[0].System, "- s1: (fallback: choose it only when no other scenario applies) no clear intent")
}

func TestPlanRejectsAlwaysFallback(t *testing.T) {
	p := fallbackPlan(t, "en")
	p.Scenarios[0].Condition.Always = true
	assert.ErrorContains(t, p.Validate(), "both a fallback and unconditional")
}
