package runtime_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/fakemodel"
)

func TestCountTokens(t *testing.T) {
	// o200k_base counts, not words: punctuation and accented French
	// words take tokens of their own.
	tests := []struct {
		text  string
		words int
		want  int
	}{
		{"", 0, 0},
		{"hello world", 2, 2},
		{"Hello, world!", 2, 4},
		{"I want a refund for my order, it arrived broken.", 10, 12},
		{"Bonjour, je voudrais être remboursé de ma commande.", 8, 12},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			require.Len(t, strings.Fields(tt.text), tt.words)
			assert.Equal(t, tt.want, runtime.CountTokens(tt.text))
		})
	}
}

// Every model call records the tokens the runtime counted with its
// tokenizer, whatever the provider reports: the prompt as the chat API
// sends it (3 tokens per message and 3 to prime the answer), the fixed
// prefix's share, the answer.
func TestModelCallTokens(t *testing.T) {
	ctx := context.Background()
	m := fakemodel.New().Choose(`{"scenario": "s3"}`).Reply("Your refund is on its way, you will hear from us soon.")
	e, _ := newEngine(t, acmePlan(t), runtime.Options{Model: m, ModelSureMatch: 2, ModelSureNone: -1})
	r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "Je voudrais être remboursée, le colis est arrivé cassé."})
	require.NoError(t, err)
	reqs := m.Requests()
	require.Len(t, r.ModelCalls, len(reqs))
	require.NotEmpty(t, reqs)
	for i, req := range reqs {
		mc := r.ModelCalls[i]
		assert.Equal(t, req.Purpose, mc.Purpose)
		prefix := runtime.CountTokens(req.System[:req.Prefix]) + 3
		assert.Equal(t, prefix, mc.PrefixTokens, req.Purpose)
		assert.Equal(t, prefix+runtime.CountTokens(req.System[req.Prefix:])+runtime.CountTokens(req.User)+6, mc.InputTokens, req.Purpose)
		assert.Greater(t, mc.PrefixTokens, mc.InputTokens/3, "%s: most of the prompt is the fixed prefix", req.Purpose)
		// The fake model reports words: the counted tokens are not those.
		assert.NotEqual(t, mc.PromptTokens, mc.InputTokens)
	}
	last := r.ModelCalls[len(r.ModelCalls)-1]
	if last.Purpose == runtime.PurposeReply {
		assert.Equal(t, runtime.CountTokens(r.Reply), last.OutputTokens)
	}
	v := r.View("x")
	require.Len(t, v.ModelCalls, len(r.ModelCalls))
	assert.Equal(t, r.ModelCalls[0].InputTokens, v.ModelCalls[0].InputTokens)
	assert.Equal(t, r.ModelCalls[0].PrefixTokens, v.ModelCalls[0].PrefixTokens)
}

// The system prompt of each call starts with a prefix that is byte for
// byte the same on every turn of a plan, whatever the message, the
// language, the contact's state, the history or the scenario: what a
// provider's prompt cache reuses. The turn's own part follows it.
func TestPromptPrefixStable(t *testing.T) {
	ctx := context.Background()
	m := fakemodel.New()
	m.Default = func(_ context.Context, req runtime.ModelRequest) (string, error) {
		if req.JSON {
			switch {
			case strings.Contains(req.User, "refund"), strings.Contains(req.User, "rembours"):
				return `{"scenario": "s3"}`, nil
			case strings.Contains(req.User, "human"):
				return `{"scenario": "s6"}`, nil
			}
			return `{"scenario": null}`, nil
		}
		return "Thanks, a teammate will follow up.", nil
	}
	e, b := newEngine(t, acmePlan(t), runtime.Options{Model: m, ModelSureMatch: 2, ModelSureNone: -1})
	require.NoError(t, b.PutContact(ctx, runtime.Contact{ID: "rich", Fields: map[string]string{"Budget": "100"}}))
	var history []runtime.Message
	for i := range 12 {
		history = append(history, runtime.Message{Role: runtime.RoleContact, Text: fmt.Sprintf("earlier message %d", i)},
			runtime.Message{Role: runtime.RoleAgent, Text: fmt.Sprintf("earlier answer %d", i)})
	}
	turns := []runtime.TurnInput{
		{ConversationID: "c1", Text: "I want a refund please"},
		{ConversationID: "c2", Text: "Je voudrais être remboursé", History: history[:2]},
		{ConversationID: "c3", ContactID: "rich", Text: "can I talk to a human?", History: history},
		{ConversationID: "c4", Text: "what is the weather like", Language: "fr"},
	}
	for i, in := range turns {
		in.MessageID = fmt.Sprint("m", i)
		_, err := e.Turn(ctx, in)
		require.NoError(t, err)
	}
	prefixes := map[string]map[string]bool{}
	for _, req := range m.Requests() {
		require.Positive(t, req.Prefix, req.Purpose)
		require.LessOrEqual(t, req.Prefix, len(req.System))
		if prefixes[req.Purpose] == nil {
			prefixes[req.Purpose] = map[string]bool{}
		}
		prefixes[req.Purpose][req.System[:req.Prefix]] = true
		for _, in := range turns {
			assert.NotContains(t, req.System[:req.Prefix], in.Text, "the message is not in the prefix")
		}
		assert.NotContains(t, req.System[:req.Prefix], "Today is")
		assert.NotContains(t, req.System[:req.Prefix], "Write in")
	}
	if d := cmp.Diff(map[string]int{runtime.PurposeChoose: 1, runtime.PurposeReply: 1}, map[string]int{
		runtime.PurposeChoose: len(prefixes[runtime.PurposeChoose]), runtime.PurposeReply: len(prefixes[runtime.PurposeReply])}); d != "" {
		t.Errorf("distinct prefixes per purpose (-want +got):\n%s", d)
	}
}

// The choose call sees the last exchange, the reply call the history up to
// HistoryLimit: the history is sent in full once per turn.
func TestHistoryTrimmedPerCall(t *testing.T) {
	ctx := context.Background()
	m := fakemodel.New().Choose(`{"scenario": "s1"}`).Reply("A teammate will take it from here.")
	p := planWith(t, ir.Scenario{Condition: ir.Condition{Text: "the contact asks for a human"},
		Actions: []ir.Action{{Kind: ir.KindAddComment, Text: "wants a human"}}, Reply: &ir.Reply{Guidance: "say a teammate will answer"}})
	e, _ := newEngine(t, p, runtime.Options{Model: m, ModelSureMatch: 2, ModelSureNone: -1, HistoryLimit: 10})
	var history []runtime.Message
	for i := range 8 {
		history = append(history, runtime.Message{Role: runtime.RoleContact, Text: fmt.Sprintf("question number %d", i)},
			runtime.Message{Role: runtime.RoleAgent, Text: fmt.Sprintf("answer number %d", i)})
	}
	_, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "can I talk to a human?", History: history})
	require.NoError(t, err)
	reqs := m.Requests()
	require.Len(t, reqs, 2)
	count := func(s string) int { return strings.Count(s, " number ") }
	assert.Equal(t, runtime.ChooseHistory, count(reqs[0].User), "choose")
	assert.Contains(t, reqs[0].User, "answer number 7")
	assert.NotContains(t, reqs[0].User, "question number 5")
	assert.Equal(t, 10, count(reqs[1].User), "reply")
}

// Over HTTP, the system message of each purpose starts with the same bytes
// on every turn, whatever the message, language and state: up to the
// turn's own part ("Today is" for choose, "Write in" for reply).
func TestPromptPrefixStableOverHTTP(t *testing.T) {
	ctx := context.Background()
	srv := newOpenAIServer(t, func(r chatRequest) fakeAnswer {
		if r.isChoose() {
			return fakeAnswer{Content: `{"scenario": "s7", "fields": {"Budget": "500"}}`}
		}
		return fakeAnswer{Content: "Thanks, noted."}
	})
	p := acmePlan(t)
	p.Scenarios[6].Reply = &ir.Reply{Guidance: "confirm the budget"}
	e, _ := newEngine(t, p, runtime.Options{Model: srv.model(t)})
	for i, text := range []string{"our budget is 500 dollars", "notre budget est de 500 euros", "budget: 500"} {
		_, err := e.Turn(ctx, runtime.TurnInput{ConversationID: fmt.Sprint("c", i), MessageID: "m1", Text: text,
			History: []runtime.Message{{Role: runtime.RoleContact, Text: fmt.Sprint("hello ", i)}}})
		require.NoError(t, err)
	}
	prefixes := map[string]map[string]bool{"Today is": {}, "Write in": {}}
	for _, r := range srv.Requests() {
		sys := r.Messages[0].Content
		for marker := range prefixes {
			if i := strings.Index(sys, marker); i > 0 {
				prefixes[marker][sys[:i]] = true
			}
		}
	}
	assert.Len(t, prefixes["Today is"], 1, "choose")
	assert.Len(t, prefixes["Write in"], 1, "reply")
	assert.Len(t, srv.Requests(), 6)
}
