package runtime

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Model is the runtime's own view of a language model: one request, one
// text answer with token counts. Keeping it this small lets the engine be
// tested with a scripted fake and keeps any one model library replaceable;
// NewLangChainModel adapts every langchaingo model to it.
type Model interface {
	Generate(ctx context.Context, req ModelRequest) (ModelResponse, error)
}

// Model call purposes.
const (
	PurposeChoose = "choose"
	PurposeReply  = "reply"
)

// ModelRequest is one call: a system prompt and one user message.
type ModelRequest struct {
	Purpose string // PurposeChoose or PurposeReply
	System  string
	// Prefix is the length in bytes of System's fixed beginning: the
	// rules and the plan's part, byte-identical on every turn of a plan
	// for a purpose, which providers that cache prompt prefixes reuse.
	// What follows it is this turn's.
	Prefix int
	User   string
	// JSON asks for a JSON object answer (OpenAI's JSON mode).
	JSON bool
	// Stream, when set, receives the answer's text as the model writes it,
	// piece by piece; the response still holds the whole text. A model
	// that cannot stream may ignore it.
	Stream func(chunk string)
	// Schema, when set with JSON, is the answer's JSON Schema: a model
	// that supports structured output is held to it, others use JSON
	// mode. The answer is checked against the plan either way.
	Schema map[string]any
}

// ModelResponse is the model's text and the tokens it reported.
type ModelResponse struct {
	Text             string
	PromptTokens     int
	CompletionTokens int
}

// MaxModelAnswer caps a model's answer, in bytes: a longer one is an error
// of the call, and nothing of it is parsed or stored.
const MaxModelAnswer = 32 << 10

// MaxModelValue caps each value a choose answer gives (a field, an input),
// in characters: a longer one rejects the answer.
const MaxModelValue = 1000

// callModel runs one model call with the engine's timeout and records it in
// the turn result.
func (t *turn) callModel(ctx context.Context, req ModelRequest) (ModelResponse, error) {
	ctx, span := t.startModelSpan(ctx, req)
	ctx, cancel := context.WithTimeout(ctx, t.e.opts.ModelTimeout)
	defer cancel()
	// The prompt is counted while the model works on it.
	var in, prefix int
	counted := make(chan struct{})
	go func() {
		defer close(counted)
		in, prefix = t.e.requestTokens(req)
	}()
	start := time.Now()
	resp, err := safeGenerate(ctx, t.e.opts.Model, req)
	latency := time.Since(start)
	if err == nil && len(resp.Text) > MaxModelAnswer {
		// Capped before anything parses or keeps it.
		resp.Text, err = "", fmt.Errorf("the model's answer is %d bytes, over the %d-byte cap", len(resp.Text), MaxModelAnswer)
	}
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded)) {
		err = fmt.Errorf("the model did not answer within %s: %w", t.e.opts.ModelTimeout, err)
	}
	// Counting is not the model's time: it is not held to the timeout.
	<-counted
	call := ModelCall{Purpose: req.Purpose, Latency: latency, PromptTokens: resp.PromptTokens, CompletionTokens: resp.CompletionTokens,
		InputTokens: in, PrefixTokens: prefix, OutputTokens: CountTokens(resp.Text)}
	if err != nil {
		call.Error = err.Error()
	}
	t.res.ModelCalls = append(t.res.ModelCalls, call)
	t.endModelSpan(span, call, resp.Text)
	return resp, err
}

// safeGenerate turns a panicking model client into an error: a model is
// third-party code talking to a remote service, and a turn must not crash
// the host because of it.
func safeGenerate(ctx context.Context, m Model, req ModelRequest) (resp ModelResponse, err error) {
	defer func() {
		if r := recover(); r != nil {
			resp, err = ModelResponse{}, fmt.Errorf("the model client panicked: %v", r)
		}
	}()
	return m.Generate(ctx, req)
}
