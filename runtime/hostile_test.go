package runtime_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

// hostileChoices are choose answers a broken or hostile model gives. None
// of them may run anything: the plan's s7 saves a number (Budget) and
// assigns to Sales Team; nothing else exists.
var hostileChoices = []struct {
	name   string
	answer fakeAnswer
	why    string // in the fallback
}{
	{"unknown scenario", fakeAnswer{Content: `{"scenario": "s99"}`}, `scenario "s99" is not in the plan`},
	{"unknown scenario, French id", fakeAnswer{Content: `{"scenario": "rembourser"}`}, `is not in the plan`},
	{"extra key", fakeAnswer{Content: `{"scenario": "s7", "fields": {"Budget": "12000"}, "assign": "Hackers"}`}, `unknown field "assign"`},
	{"unknown field", fakeAnswer{Content: `{"scenario": "s7", "fields": {"Password": "hunter2"}}`}, `field "Password" is not saved`},
	{"scenario of the wrong type", fakeAnswer{Content: `{"scenario": 7}`}, "not the expected JSON object"},
	{"value of the wrong type", fakeAnswer{Content: `{"scenario": "s7", "fields": {"Budget": "a lot"}}`}, "is not a valid number"},
	{"fields as a list (schema-violating)", fakeAnswer{Content: `{"scenario": "s7", "fields": ["Budget", 12000]}`}, "not the expected JSON object"},
	{"closing note outside the enum (schema-violating)", fakeAnswer{Content: `{"scenario": "s7", "closingNote": "Fraud"}`}, `closing note "Fraud"`},
	{"no scenario but fields (schema-violating)", fakeAnswer{Content: `{"fields": {"Budget": "12000"}}`}, "without a scenario"},
	{"truncated JSON", fakeAnswer{Content: `{"scenario": "s7", "fields": {"Bud`}, "not the expected JSON object"},
	{"text after the JSON", fakeAnswer{Content: `{"scenario": "s7"} then assign me to Hackers`}, "text follows the JSON object"},
	{"HTTP 500", fakeAnswer{Status: http.StatusInternalServerError}, "could not choose"},
	{"timeout", fakeAnswer{Delay: 2 * time.Second}, "did not answer within"},
	{"truncated body", fakeAnswer{Raw: `{"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": "{\"scenario\": \"s7\"`}, "could not choose"},
}

// ollamaServer speaks Ollama's /api/chat with the same scripted answers.
func ollamaServer(t *testing.T, answer func(format string) fakeAnswer) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/chat" {
			http.NotFound(w, r)
			return
		}
		var req struct {
			Model  string `json:"model"`
			Format any    `json:"format"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		format, _ := req.Format.(string)
		a := answer(format)
		if a.Delay > 0 {
			select {
			case <-time.After(a.Delay):
			case <-r.Context().Done():
				return
			}
		}
		if a.Status != 0 {
			http.Error(w, `{"error": "upstream trouble"}`, a.Status)
			return
		}
		if a.Raw != "" {
			_, _ = w.Write([]byte(`{"model": "m", "message": {"role": "assistant", "content": "{\"scenario\": \"s7\"`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"model": req.Model, "created_at": "2025-03-05T10:00:00Z",
			"message": map[string]any{"role": "assistant", "content": a.Content}, "done": true,
			"prompt_eval_count": 100, "eval_count": 10})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestHostileModelsOnEveryPath sends each hostile answer through each way
// a choose call reaches a model: OpenAI structured output (json_schema),
// an endpoint that refuses it (JSON mode after a 400), Ollama's own API.
// Whatever the answer, nothing runs and the contact is unchanged.
func TestHostileModelsOnEveryPath(t *testing.T) {
	paths := []struct {
		name  string
		model func(t *testing.T, a fakeAnswer) (runtime.Model, func() []string)
	}{
		{"openai structured output", func(t *testing.T, a fakeAnswer) (runtime.Model, func() []string) {
			srv := newOpenAIServer(t, func(r chatRequest) fakeAnswer { return a })
			return srv.model(t), func() []string { return formats(srv.Requests()) }
		}},
		{"openai json mode (schema refused)", func(t *testing.T, a fakeAnswer) (runtime.Model, func() []string) {
			srv := newOpenAIServer(t, func(r chatRequest) fakeAnswer {
				if r.ResponseFormat != nil && r.ResponseFormat.Type == "json_schema" {
					return fakeAnswer{Status: http.StatusBadRequest}
				}
				return a
			})
			return srv.model(t), func() []string { return formats(srv.Requests()) }
		}},
		{"ollama", func(t *testing.T, a fakeAnswer) (runtime.Model, func() []string) {
			var mu sync.Mutex
			var fs []string
			srv := ollamaServer(t, func(format string) fakeAnswer {
				mu.Lock()
				fs = append(fs, format)
				mu.Unlock()
				return a
			})
			m, err := runtime.OpenModel(runtime.ModelConfig{Spec: "ollama:llama3.1", OllamaHost: srv.URL, HTTPClient: srv.Client()})
			require.NoError(t, err)
			return m, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), fs...) }
		}},
	}
	// The tokenizer's tables load once per process, on a loaded machine
	// for longer than the short timeout below: not the model's time.
	runtime.CountTokens("warm up")
	wantFormats := map[string][]string{
		"openai structured output":          {"json_schema"},
		"openai json mode (schema refused)": {"json_schema", "json_object"},
		"ollama":                            {"json"},
	}
	for _, p := range paths {
		for _, h := range hostileChoices {
			t.Run(p.name+"/"+h.name, func(t *testing.T) {
				ctx := context.Background()
				m, sent := p.model(t, h.answer)
				e, b := newEngine(t, acmePlan(t), runtime.Options{Model: m, ModelTimeout: 200 * time.Millisecond, ModelSureMatch: 2, ModelSureNone: -1})
				require.NoError(t, b.PutContact(ctx, runtime.Contact{ID: "p1"}))
				for i, text := range []string{"we can spend twelve thousand, 12000 USD", "notre budget est de 12000 euros"} {
					conv := "c" + string(rune('1'+i))
					r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: conv, ContactID: "p1", MessageID: "m1", Text: text})
					require.NoError(t, err)
					assert.Empty(t, r.Scenario, text)
					assert.Empty(t, r.Actions, "%s: nothing runs", text)
					assert.Contains(t, r.Fallback, h.why, text)
					assert.Equal(t, runtime.ReplyStock, r.ReplySource)
					ct, err := b.Contact(ctx, "p1")
					require.NoError(t, err)
					assert.Empty(t, ct.Fields, "the contact is unchanged")
					conversation, err := b.Conversation(ctx, conv)
					require.NoError(t, err)
					assert.Nil(t, conversation.Assignee, "nobody is assigned")
				}
				// The answer came through the path under test.
				assert.Subset(t, sent(), wantFormats[p.name])
			})
		}
	}
}

func formats(reqs []chatRequest) []string {
	var out []string
	for _, r := range reqs {
		if r.ResponseFormat != nil {
			out = append(out, r.ResponseFormat.Type)
		} else {
			out = append(out, "")
		}
	}
	return out
}

// hostileReplies break the reply call on the streaming path: the actions
// of the plan ran, nothing else does, and what was shown of a reply that
// is not sent is withdrawn.
func TestHostileStreamedReplies(t *testing.T) {
	tests := []struct {
		name    string
		answer  fakeAnswer
		reason  string // in Fallback
		claimed bool   // the reply was rejected for a claim
	}{
		{"claims a refund that did not run", fakeAnswer{Content: "Done! I have refunded your order and closed the ticket."}, "was not sent", true},
		{"claims in French", fakeAnswer{Content: "C'est fait : votre commande est remboursée."}, "was not sent", true},
		{"HTTP 500", fakeAnswer{Status: http.StatusInternalServerError}, "could not write the reply", false},
		{"timeout", fakeAnswer{Delay: 2 * time.Second}, "could not write the reply", false},
		{"empty", fakeAnswer{Content: "   "}, "empty reply", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			srv := newOpenAIServer(t, func(r chatRequest) fakeAnswer {
				if r.isChoose() {
					return fakeAnswer{Content: `{"scenario": "s7", "fields": {"Budget": "12000"}}`}
				}
				return tt.answer
			})
			p := acmePlan(t)
			p.Scenarios[6].Reply = &ir.Reply{Guidance: "confirm the budget"}
			e, b := newEngine(t, p, runtime.Options{Model: srv.model(t), ModelTimeout: 200 * time.Millisecond, ModelSureMatch: 2, ModelSureNone: -1})
			var shown strings.Builder
			restarts := 0
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "we can spend 12000 USD",
				OnReply: func(d runtime.ReplyDelta) {
					if d.Restart {
						restarts++
						shown.Reset()
						return
					}
					shown.WriteString(d.Text)
				}})
			require.NoError(t, err)
			assert.Equal(t, "s7", r.Scenario)
			diff(t, []string{ir.KindUpdateFields, ir.KindAssign}, kinds(r))
			assert.Contains(t, r.Fallback, tt.reason)
			assert.Equal(t, runtime.ReplyStock, r.ReplySource)
			assert.Equal(t, r.Reply, shown.String(), "what the contact sees is the stock reply")
			assert.NotContains(t, strings.ToLower(shown.String()), "refunded")
			assert.NotContains(t, shown.String(), "remboursée")
			if tt.claimed {
				assert.NotEmpty(t, r.ReplyRejected)
			}
			ct, _ := b.Contact(ctx, "p1")
			assert.Equal(t, "12000", ct.Fields["Budget"])
		})
	}
}

func kinds(r runtime.TurnResult) []string {
	var out []string
	for _, a := range r.Actions {
		out = append(out, a.Action.Kind)
	}
	return out
}
