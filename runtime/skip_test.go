package runtime_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/fakemodel"
)

// TestModelAskedOnlyWhenItHelps checks, with the default thresholds, which
// turns ask the model to choose and which to write the reply, in English and
// French.
func TestModelAskedOnlyWhenItHelps(t *testing.T) {
	tests := []struct {
		message  string
		asked    string // the agent's last message, when it asked something
		scenario string
		calls    []string // purposes, in order
		skipped  string   // substring of ModelSkipped; empty: the model chose
	}{
		// A clear match that only acts: no call at all, the stock reply.
		{message: "I want a refund", scenario: "s3", skipped: "offline match is sure"},
		{message: "Je veux un remboursement", scenario: "s3", skipped: "offline match is sure"},
		// A clear match with a template: no call.
		{message: "what's my schedule", scenario: "s2", skipped: "offline match is sure"},
		// A clear match with a reply directive: the model writes it.
		{message: "thanks, that's all", scenario: "s1", calls: []string{runtime.PurposeReply}, skipped: "offline match is sure"},
		{message: "merci, c'est tout", scenario: "s1", calls: []string{runtime.PurposeReply}, skipped: "offline match is sure"},
		// Clearly nothing: the model answers from the guidance, no choose call.
		{message: "hello", calls: []string{runtime.PurposeReply}, skipped: "nothing in the message relates"},
		{message: "bonjour", calls: []string{runtime.PurposeReply}, skipped: "nothing in the message relates"},
		// Unsure: a support topic no scenario names offline, a weak keyword.
		{message: "I was charged twice", scenario: "s3", calls: []string{runtime.PurposeChoose}},
		{message: "une question sur ma facture", scenario: "s3", calls: []string{runtime.PurposeChoose}},
		{message: "budget", calls: []string{runtime.PurposeChoose, runtime.PurposeReply}},
		// An answer to the agent's question relates to nothing by its own
		// words: the model, which sees the question, chooses; thanks after a
		// question is still nothing.
		{message: "the Hub 2 I think", asked: "Which router do you have?", scenario: "s3", calls: []string{runtime.PurposeChoose}},
		{message: "le modèle 2 je crois", asked: "Quel routeur avez-vous ?", scenario: "s3", calls: []string{runtime.PurposeChoose}},
		{message: "thanks", asked: "Which router do you have?", calls: []string{runtime.PurposeReply}, skipped: "nothing in the message relates"},
	}
	for i, tt := range tests {
		t.Run(tt.message, func(t *testing.T) {
			m := fakemodel.New()
			m.Default = func(ctx context.Context, req runtime.ModelRequest) (string, error) {
				if req.Purpose == runtime.PurposeChoose {
					if tt.scenario == "" {
						return `{"scenario": null}`, nil
					}
					return `{"scenario": "` + tt.scenario + `"}`, nil
				}
				return "Hello! How can I help?", nil
			}
			e, _ := newEngine(t, acmePlan(t), runtime.Options{Model: m, ModelSureMatch: runtime.DefaultModelSureMatch})
			in := runtime.TurnInput{ConversationID: fmt.Sprint("c", i), MessageID: "m1", Text: tt.message}
			if tt.asked != "" {
				in.History = []runtime.Message{{Role: runtime.RoleAgent, Text: tt.asked}}
			}
			r, err := e.Turn(context.Background(), in)
			require.NoError(t, err)
			assert.Equal(t, tt.scenario, r.Scenario, r.Why)
			var got []string
			for _, c := range m.Requests() {
				got = append(got, c.Purpose)
			}
			diff(t, tt.calls, got)
			assert.Len(t, r.ModelCalls, len(tt.calls))
			if tt.skipped == "" {
				assert.Equal(t, runtime.ChooserModel, r.Chooser)
				assert.Empty(t, r.ModelSkipped)
			} else {
				assert.Equal(t, runtime.ChooserOffline, r.Chooser)
				assert.Contains(t, r.ModelSkipped, tt.skipped)
			}
			assert.True(t, r.ReplySent)
		})
	}
}

// TestModelThresholds: above 1.2 the model chooses on every turn; a
// negative ModelSureNone asks it even when nothing relates.
func TestModelThresholds(t *testing.T) {
	m := fakemodel.New()
	m.Default = func(ctx context.Context, req runtime.ModelRequest) (string, error) {
		if req.Purpose == runtime.PurposeChoose {
			return `{"scenario": null}`, nil
		}
		return "ok", nil
	}
	e, _ := newEngine(t, acmePlan(t), runtime.Options{Model: m, ModelSureMatch: 2, ModelSureNone: -1})
	for i, msg := range []string{"I want a refund", "hello"} {
		r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: fmt.Sprint("c", i), MessageID: "m1", Text: msg})
		require.NoError(t, err)
		assert.Equal(t, runtime.ChooserModel, r.Chooser, msg)
		assert.Empty(t, r.ModelSkipped)
		require.NotEmpty(t, r.ModelCalls)
		assert.Equal(t, runtime.PurposeChoose, r.ModelCalls[0].Purpose)
	}
}
