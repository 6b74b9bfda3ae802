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

// TestCollectBeforeActing checks scenarios that collect information first:
// while a value is missing nothing runs and the reply asks for it.
func TestCollectBeforeActing(t *testing.T) {
	ctx := context.Background()
	p := planWith(t, ir.Scenario{Condition: always, Collect: []string{"their email address"}, Actions: []ir.Action{
		{Kind: ir.KindUpdateFields, Fields: []ir.FieldUpdate{{Name: "Email", From: "their email address"}}},
		{Kind: ir.KindTriggerWorkflow, Workflow: "refund_processing"},
	}})
	withDirective := planWith(t, ir.Scenario{Condition: always, Collect: []string{"their email address"}, Actions: []ir.Action{
		{Kind: ir.KindUpdateFields, Fields: []ir.FieldUpdate{{Name: "Email", From: "their email address"}}},
		{Kind: ir.KindTriggerWorkflow, Workflow: "refund_processing"},
	}, Reply: &ir.Reply{Guidance: "thank them warmly"}})
	tests := []struct {
		name     string
		plan     *ir.Plan
		message  string
		lang     string
		model    runtime.Model
		calls    []string // purposes of the model calls
		statuses []string
		reply    string
		email    string
	}{
		{name: "missing offline", message: "I need help with my account",
			statuses: []string{runtime.Skipped, runtime.Skipped}, reply: "Could you send me your email address?"},
		{name: "missing offline in French", message: "J'ai besoin d'aide", lang: "fr",
			statuses: []string{runtime.Skipped, runtime.Skipped}, reply: "Pourriez-vous m'indiquer votre adresse e-mail ?"},
		{name: "given in the message", message: "help, I am ann@example.com",
			statuses: []string{runtime.OK, runtime.OK}, email: "ann@example.com"},
		{name: "given through the model, stock reply without a directive", message: "it's ann at example dot com",
			model:    fakemodel.New().Choose(`{"scenario": "s1", "fields": {"Email": "ann@example.com"}}`).Reply("Thanks, noted."),
			calls:    []string{runtime.PurposeChoose},
			statuses: []string{runtime.OK, runtime.OK}, email: "ann@example.com"},
		{name: "given through the model, the model writes the directive", plan: withDirective, message: "it's ann at example dot com",
			model:    fakemodel.New().Choose(`{"scenario": "s1", "fields": {"Email": "ann@example.com"}}`).Reply("Thanks, noted."),
			calls:    []string{runtime.PurposeChoose, runtime.PurposeReply},
			statuses: []string{runtime.OK, runtime.OK}, reply: "Thanks, noted.", email: "ann@example.com"},
		{name: "a missing value without a directive: the stock question", message: "help",
			model:    fakemodel.New().Choose(`{"scenario": "s1"}`).Reply("What is your email address?"),
			calls:    []string{runtime.PurposeChoose},
			statuses: []string{runtime.Skipped, runtime.Skipped}, reply: "Could you send me your email address?"},
		{name: "the model asks, with a directive", plan: withDirective, message: "help",
			model:    fakemodel.New().Choose(`{"scenario": "s1"}`).Reply("What is your email address?"),
			calls:    []string{runtime.PurposeChoose, runtime.PurposeReply},
			statuses: []string{runtime.Skipped, runtime.Skipped}, reply: "What is your email address?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := p
			if tt.plan != nil {
				plan = tt.plan
			}
			e, b := newEngine(t, plan, runtime.Options{Model: tt.model})
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: tt.message, Language: tt.lang})
			require.NoError(t, err)
			diff(t, tt.statuses, statuses(r))
			if tt.reply != "" {
				assert.Equal(t, tt.reply, r.Reply)
			}
			ct, _ := b.Contact(ctx, "c1")
			assert.Equal(t, tt.email, ct.Fields["Email"])
			ev, _ := b.WorkflowEvents(ctx, "c1")
			assert.Equal(t, tt.email != "", len(ev) == 1)
			if tt.model != nil {
				req := tt.model.(*fakemodel.Model).Requests()
				var purposes []string
				for _, q := range req {
					purposes = append(purposes, q.Purpose)
				}
				diff(t, tt.calls, purposes)
				if len(req) > 1 && r.Actions[0].Status == runtime.Skipped {
					assert.Contains(t, req[1].System, "ask the contact for: their email address")
				}
			}
		})
	}
}

// TestSeveralFieldsInOneClause: "save them as phone and Email" writes the
// ones the contact gave and fails only when none was given.
func TestSeveralFieldsInOneClause(t *testing.T) {
	ctx := context.Background()
	p := planWith(t, ir.Scenario{Condition: always, Actions: []ir.Action{
		{Kind: ir.KindUpdateFields, Fields: []ir.FieldUpdate{{Name: "phone"}, {Name: "Email"}}},
	}})
	tests := []struct {
		message string
		status  string
		values  map[string]string
		reason  string
	}{
		{message: "my new email is ann@example.org", status: runtime.OK, values: map[string]string{"Email": "ann@example.org"}},
		{message: "nothing useful here", status: runtime.Failed, reason: "no phone value for field phone and no email value for field Email was found"},
	}
	for _, tt := range tests {
		t.Run(tt.message, func(t *testing.T) {
			e, b := newEngine(t, p, runtime.Options{})
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: tt.message})
			require.NoError(t, err)
			require.Len(t, r.Actions, 1)
			assert.Equal(t, tt.status, r.Actions[0].Status)
			diff(t, tt.values, r.Actions[0].Values)
			assert.Contains(t, r.Actions[0].Reason, tt.reason)
			ct, _ := b.Contact(ctx, "c1")
			if tt.values == nil {
				assert.Empty(t, ct.Fields)
			} else {
				diff(t, tt.values, ct.Fields)
			}
		})
	}
}
