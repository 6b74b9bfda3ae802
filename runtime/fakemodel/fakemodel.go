// Package fakemodel is a scripted runtime.Model for tests: it answers each
// call from a script (by purpose, or by a function of the request), records
// every request, and is safe for concurrent use. langchaingo's own fake only
// cycles strings, without errors, usage or concurrency safety.
package fakemodel

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/instrc/instrc/runtime"
)

// Answer is one scripted answer: text, or an error returned instead.
type Answer struct {
	Text string
	Err  error
}

// Model answers calls in order per purpose (runtime.PurposeChoose,
// runtime.PurposeReply). When a purpose's script is used up, Default answers
// (if set), else the call fails.
type Model struct {
	mu       sync.Mutex
	scripts  map[string][]Answer
	requests []runtime.ModelRequest
	// Default, when set, answers every call the scripts do not.
	Default func(ctx context.Context, req runtime.ModelRequest) (string, error)
}

var _ runtime.Model = (*Model)(nil)

// ErrExhausted is returned when no scripted answer is left.
var ErrExhausted = errors.New("fakemodel: no scripted answer left")

// New returns a model with no script.
func New() *Model { return &Model{scripts: map[string][]Answer{}} }

// On appends answers for a purpose and returns the model, for chaining.
func (m *Model) On(purpose string, answers ...Answer) *Model {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.scripts[purpose] = append(m.scripts[purpose], answers...)
	return m
}

// Choose appends text answers to the choose call.
func (m *Model) Choose(texts ...string) *Model {
	for _, t := range texts {
		m.On(runtime.PurposeChoose, Answer{Text: t})
	}
	return m
}

// Reply appends text answers to the reply call.
func (m *Model) Reply(texts ...string) *Model {
	for _, t := range texts {
		m.On(runtime.PurposeReply, Answer{Text: t})
	}
	return m
}

// Generate implements runtime.Model. Token counts are the number of words
// of the prompt and of the answer.
func (m *Model) Generate(ctx context.Context, req runtime.ModelRequest) (runtime.ModelResponse, error) {
	m.mu.Lock()
	m.requests = append(m.requests, req)
	var a Answer
	var ok bool
	if s := m.scripts[req.Purpose]; len(s) > 0 {
		a, ok = s[0], true
		m.scripts[req.Purpose] = s[1:]
	}
	def := m.Default
	m.mu.Unlock()
	if !ok {
		if def == nil {
			return runtime.ModelResponse{}, ErrExhausted
		}
		a.Text, a.Err = def(ctx, req)
	}
	if a.Err != nil {
		return runtime.ModelResponse{}, a.Err
	}
	return runtime.ModelResponse{
		Text:             a.Text,
		PromptTokens:     len(strings.Fields(req.System)) + len(strings.Fields(req.User)),
		CompletionTokens: len(strings.Fields(a.Text)),
	}, nil
}

// Requests returns the requests received so far.
func (m *Model) Requests() []runtime.ModelRequest {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]runtime.ModelRequest(nil), m.requests...)
}

// Describe implements runtime.ModelDescriber, for the spans of its calls.
func (m *Model) Describe() (provider, model string) { return "fakemodel", "scripted" }
