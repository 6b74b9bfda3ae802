package simreport

import (
	"bytes"
	"html"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

func testPlan() *ir.Plan {
	assign := ir.Action{Kind: ir.KindAssign, Target: &ir.Target{Type: "team", Name: "Billing"}}
	call := ir.Action{Kind: ir.KindCall, ActionName: "order_status"}
	return &ir.Plan{Scenarios: []ir.Scenario{
		{ID: "s1", Line: 3, Condition: ir.Condition{Text: "the customer asks for a refund"}, Actions: []ir.Action{assign}},
		{ID: "s2", Line: 4, Condition: ir.Condition{Text: "the customer asks where the order is"}, Actions: []ir.Action{call}},
		{ID: "s3", Line: 5, Condition: ir.Condition{Text: "the customer says thanks"}, Reply: &ir.Reply{Guidance: "thank them"}},
		{ID: "s4", Line: 6, Condition: ir.Condition{Text: "the customer wants a demo"}},
	}}
}

func testTurns(p *ir.Plan) []Turn {
	assign, call := p.Scenarios[0].Actions[0], p.Scenarios[1].Actions[0]
	return []Turn{
		{Conversation: "c1", Message: "I want a refund", Scenario: "s1", Actions: []runtime.ActionOutcome{{Action: assign, Status: runtime.OK}}},
		{Conversation: "c1", Message: "thanks!", Scenario: "s3", ReplySent: true},
		{Conversation: "c2", Message: "where is my order 4471", Scenario: "s2", Actions: []runtime.ActionOutcome{{Action: call, Status: runtime.Failed, Reason: "HTTP 500"}}},
		{Conversation: "c3", Message: "where is my order 4472", Scenario: "s2", Actions: []runtime.ActionOutcome{{Action: call, Status: runtime.Failed, Reason: "HTTP 500"}}},
		{Conversation: "c4", Message: "order number?", Scenario: "s2", Actions: []runtime.ActionOutcome{{Action: call, Status: runtime.Skipped, Reason: "waiting for order_id"}}},
		{Conversation: "c5", Message: "Do you ship to Canada?", Scenario: ""},
		{Conversation: "c6", Message: "do you ship to canada or mexico", Scenario: ""},
		{Conversation: "c7", Message: "Livrez-vous en Belgique ?", Scenario: ""},
	}
}

func TestBuildCounts(t *testing.T) {
	p := testPlan()
	r := Build(p, 7, testTurns(p))
	assert.Equal(t, 7, r.Conversations)
	assert.Equal(t, 8, r.Turns)
	assert.Equal(t, 1, r.Handovers, "the assignment")
	assert.Equal(t, 1, r.Automated, "the reply to thanks; failed calls automate nothing")
	assert.Equal(t, 3, r.Unmatched)
	assert.Equal(t, 1, r.Waiting)

	fired := map[string]int{}
	for _, s := range r.Scenarios {
		fired[s.ID] = s.Fired
	}
	if diff := cmp.Diff(map[string]int{"s1": 1, "s2": 3, "s3": 1, "s4": 0}, fired); diff != "" {
		t.Errorf("fired (-want +got):\n%s", diff)
	}
	assert.Equal(t, "s2", r.Scenarios[0].ID, "most fired first")

	require.Len(t, r.Failures, 1, "the same failure is grouped")
	assert.Equal(t, 2, r.Failures[0].Count)
	assert.Equal(t, "HTTP 500", r.Failures[0].Reason)
}

func TestGapsGroupSimilarMessages(t *testing.T) {
	p := testPlan()
	r := Build(p, 7, testTurns(p))
	require.Len(t, r.Gaps, 2, "the two shipping questions form one group, the French one another: %+v", r.Gaps)
	assert.Equal(t, 2, r.Gaps[0].Count)
	assert.Contains(t, r.Gaps[0].Examples, "Do you ship to Canada?")
	assert.NotEmpty(t, r.Gaps[0].Keywords)
}

func TestShare(t *testing.T) {
	assert.Equal(t, 0.0, Share(3, 0))
	assert.Equal(t, 25.0, Share(1, 4))
}

func TestWriteText(t *testing.T) {
	p := testPlan()
	var b bytes.Buffer
	Build(p, 7, testTurns(p)).WriteText(&b)
	out := b.String()
	for _, want := range []string{
		"Simulation: 7 conversations, 8 contact messages",
		"unmatched       3",
		"1 scenarios never fired",
		`2 × "Do you ship to Canada?"`,
		"2 × s2: call order_status: HTTP 500",
	} {
		assert.Contains(t, out, want)
	}
}

func TestWriteHTMLIsWellFormed(t *testing.T) {
	p := testPlan()
	turns := testTurns(p)
	turns = append(turns, Turn{Conversation: "c8", Message: `<script>alert("x")</script>`})
	var b bytes.Buffer
	require.NoError(t, Build(p, 8, turns).WriteHTML(&b, `Report <for> "Acme"`))
	out := b.String()
	assert.NotContains(t, out, `<script>alert`, "messages are escaped")
	assert.NotContains(t, out, `<for>`, "the title is escaped")
	assert.Contains(t, out, "<title>"+html.EscapeString(`Report <for> "Acme"`)+"</title>")
	assert.Equal(t, strings.Count(out, "<html"), strings.Count(out, "</html>"))
}
