package runtime_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

func spanRecorder(t *testing.T) (*tracetest.InMemoryExporter, *sdktrace.TracerProvider) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return exp, tp
}

func attrs(s tracetest.SpanStub) map[string]any {
	m := map[string]any{}
	for _, kv := range s.Attributes {
		m[string(kv.Key)] = kv.Value.AsInterface()
	}
	return m
}

// A turn through the real OpenAI client makes one span for the turn, one
// per model call and one per action, with the GenAI semantic conventions'
// attribute names; the message's content is not in any span.
func TestTraceSpans(t *testing.T) {
	ctx := context.Background()
	const message = "we can spend twelve thousand, 12000 USD"
	srv := newOpenAIServer(t, func(r chatRequest) fakeAnswer {
		if r.isChoose() {
			return fakeAnswer{Content: `{"scenario": "s7", "fields": {"Budget": "12000"}}`}
		}
		return fakeAnswer{Content: "Thanks, I've noted your budget and passed you to our Sales Team."}
	})
	p := acmePlan(t)
	p.Scenarios[6].Reply = &ir.Reply{Guidance: "confirm the budget"}
	exp, tp := spanRecorder(t)
	e, _ := newEngine(t, p, runtime.Options{Model: srv.model(t), TracerProvider: tp, ModelSureMatch: 2, ModelSureNone: -1})
	r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "conv-42", ContactID: "p1", MessageID: "m1", Text: message})
	require.NoError(t, err)
	require.Equal(t, "s7", r.Scenario)
	require.Len(t, r.ModelCalls, 2)

	spans := exp.GetSpans()
	var names []string
	for _, s := range spans {
		names = append(names, s.Name)
	}
	slices.Sort(names)
	want := []string{"chat test-model", "chat test-model", "execute_tool assign", "execute_tool update_fields", "invoke_agent instrc"}
	if d := cmp.Diff(want, names); d != "" {
		t.Fatalf("span names (-want +got):\n%s", d)
	}
	turnIdx := slices.IndexFunc(spans, func(s tracetest.SpanStub) bool { return s.Name == "invoke_agent instrc" })
	turn := spans[turnIdx]
	ta := attrs(turn)
	assert.Equal(t, "invoke_agent", ta["gen_ai.operation.name"])
	assert.Equal(t, "instrc", ta["gen_ai.agent.name"])
	assert.Equal(t, "conv-42", ta["gen_ai.conversation.id"])
	assert.Equal(t, "s7", ta["instrc.scenario"])
	assert.Equal(t, "model", ta["instrc.chooser"])
	assert.Equal(t, int64(2), ta["instrc.model.calls"])
	assert.False(t, turn.Parent.IsValid(), "the turn span is a root here")

	var purposes []string
	for i, s := range spans {
		if i == turnIdx {
			continue
		}
		assert.Equal(t, turn.SpanContext.SpanID(), s.Parent.SpanID(), "%s is a child of the turn", s.Name)
		assert.Equal(t, turn.SpanContext.TraceID(), s.SpanContext.TraceID())
		a := attrs(s)
		assert.Equal(t, "conv-42", a["gen_ai.conversation.id"], s.Name)
		for k, v := range a {
			assert.NotContains(t, k, "messages", "no message content by default")
			assert.NotContains(t, k, "system_instructions")
			if str, ok := v.(string); ok {
				assert.NotContains(t, str, "twelve thousand", "%s: %s", s.Name, k)
			}
		}
		if !strings.HasPrefix(s.Name, "chat") {
			assert.Equal(t, trace.SpanKindInternal, s.SpanKind)
			assert.Equal(t, "execute_tool", a["gen_ai.operation.name"])
			assert.Equal(t, strings.TrimPrefix(s.Name, "execute_tool "), a["gen_ai.tool.name"])
			assert.Equal(t, "ok", a["instrc.action.status"])
			continue
		}
		assert.Equal(t, trace.SpanKindClient, s.SpanKind)
		purpose := a["instrc.model.purpose"].(string)
		purposes = append(purposes, purpose)
		mc := r.ModelCalls[slices.IndexFunc(r.ModelCalls, func(c runtime.ModelCall) bool { return c.Purpose == purpose })]
		if d := cmp.Diff(map[string]any{
			"gen_ai.operation.name":              "chat",
			"gen_ai.provider.name":               "openai",
			"gen_ai.system":                      "openai",
			"gen_ai.request.model":               "test-model",
			"gen_ai.request.temperature":         0.0,
			"gen_ai.conversation.id":             "conv-42",
			"gen_ai.output.type":                 map[string]string{runtime.PurposeChoose: "json", runtime.PurposeReply: "text"}[purpose],
			"gen_ai.usage.input_tokens":          int64(mc.PromptTokens),
			"gen_ai.usage.output_tokens":         int64(mc.CompletionTokens),
			"instrc.usage.counted_input_tokens":  int64(mc.InputTokens),
			"instrc.usage.counted_output_tokens": int64(mc.OutputTokens),
			"instrc.usage.prefix_tokens":         int64(mc.PrefixTokens),
			"instrc.model.purpose":               purpose,
		}, a); d != "" {
			t.Errorf("%s attributes (-want +got):\n%s", purpose, d)
		}
		assert.Equal(t, codes.Unset, s.Status.Code)
	}
	slices.Sort(purposes)
	assert.Equal(t, []string{"choose", "reply"}, purposes)
}

// With TraceContent, the prompts and the answer are in the model call's
// span, as the GenAI conventions name them.
func TestTraceContent(t *testing.T) {
	ctx := context.Background()
	srv := newOpenAIServer(t, func(r chatRequest) fakeAnswer { return fakeAnswer{Content: `{"scenario": null}`} })
	exp, tp := spanRecorder(t)
	e, _ := newEngine(t, acmePlan(t), runtime.Options{Model: srv.model(t), TracerProvider: tp, TraceContent: true, ModelSureMatch: 2, ModelSureNone: -1})
	_, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "je ne sais pas trop quoi dire"})
	require.NoError(t, err)
	i := slices.IndexFunc(exp.GetSpans(), func(s tracetest.SpanStub) bool { return strings.HasPrefix(s.Name, "chat") })
	require.GreaterOrEqual(t, i, 0)
	a := attrs(exp.GetSpans()[i])
	assert.Contains(t, a["gen_ai.input.messages"], "je ne sais pas trop quoi dire")
	assert.Contains(t, a["gen_ai.system_instructions"], "You route one new message")
	assert.Contains(t, a["gen_ai.output.messages"], `{\"scenario\": null}`)
}

// A failed model call's span has an error status and error.type; a failed
// action's span too.
func TestTraceErrors(t *testing.T) {
	ctx := context.Background()
	srv := newOpenAIServer(t, func(r chatRequest) fakeAnswer { return fakeAnswer{Delay: time.Second} })
	exp, tp := spanRecorder(t)
	e, _ := newEngine(t, acmePlan(t), runtime.Options{Model: srv.model(t), TracerProvider: tp, ModelTimeout: 50 * time.Millisecond, ModelSureMatch: 2, ModelSureNone: -1})
	r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "I want a refund"})
	require.NoError(t, err)
	require.NotEmpty(t, r.Fallback)
	var chat tracetest.SpanStub
	for _, s := range exp.GetSpans() {
		if strings.HasPrefix(s.Name, "chat") {
			chat = s
		}
	}
	assert.Equal(t, codes.Error, chat.Status.Code)
	assert.Contains(t, chat.Attributes, attribute.String("error.type", "timeout"))
	for _, s := range exp.GetSpans() {
		assert.False(t, strings.HasPrefix(s.Name, "execute_tool"), "no action ran")
	}
}
