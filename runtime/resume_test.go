package runtime_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

// TestResumeCollecting: offline, a scenario that asked the contact for
// information goes on when a later message gives it, even though that
// message ("ann@example.com", "Ann") matches no scenario by itself.
func TestResumeCollecting(t *testing.T) {
	ctx := context.Background()
	p := acmePlan(t)
	p.Scenarios = []ir.Scenario{
		{ID: "s1", Line: 3, Condition: ir.Condition{Text: "the contact wants a demo", Keywords: []string{"demo"}},
			Collect: []string{"their email and phone number"},
			Actions: []ir.Action{
				{Kind: ir.KindUpdateFields, Fields: []ir.FieldUpdate{{Name: "Email"}, {Name: "phone"}}},
				{Kind: ir.KindUpdateTags, Add: []string{"Interested"}},
			}},
		{ID: "s2", Line: 4, Condition: ir.Condition{Text: "the contact wants a refund"},
			Actions: []ir.Action{{Kind: ir.KindUpdateTags, Add: []string{"Refund"}}}},
		{ID: "s3", Line: 5, Condition: ir.Condition{Text: "the contact wants to change their name", Keywords: []string{"name"}},
			Collect: []string{"their first name"},
			Actions: []ir.Action{{Kind: ir.KindUpdateFields, Fields: []ir.FieldUpdate{{Name: "firstname"}}}}},
	}
	asked := func(first string, more ...string) []runtime.Message {
		h := []runtime.Message{{Role: runtime.RoleContact, Text: first}, {Role: runtime.RoleAgent, Text: "Could you send me that?"}}
		for _, m := range more {
			h = append(h, runtime.Message{Role: runtime.RoleContact, Text: m}, runtime.Message{Role: runtime.RoleAgent, Text: "And the rest?"})
		}
		return h
	}
	tests := []struct {
		name     string
		history  []runtime.Message
		message  string
		scenario string
		statuses []string
		fields   map[string]string
	}{
		{name: "both values in the answer", history: asked("I'd like a demo"), message: "ann@example.com, +44 20 7946 0958",
			scenario: "s1", statuses: []string{runtime.OK, runtime.OK}, fields: map[string]string{"Email": "ann@example.com", "phone": "+442079460958"}},
		{name: "one value now, the other later", history: asked("I'd like a demo"), message: "ann@example.com",
			scenario: "s1", statuses: []string{runtime.Skipped, runtime.Skipped}},
		{name: "the rest completes it", history: asked("I'd like a demo", "ann@example.com"), message: "+44 20 7946 0958",
			scenario: "s1", statuses: []string{runtime.OK, runtime.OK}, fields: map[string]string{"Email": "ann@example.com", "phone": "+442079460958"}},
		{name: "a value given with the request is kept", history: asked("I'd like a demo, I'm ann@example.com"), message: "+44 20 7946 0958",
			scenario: "s1", statuses: []string{runtime.OK, runtime.OK}, fields: map[string]string{"Email": "ann@example.com", "phone": "+442079460958"}},
		{name: "a new topic wins", history: asked("I'd like a demo"), message: "actually I want a refund, ann@example.com",
			scenario: "s2", statuses: []string{runtime.OK}},
		{name: "nothing asked for is given", history: asked("I'd like a demo"), message: "hmm let me think",
			scenario: "", statuses: nil},
		{name: "free text takes the whole answer", history: asked("please change my name"), message: "Ann-Marie",
			scenario: "s3", statuses: []string{runtime.OK}, fields: map[string]string{"firstname": "Ann-Marie"}},
		{name: "a question back is no answer", history: asked("please change my name"), message: "why do you need it?",
			scenario: "", statuses: nil},
		{name: "thanks is no answer", history: asked("please change my name"), message: "thanks",
			scenario: "", statuses: nil},
		{name: "a finished scenario is not resumed", history: []runtime.Message{
			{Role: runtime.RoleContact, Text: "I want a refund"}, {Role: runtime.RoleAgent, Text: "Done."}}, message: "Ann-Marie",
			scenario: "", statuses: nil},
		{name: "too far back", history: asked("please change my name", "hmm", "well", "so"), message: "Ann-Marie",
			scenario: "", statuses: nil},
		{name: "no history", message: "Ann-Marie", scenario: "", statuses: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, b := newEngine(t, p, runtime.Options{})
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: tt.message, History: tt.history})
			require.NoError(t, err)
			assert.Equal(t, tt.scenario, r.Scenario, r.Why)
			diff(t, tt.statuses, statuses(r))
			ct, _ := b.Contact(ctx, "p1")
			for k, v := range tt.fields {
				assert.Equal(t, v, ct.Fields[k], k)
			}
			if tt.fields == nil {
				assert.Empty(t, ct.Fields["Email"])
				assert.Empty(t, ct.Fields["firstname"])
			}
		})
	}
}
