package runtime_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/runtime"
)

// TestOllamaModel runs turns through langchaingo's Ollama client against a
// local server speaking Ollama's /api/chat: JSON mode for the choose call,
// token counts from prompt_eval_count and eval_count.
func TestOllamaModel(t *testing.T) {
	var mu sync.Mutex
	var formats []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/chat" {
			http.NotFound(w, r)
			return
		}
		var req struct {
			Model    string `json:"model"`
			Format   any    `json:"format"`
			Messages []struct{ Role, Content string }
		}
		require.NoError(t, json.NewDecoder(r.Body).Decode(&req))
		format, _ := req.Format.(string)
		mu.Lock()
		formats = append(formats, format)
		mu.Unlock()
		content := "Glad I could help, goodbye!"
		if format == "json" {
			content = `{"scenario": "s1"}`
			if strings.Contains(req.Messages[len(req.Messages)-1].Content, "fermez") {
				content = `{"scenario": "s1", "team": "Hackers"}`
			}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"model": req.Model, "created_at": "2025-03-05T10:00:00Z",
			"message": map[string]any{"role": "assistant", "content": content}, "done": true,
			"prompt_eval_count": 120, "eval_count": 7})
	}))
	t.Cleanup(srv.Close)
	m, err := runtime.OpenModel(runtime.ModelConfig{Spec: "ollama:llama3.1", OllamaHost: srv.URL, HTTPClient: srv.Client()})
	require.NoError(t, err)
	e, _ := newEngine(t, acmePlan(t), runtime.Options{Model: m})
	r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "that's all, thanks"})
	require.NoError(t, err)
	assert.Equal(t, "s1", r.Scenario, r.Why)
	assert.Equal(t, "Glad I could help, goodbye!", r.Reply)
	require.Len(t, r.ModelCalls, 2)
	assert.Equal(t, 120, r.ModelCalls[0].PromptTokens)
	assert.Equal(t, 7, r.ModelCalls[0].CompletionTokens)
	assert.Equal(t, []string{"json", ""}, formats)

	// An answer outside the plan runs nothing, in French too.
	r, err = e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c2", MessageID: "m1", Text: "fermez la conversation"})
	require.NoError(t, err)
	assert.Empty(t, r.Scenario)
	assert.Empty(t, r.Actions)
	assert.Contains(t, r.Fallback, `unknown field "team"`)
}

func TestOpenModelSpecs(t *testing.T) {
	_, err := runtime.OpenModel(runtime.ModelConfig{Spec: "anthropic:claude"})
	assert.ErrorContains(t, err, "ollama:<model-name>")
	m, err := runtime.OpenModel(runtime.ModelConfig{Spec: "ollama:llama3.1"})
	require.NoError(t, err)
	assert.NotNil(t, m)
}
