package runtime

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/instrc/instrc/ir"
)

// TracerName is the instrumentation scope of the runtime's spans.
const TracerName = "github.com/instrc/instrc/runtime"

// Span attributes of the runtime's own, next to the GenAI semantic
// conventions' gen_ai.* attributes.
const (
	AttrMessageID      = attribute.Key("instrc.message.id")
	AttrScenario       = attribute.Key("instrc.scenario")
	AttrChooser        = attribute.Key("instrc.chooser")
	AttrFallback       = attribute.Key("instrc.fallback")
	AttrDuplicate      = attribute.Key("instrc.duplicate")
	AttrReplySource    = attribute.Key("instrc.reply.source")
	AttrReplySent      = attribute.Key("instrc.reply.sent")
	AttrModelCalls     = attribute.Key("instrc.model.calls")
	AttrPlanHash       = attribute.Key("instrc.plan.hash")
	AttrPurpose        = attribute.Key("instrc.model.purpose")
	AttrPrefixTokens   = attribute.Key("instrc.usage.prefix_tokens")
	AttrActionIndex    = attribute.Key("instrc.action.index")
	AttrActionStatus   = attribute.Key("instrc.action.status")
	AttrActionReason   = attribute.Key("instrc.action.reason")
	AttrCountedInput   = attribute.Key("instrc.usage.counted_input_tokens")
	AttrCountedOutput  = attribute.Key("instrc.usage.counted_output_tokens")
	attrGenAISystemOld = attribute.Key("gen_ai.system")
)

// AgentName is the gen_ai.agent.name of the turn spans.
const AgentName = "instrc"

// ModelDescriber is implemented by a Model that can say who serves it and
// which model it asks, for the spans of its calls (gen_ai.provider.name,
// gen_ai.request.model). The models OpenModel returns implement it.
type ModelDescriber interface {
	Describe() (provider, model string)
}

func (e *Engine) tracer() trace.Tracer {
	tp := e.opts.TracerProvider
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	return tp.Tracer(TracerName, trace.WithSchemaURL(semconv.SchemaURL))
}

// startTurnSpan opens the span of one turn: an invoke_agent operation.
func (e *Engine) startTurnSpan(ctx context.Context, in TurnInput) (context.Context, trace.Span) {
	return e.tracer().Start(ctx, "invoke_agent "+AgentName, trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(
			semconv.GenAIOperationNameInvokeAgent,
			semconv.GenAIAgentName(AgentName),
			semconv.GenAIConversationID(in.ConversationID),
			AttrMessageID.String(in.MessageID),
			AttrPlanHash.String(e.planHash),
		))
}

// endTurnSpan records what the turn did and closes its span.
func endTurnSpan(span trace.Span, r *TurnResult, err error) {
	if !span.IsRecording() {
		span.End()
		return
	}
	span.SetAttributes(
		AttrScenario.String(r.Scenario),
		AttrChooser.String(r.Chooser),
		AttrDuplicate.Bool(r.Duplicate),
		AttrReplySent.Bool(r.ReplySent),
		AttrReplySource.String(r.ReplySource),
		AttrModelCalls.Int(len(r.ModelCalls)),
	)
	if r.Fallback != "" {
		span.SetAttributes(AttrFallback.String(r.Fallback))
	}
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
		span.SetAttributes(semconv.ErrorTypeKey.String("not_processed"))
	}
	span.End()
}

// describeModel names the provider and the model for the spans.
func describeModel(m Model) (provider, model string) {
	if d, ok := m.(ModelDescriber); ok {
		provider, model = d.Describe()
	}
	if provider == "" {
		provider = "_OTHER"
	}
	return provider, model
}

// startModelSpan opens the span of one model call: a chat operation.
func (t *turn) startModelSpan(ctx context.Context, req ModelRequest) (context.Context, trace.Span) {
	provider, model := describeModel(t.e.opts.Model)
	name := "chat"
	if model != "" {
		name += " " + model
	}
	out := semconv.GenAIOutputTypeText
	if req.JSON {
		out = semconv.GenAIOutputTypeJSON
	}
	ctx, span := t.e.tracer().Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
		semconv.GenAIOperationNameChat,
		semconv.GenAIProviderNameKey.String(provider),
		attrGenAISystemOld.String(provider),
		semconv.GenAIRequestModel(model),
		semconv.GenAIConversationID(t.in.ConversationID),
		semconv.GenAIRequestTemperature(0),
		out,
		AttrPurpose.String(req.Purpose),
	))
	if t.e.opts.TraceContent && span.IsRecording() {
		span.SetAttributes(
			semconv.GenAISystemInstructionsKey.String(contentJSON([]any{map[string]string{"type": "text", "content": req.System}})),
			semconv.GenAIInputMessagesKey.String(contentJSON([]any{map[string]any{"role": "user",
				"parts": []any{map[string]string{"type": "text", "content": req.User}}}})),
		)
	}
	return ctx, span
}

// endModelSpan records the call's usage and outcome. The input and output
// tokens are the provider's when it reported them, else the runtime's
// count; the runtime's count is recorded too.
func (t *turn) endModelSpan(span trace.Span, call ModelCall, answer string) {
	if !span.IsRecording() {
		span.End()
		return
	}
	in, out := call.PromptTokens, call.CompletionTokens
	if in == 0 {
		in = call.InputTokens
	}
	if out == 0 {
		out = call.OutputTokens
	}
	span.SetAttributes(
		semconv.GenAIUsageInputTokens(in),
		semconv.GenAIUsageOutputTokens(out),
		AttrCountedInput.Int(call.InputTokens),
		AttrCountedOutput.Int(call.OutputTokens),
		AttrPrefixTokens.Int(call.PrefixTokens),
	)
	if t.e.opts.TraceContent && answer != "" {
		span.SetAttributes(semconv.GenAIOutputMessagesKey.String(contentJSON([]any{map[string]any{"role": "assistant",
			"parts": []any{map[string]string{"type": "text", "content": answer}}, "finish_reason": "stop"}})))
	}
	if call.Error != "" {
		span.SetStatus(codes.Error, call.Error)
		span.SetAttributes(semconv.ErrorTypeKey.String(modelErrorType(call.Error)))
	}
	span.End()
}

// modelErrorType is a low-cardinality error.type for a failed call.
func modelErrorType(msg string) string {
	switch {
	case strings.Contains(msg, "did not answer within"), strings.Contains(msg, "deadline exceeded"):
		return "timeout"
	case strings.Contains(msg, "-byte cap"):
		return "answer_too_large"
	case strings.Contains(msg, "panicked"):
		return "client_panic"
	}
	return "_OTHER"
}

// tracedStep runs action i in its own span: an execute_tool operation
// named after the action's kind (or its custom action's name).
func (t *turn) tracedStep(ctx context.Context, i int, a ir.Action, closed bool) (ActionOutcome, error) {
	tool := a.Kind
	if a.Kind == ir.KindCall && a.ActionName != "" {
		tool = a.ActionName
	}
	ctx, span := t.e.tracer().Start(ctx, "execute_tool "+tool, trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(
		semconv.GenAIOperationNameExecuteTool,
		semconv.GenAIToolName(tool),
		semconv.GenAIToolTypeKey.String("function"),
		semconv.GenAIConversationID(t.in.ConversationID),
		AttrScenario.String(t.res.Scenario),
		AttrActionIndex.Int(i),
	))
	out, err := t.step(ctx, i, a, closed)
	if span.IsRecording() {
		span.SetAttributes(AttrActionStatus.String(out.Status))
		if out.Reason != "" && out.Status != OK {
			span.SetAttributes(AttrActionReason.String(out.Reason))
		}
		switch {
		case err != nil:
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
			span.SetAttributes(semconv.ErrorTypeKey.String("backend"))
		case out.Status == Failed:
			span.SetStatus(codes.Error, out.Reason)
			et := "failed"
			if out.Response.Answered() {
				et = strconv.Itoa(out.Response.StatusCode)
			}
			span.SetAttributes(semconv.ErrorTypeKey.String(et))
		}
	}
	span.End()
	return out, err
}

func contentJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
