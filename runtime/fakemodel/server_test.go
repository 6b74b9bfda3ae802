package fakemodel_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/fakemodel"
)

func acmePlan(t *testing.T) *ir.Plan {
	t.Helper()
	f, err := os.Open("../testdata/acme.plan.json")
	require.NoError(t, err)
	defer f.Close()
	p, err := ir.Read(f)
	require.NoError(t, err)
	return p
}

// serve starts the handler over m and opens the real langchaingo OpenAI
// client against it, as `instrc --model openai:…` does with OPENAI_BASE_URL.
func serve(t *testing.T, m runtime.Model) runtime.Model {
	t.Helper()
	srv := httptest.NewServer(fakemodel.Handler(m))
	t.Cleanup(srv.Close)
	model, err := runtime.OpenModel(runtime.ModelConfig{Spec: "openai:scripted", BaseURL: srv.URL + "/v1"})
	require.NoError(t, err)
	return model
}

// TestHandlerTurn runs a whole turn through HTTP: the choose call arrives in
// JSON mode with the contact's new message quoted, the reply call without,
// and the engine acts on the scripted choice.
func TestHandlerTurn(t *testing.T) {
	ctx := context.Background()
	script := fakemodel.New().Choose(`{"scenario": "s4", "fields": {"Email": "ann@example.com"}}`).Reply("Thanks, noted.")
	b := runtime.NewMemoryBackend()
	p := acmePlan(t)
	p.Scenarios[3].Reply = &ir.Reply{Guidance: "confirm the address"}
	require.NoError(t, runtime.SeedWorkspace(ctx, b, p.Workspace))
	e, err := runtime.New(p, runtime.Options{Backend: b, Model: serve(t, script), ModelSureMatch: 2, ModelSureNone: -1})
	require.NoError(t, err)

	r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1",
		Text:    "my email is ann@example.com",
		History: []runtime.Message{{Role: runtime.RoleContact, Text: "hello"}, {Role: runtime.RoleAgent, Text: "Hi! How can I help?"}}})
	require.NoError(t, err)
	assert.Equal(t, "s4", r.Scenario)
	assert.Equal(t, "Thanks, noted.", r.Reply)
	ct, err := b.Contact(ctx, "p1")
	require.NoError(t, err)
	assert.Equal(t, "ann@example.com", ct.Fields["Email"])

	reqs := script.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, runtime.PurposeChoose, reqs[0].Purpose)
	assert.True(t, reqs[0].JSON)
	assert.Equal(t, runtime.PurposeReply, reqs[1].Purpose)
	assert.NotEmpty(t, reqs[0].System)
	assert.Equal(t, "my email is ann@example.com", fakemodel.NewMessage(reqs[0]), "the new message, not the history")
	assert.Contains(t, reqs[0].User, "contact: hello")
	require.Len(t, r.ModelCalls, 2)
	assert.Equal(t, len(strings.Fields(reqs[0].System))+len(strings.Fields(reqs[0].User)), r.ModelCalls[0].PromptTokens)
}

// TestHandlerFailures: a failing model API is an error the engine handles
// (no action runs, the contact is handed over or told), never a panic.
func TestHandlerFailures(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		err  error
	}{
		{"overloaded", &fakemodel.StatusError{Status: http.StatusServiceUnavailable}},
		{"broken", fakemodel.ErrExhausted},
	} {
		t.Run(tt.name, func(t *testing.T) {
			script := fakemodel.New().On(runtime.PurposeChoose, fakemodel.Answer{Err: tt.err})
			script.Default = func(context.Context, runtime.ModelRequest) (string, error) { return "", tt.err }
			e, err := runtime.New(acmePlan(t), runtime.Options{Backend: runtime.NewMemoryBackend(), Model: serve(t, script), ModelSureMatch: 2, ModelSureNone: -1})
			require.NoError(t, err)
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "I want a refund"})
			require.NoError(t, err)
			require.NotEmpty(t, r.ModelCalls)
			assert.NotEmpty(t, r.ModelCalls[0].Error)
			for _, a := range r.Actions {
				assert.NotEqual(t, "update_tags", a.Action.Kind, "no scenario action runs on a failed choose call")
			}
		})
	}
}

// TestHandlerProtocol: wrong paths, methods and bodies get OpenAI-style
// error bodies with the right status.
func TestHandlerProtocol(t *testing.T) {
	srv := httptest.NewServer(fakemodel.Handler(fakemodel.New().Reply("hi")))
	defer srv.Close()
	for _, tt := range []struct {
		method, path, body string
		status             int
	}{
		{http.MethodPost, "/v1/embeddings", `{}`, http.StatusNotFound},
		{http.MethodGet, "/v1/chat/completions", ``, http.StatusMethodNotAllowed},
		{http.MethodPost, "/v1/chat/completions", `{"messages": [`, http.StatusBadRequest},
		{http.MethodPost, "/v1/chat/completions", `{"model": "m", "messages": [{"role": "user", "content": "hello"}]}`, http.StatusOK},
	} {
		req, err := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var body map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		resp.Body.Close()
		assert.Equal(t, tt.status, resp.StatusCode, "%s %s", tt.method, tt.path)
		if tt.status != http.StatusOK {
			assert.Contains(t, body, "error")
		} else {
			assert.Equal(t, "hi", body["choices"].([]any)[0].(map[string]any)["message"].(map[string]any)["content"])
		}
	}
}

func TestNewMessage(t *testing.T) {
	for _, tt := range []struct{ user, want string }{
		{"New message from the contact:\n<<<\nhello\n>>>", "hello"},
		{"Conversation so far, oldest first:\ncontact: hi\n\nNew message from the contact:\n<<<\ntwo\nlines\n>>>", "two\nlines"},
		{"no quote at all", "no quote at all"},
	} {
		assert.Equal(t, tt.want, fakemodel.NewMessage(runtime.ModelRequest{User: tt.user}))
	}
}
