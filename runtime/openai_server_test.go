package runtime_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/runtime"
)

// chatRequest is the part of an OpenAI chat-completions request the fake
// server reads.
type chatRequest struct {
	Model          string  `json:"model"`
	Temperature    float64 `json:"temperature"`
	ResponseFormat *struct {
		Type       string `json:"type"`
		JSONSchema *struct {
			Name   string         `json:"name"`
			Schema map[string]any `json:"schema"`
		} `json:"json_schema"`
	} `json:"response_format"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	Tools  []json.RawMessage `json:"tools"`
	Stream bool              `json:"stream"`
}

// isChoose tells the choose call from the reply call (JSON mode).
func (r chatRequest) isChoose() bool {
	return r.ResponseFormat != nil && (r.ResponseFormat.Type == "json_object" || r.ResponseFormat.Type == "json_schema")
}

func (r chatRequest) words() int {
	n := 0
	for _, m := range r.Messages {
		n += len(strings.Fields(m.Content))
	}
	return n
}

// fakeAnswer is what the fake server sends back for one request.
type fakeAnswer struct {
	Status    int           // HTTP status; 0 means 200
	Content   string        // the assistant message
	ToolCalls []fakeToolUse // tool calls in the answer
	Delay     time.Duration // wait before answering
	Raw       string        // a raw body instead of a completion
}

type fakeToolUse struct{ Name, Args string }

// openAIServer is an httptest server speaking the chat-completions protocol.
// Usage is reported as word counts, so that token figures are comparable
// between runs without a tokenizer.
type openAIServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []chatRequest
}

func newOpenAIServer(t testing.TB, answer func(chatRequest) fakeAnswer) *openAIServer {
	s := &openAIServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		var req chatRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.requests = append(s.requests, req)
		s.mu.Unlock()
		a := answer(req)
		if a.Delay > 0 {
			select {
			case <-time.After(a.Delay):
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		if a.Status != 0 && a.Status != http.StatusOK {
			w.WriteHeader(a.Status)
			_, _ = w.Write([]byte(`{"error": {"message": "upstream trouble", "type": "server_error"}}`))
			return
		}
		if a.Raw != "" {
			_, _ = w.Write([]byte(a.Raw))
			return
		}
		if req.Stream {
			// Server-sent events, a few characters at a time, as OpenAI
			// streams.
			w.Header().Set("Content-Type", "text/event-stream")
			fl, _ := w.(http.Flusher)
			for i := 0; i < len(a.Content); i += 7 {
				piece := a.Content[i:min(i+7, len(a.Content))]
				b, _ := json.Marshal(map[string]any{"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": req.Model,
					"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": piece}}}})
				_, _ = w.Write([]byte("data: " + string(b) + "\n\n"))
				if fl != nil {
					fl.Flush()
				}
			}
			prompt, completion := req.words(), len(strings.Fields(a.Content))
			b, _ := json.Marshal(map[string]any{"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": req.Model,
				"choices": []any{map[string]any{"index": 0, "delta": map[string]any{}, "finish_reason": "stop"}},
				"usage":   map[string]any{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}})
			_, _ = w.Write([]byte("data: " + string(b) + "\n\ndata: [DONE]\n\n"))
			return
		}
		msg := map[string]any{"role": "assistant", "content": a.Content}
		finish := "stop"
		if len(a.ToolCalls) > 0 {
			var calls []map[string]any
			for i, tc := range a.ToolCalls {
				calls = append(calls, map[string]any{"id": "call_" + string(rune('a'+i)), "type": "function",
					"function": map[string]any{"name": tc.Name, "arguments": tc.Args}})
			}
			msg["tool_calls"] = calls
			finish = "tool_calls"
		}
		prompt, completion := req.words(), len(strings.Fields(a.Content))
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": finish}},
			"usage":   map[string]any{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
		})
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *openAIServer) Requests() []chatRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]chatRequest(nil), s.requests...)
}

// model returns the real langchaingo OpenAI client pointed at the server.
func (s *openAIServer) model(t testing.TB) runtime.Model {
	m, err := runtime.OpenModel(runtime.ModelConfig{Spec: "openai:test-model", BaseURL: s.URL + "/v1", APIKey: "test-key", HTTPClient: s.Client()})
	require.NoError(t, err)
	require.NotNil(t, m)
	return m
}
