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
	User    string
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
	ctx, cancel := context.WithTimeout(ctx, t.e.opts.ModelTimeout)
	defer cancel()
	start := time.Now()
	resp, err := safeGenerate(ctx, t.e.opts.Model, req)
	if err == nil && len(resp.Text) > MaxModelAnswer {
		// Capped before anything parses or keeps it.
		resp.Text, err = "", fmt.Errorf("the model's answer is %d bytes, over the %d-byte cap", len(resp.Text), MaxModelAnswer)
	}
	call := ModelCall{Purpose: req.Purpose, Latency: time.Since(start), PromptTokens: resp.PromptTokens, CompletionTokens: resp.CompletionTokens}
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("the model did not answer within %s: %w", t.e.opts.ModelTimeout, err)
		}
		call.Error = err.Error()
	}
	t.res.ModelCalls = append(t.res.ModelCalls, call)
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
