package runtime_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/fakemodel"
)

// TestModelChoiceIsValidated scripts the choose call and checks that only
// answers naming what the plan allows run anything.
func TestModelChoiceIsValidated(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		message  string
		answer   string
		scenario string
		statuses []string
		fallback string // substring of TurnResult.Fallback; empty: no fallback
		check    func(t *testing.T, b *runtime.MemoryBackend)
	}{
		{name: "a valid choice with a field value", message: "budget around 7,500",
			answer:   `{"scenario": "s7", "fields": {"Budget": "7500"}, "reason": "gives a budget"}`,
			scenario: "s7", statuses: []string{runtime.OK, runtime.OK},
			check: func(t *testing.T, b *runtime.MemoryBackend) {
				ct, _ := b.Contact(ctx, "p1")
				assert.Equal(t, "7500", ct.Fields["Budget"])
			}},
		{name: "a number given as a JSON number, by field id", message: "budget 900",
			answer:   `{"scenario": "s7", "fields": {"budget": 900}}`,
			scenario: "s7", statuses: []string{runtime.OK, runtime.OK},
			check: func(t *testing.T, b *runtime.MemoryBackend) {
				ct, _ := b.Contact(ctx, "p1")
				assert.Equal(t, "900", ct.Fields["Budget"])
			}},
		{name: "no scenario", message: "nice weather", answer: `{"scenario": null, "reason": "small talk"}`},
		{name: "wrapped in a code fence", message: "I want a refund",
			answer:   "```json\n{\"scenario\": \"s3\"}\n```",
			scenario: "s3", statuses: []string{runtime.OK, runtime.OK, runtime.OK}},
		{name: "a scenario not in the plan", message: "hi", answer: `{"scenario": "s42"}`, fallback: `scenario "s42" is not in the plan`},
		{name: "a team key", message: "assign me to Hackers", answer: `{"scenario": "s2", "team": "Hackers"}`, fallback: "unknown field \"team\""},
		{name: "a stage key", message: "make me a customer", answer: `{"scenario": "s4", "stage": "VIP Customer"}`, fallback: "unknown field \"stage\""},
		{name: "a tag key", message: "tag me", answer: `{"scenario": "s3", "tags": ["Owner"]}`, fallback: "unknown field \"tags\""},
		{name: "a field the scenario does not save", message: "my phone is 0612345678",
			answer: `{"scenario": "s4", "fields": {"phone": "+33612345678"}}`, fallback: `field "phone" is not saved by scenario s4`},
		{name: "a field not in the workspace", message: "x", answer: `{"scenario": "s7", "fields": {"Salary": "1"}}`, fallback: `field "Salary"`},
		{name: "a value of the wrong type", message: "budget is big", answer: `{"scenario": "s7", "fields": {"Budget": "very big"}}`, fallback: "is not a valid number"},
		{name: "a nested value", message: "budget", answer: `{"scenario": "s7", "fields": {"Budget": {"amount": 5}}}`, fallback: "not a single value"},
		{name: "a closing note on a scenario that names its own", message: "bye",
			answer: `{"scenario": "s1", "closingNote": "Spam"}`, fallback: `closing note "Spam"`},
		{name: "a scenario whose state does not hold", message: "budget 5",
			answer: `{"scenario": "s7", "fields": {"Budget": "5"}}`, fallback: "state conditions do not hold",
			check: func(t *testing.T, b *runtime.MemoryBackend) {
				ct, _ := b.Contact(ctx, "p1")
				assert.Equal(t, "100", ct.Fields["Budget"])
			}},
		{name: "malformed JSON", message: "hi", answer: `{"scenario": "s3"`, fallback: "not the expected JSON object"},
		{name: "prose", message: "hi", answer: `Sure! I'll assign you to @Hackers right away.`, fallback: "not the expected JSON object"},
		{name: "two objects", message: "hi", answer: `{"scenario": "s3"} {"scenario": "s6"}`, fallback: "text follows"},
		{name: "an array", message: "hi", answer: `["s3"]`, fallback: "not the expected JSON object"},
		{name: "fields without a scenario", message: "hi", answer: `{"scenario": null, "fields": {"Budget": "1"}}`, fallback: "without a scenario"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := fakemodel.New().Choose(tt.answer).Reply("Here is your answer.")
			e, b := newEngine(t, acmePlan(t), runtime.Options{Model: m})
			contact := runtime.Contact{ID: "p1"}
			if strings.Contains(tt.name, "state") {
				contact.Fields = map[string]string{"Budget": "100"}
			}
			require.NoError(t, b.PutContact(ctx, contact))
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: tt.message})
			require.NoError(t, err)
			assert.Equal(t, runtime.ChooserModel, r.Chooser)
			assert.Equal(t, tt.scenario, r.Scenario, r.Why)
			diff(t, tt.statuses, statuses(r))
			if tt.fallback == "" {
				assert.Empty(t, r.Fallback)
			} else {
				assert.Contains(t, r.Fallback, tt.fallback)
				// Nothing ran and nothing changed; the reply is the stock
				// one, with no second model call.
				c, _ := b.Conversation(ctx, "c1")
				diff(t, runtime.Conversation{ID: "c1", ContactID: "p1", Status: runtime.StatusOpen}, c)
				ct, _ := b.Contact(ctx, "p1")
				assert.Empty(t, ct.Tags)
				assert.Empty(t, ct.Lifecycle)
				assert.Len(t, r.ModelCalls, 1)
				assert.Equal(t, runtime.ReplyStock, r.ReplySource)
				assert.True(t, r.ReplySent)
			}
			if tt.check != nil {
				tt.check(t, b)
			}
		})
	}
}

func TestModelTurnCalls(t *testing.T) {
	ctx := context.Background()
	// A scenario with a reply directive: the model chooses, then writes.
	m := fakemodel.New().
		Choose(`{"scenario": "s1", "reason": "done"}`).
		Reply("Glad I could help, goodbye!")
	e, b := newEngine(t, acmePlan(t), runtime.Options{Model: m})
	r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "that's all",
		History: []runtime.Message{{Role: runtime.RoleContact, Text: "my order was broken"}}})
	require.NoError(t, err)
	assert.Equal(t, "s1", r.Scenario)
	assert.Equal(t, "chosen by the model: done", r.Why)
	diff(t, []string{runtime.OK}, statuses(r))
	assert.Equal(t, "Glad I could help, goodbye!", r.Reply)
	assert.Equal(t, runtime.ReplyModel, r.ReplySource)
	require.Len(t, r.ModelCalls, 2)
	assert.Equal(t, runtime.PurposeChoose, r.ModelCalls[0].Purpose)
	assert.Equal(t, runtime.PurposeReply, r.ModelCalls[1].Purpose)
	for _, c := range r.ModelCalls {
		assert.Positive(t, c.PromptTokens)
		assert.Positive(t, c.CompletionTokens)
		assert.Empty(t, c.Error)
	}
	c, _ := b.Conversation(ctx, "c1")
	assert.Equal(t, runtime.StatusClosed, c.Status)

	reqs := m.Requests()
	require.Len(t, reqs, 2)
	assert.True(t, reqs[0].JSON)
	assert.Contains(t, reqs[0].System, "- s3: the contact wants a refund")
	assert.Contains(t, reqs[0].User, "contact: my order was broken")
	assert.Contains(t, reqs[0].User, "<<<\nthat's all\n>>>")
	assert.Contains(t, reqs[0].System, "- s7: the Budget field is empty and the contact mentions a budget\n  fields: Budget (number)")
	// The reply call knows what happened and the guidance.
	assert.Contains(t, reqs[1].System, "Be brief and friendly")
	assert.Contains(t, reqs[1].System, "- close the conversation: done")
	assert.False(t, reqs[1].JSON)

	// A scenario that only acts: the stock reply states the outcomes, no
	// reply call.
	m = fakemodel.New().Choose(`{"scenario": "s3"}`).Reply("I refunded you.")
	e, b = newEngine(t, acmePlan(t), runtime.Options{Model: m})
	r, err = e.Turn(ctx, runtime.TurnInput{ConversationID: "c2", ContactID: "p2", MessageID: "m1", Text: "money back please"})
	require.NoError(t, err)
	assert.Equal(t, "s3", r.Scenario)
	diff(t, []string{runtime.OK, runtime.OK, runtime.OK}, statuses(r))
	assert.Equal(t, runtime.ReplyStock, r.ReplySource)
	assert.NotContains(t, r.Reply, "I refunded you.")
	require.Len(t, r.ModelCalls, 1)
	ct, _ := b.Contact(ctx, "p2")
	diff(t, []string{"Refund"}, ct.Tags)
}

func TestModelSeesOnlyEligibleScenarios(t *testing.T) {
	ctx := context.Background()
	m := fakemodel.New().Choose(`{"scenario": null}`).Reply("ok")
	e, b := newEngine(t, acmePlan(t), runtime.Options{Model: m})
	require.NoError(t, b.PutContact(ctx, runtime.Contact{ID: "p1", Fields: map[string]string{"Budget": "100"}}))
	_, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "hi"})
	require.NoError(t, err)
	req := m.Requests()[0]
	// The fixed prefix lists every scenario (so that it is the same on
	// every turn); the turn's part says which can apply, and the answer's
	// schema allows only those.
	assert.Contains(t, req.System[req.Prefix:], "Only these scenarios can apply now (the state conditions of the others do not hold): s1, s2, s3, s4, s5, s6, s8.")
	enum := req.Schema["properties"].(map[string]any)["scenario"].(map[string]any)["enum"]
	assert.NotContains(t, enum, "s7", "s7 needs an empty Budget")
	assert.Contains(t, enum, "s1")
}

func TestModelIneligibleScenarioRejected(t *testing.T) {
	ctx := context.Background()
	m := fakemodel.New().Choose(`{"scenario": "s7", "fields": {"Budget": "500"}}`).Reply("ok")
	e, b := newEngine(t, acmePlan(t), runtime.Options{Model: m})
	require.NoError(t, b.PutContact(ctx, runtime.Contact{ID: "p1", Fields: map[string]string{"Budget": "100"}}))
	r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "my budget is around 500, roughly"})
	require.NoError(t, err)
	assert.Empty(t, r.Scenario)
	assert.Contains(t, r.Fallback, `scenario "s7" does not apply`)
	assert.Empty(t, r.Actions)
}

func TestModelPicksClosingNoteAndSummary(t *testing.T) {
	ctx := context.Background()
	p := planWith(t, ir.Scenario{Condition: ir.Condition{Text: "the contact says goodbye"}, Actions: []ir.Action{{Kind: ir.KindClose}}})
	tests := []struct {
		answer, note, summary, fallback string
	}{
		{answer: `{"scenario": "s1", "closingNote": "No Response", "summary": "The contact left."}`, note: "No Response", summary: "The contact left."},
		{answer: `{"scenario": "s1"}`, note: "", summary: "Summary of the last messages:\nContact: bye"},
		{answer: `{"scenario": "s1", "closingNote": "Fraud"}`, fallback: `closing note "Fraud"`},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			m := fakemodel.New().Choose(tt.answer).Reply("Bye!")
			e, b := newEngine(t, p, runtime.Options{Model: m})
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "bye"})
			require.NoError(t, err)
			c, _ := b.Conversation(ctx, "c1")
			if tt.fallback != "" {
				assert.Contains(t, r.Fallback, tt.fallback)
				assert.Equal(t, runtime.StatusOpen, c.Status)
				return
			}
			assert.Equal(t, runtime.StatusClosed, c.Status)
			assert.Equal(t, tt.note, c.ClosingNote)
			assert.Equal(t, tt.summary, c.Summary)
			assert.Equal(t, tt.note, r.Actions[0].ClosingNote)
			assert.Contains(t, m.Requests()[0].System, `closingNote: one of "Issue Resolved", "Spam", "No Response"`)
		})
	}
}

func TestModelFailuresFallBack(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		model     *fakemodel.Model
		scenario  string
		statuses  []string
		source    string
		fallback  string
		wantCalls int
	}{
		{name: "the choose call errors", model: fakemodel.New().On(runtime.PurposeChoose, fakemodel.Answer{Err: errors.New("HTTP 500")}),
			source: runtime.ReplyStock, fallback: "the model could not choose: HTTP 500", wantCalls: 1},
		{name: "the reply call errors after the actions ran",
			model:    fakemodel.New().Choose(`{"scenario": "s1"}`).On(runtime.PurposeReply, fakemodel.Answer{Err: errors.New("HTTP 502")}),
			scenario: "s1", statuses: []string{runtime.OK},
			source: runtime.ReplyStock, fallback: "the model could not write the reply: HTTP 502", wantCalls: 2},
		{name: "an empty reply", model: fakemodel.New().Choose(`{"scenario": "s1"}`).Reply("   "),
			scenario: "s1", statuses: []string{runtime.OK},
			source: runtime.ReplyStock, fallback: "empty reply", wantCalls: 2},
		{name: "a template needs no reply call", model: fakemodel.New().Choose(`{"scenario": "s4", "fields": {"Email": "a@b.co"}}`),
			scenario: "s4", statuses: []string{runtime.OK, runtime.OK}, source: runtime.ReplyTemplate, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, b := newEngine(t, acmePlan(t), runtime.Options{Model: tt.model})
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "please help"})
			require.NoError(t, err)
			assert.Equal(t, tt.scenario, r.Scenario)
			diff(t, tt.statuses, statuses(r))
			assert.Equal(t, tt.source, r.ReplySource)
			assert.True(t, r.ReplySent)
			assert.NotEmpty(t, r.Reply)
			assert.Len(t, r.ModelCalls, tt.wantCalls)
			if tt.fallback == "" {
				assert.Empty(t, r.Fallback)
			} else {
				assert.Contains(t, r.Fallback, tt.fallback)
			}
			if tt.scenario == "" {
				ct, _ := b.Contact(ctx, "p1")
				assert.Empty(t, ct.Tags)
			}
		})
	}
}

// panicModel stands for a broken client library.
type panicModel struct{}

func (panicModel) Generate(context.Context, runtime.ModelRequest) (runtime.ModelResponse, error) {
	panic("nil map in client")
}

func TestPanickingModelFallsBack(t *testing.T) {
	e, _ := newEngine(t, acmePlan(t), runtime.Options{Model: panicModel{}})
	r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "I want a refund"})
	require.NoError(t, err)
	assert.Empty(t, r.Actions)
	assert.Contains(t, r.Fallback, "panicked")
}

func TestSlowModelTimesOut(t *testing.T) {
	m := fakemodel.New()
	m.Default = func(ctx context.Context, _ runtime.ModelRequest) (string, error) {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(5 * time.Second):
			return `{"scenario": "s3"}`, nil
		}
	}
	e, b := newEngine(t, acmePlan(t), runtime.Options{Model: m, ModelTimeout: 50 * time.Millisecond})
	start := time.Now()
	r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "I want a refund"})
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.Empty(t, r.Actions)
	assert.Contains(t, r.Fallback, "did not answer within 50ms")
	require.Len(t, r.ModelCalls, 1)
	assert.NotEmpty(t, r.ModelCalls[0].Error)
	ct, _ := b.Contact(context.Background(), "c1")
	assert.Empty(t, ct.Tags)
}
