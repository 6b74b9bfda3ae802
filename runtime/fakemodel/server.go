package fakemodel

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/instrc/instrc/runtime"
)

// StatusError makes the server answer with an HTTP error status instead of
// a completion: return it from a scripted answer or a Default function to
// stand in for an overloaded or failing model API.
type StatusError struct{ Status int }

func (e *StatusError) Error() string { return http.StatusText(e.Status) }

// chatRequest is the part of a chat-completions request the server reads.
type chatRequest struct {
	Model          string `json:"model"`
	ResponseFormat *struct {
		Type string `json:"type"`
	} `json:"response_format"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	Stream bool `json:"stream"`
}

// Handler serves the OpenAI chat-completions protocol
// (POST /v1/chat/completions) from a runtime.Model, so that a program that
// only talks to a model over HTTP — the instrc CLI with OPENAI_BASE_URL, a
// chat backend, langchaingo's own client — can be tested against a script.
//
// A request in JSON mode (response_format json_object or json_schema) is a
// runtime.PurposeChoose call, any other a runtime.PurposeReply call; system
// messages make the request's System text and the others its User text.
// Usage is reported from the model's token counts. A *StatusError from the
// model becomes that HTTP status, any other error a 500, both with an
// OpenAI-style error body.
func Handler(m runtime.Model) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := strings.TrimSuffix(r.URL.Path, "/")
		if path != "/v1/chat/completions" && path != "/chat/completions" {
			writeError(w, http.StatusNotFound, "no such endpoint: "+r.URL.Path)
			return
		}
		if r.Method != http.MethodPost {
			writeError(w, http.StatusMethodNotAllowed, "use POST")
			return
		}
		var req chatRequest
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20)).Decode(&req); err != nil {
			writeError(w, http.StatusBadRequest, "bad request body: "+err.Error())
			return
		}
		mr := runtime.ModelRequest{Purpose: runtime.PurposeReply}
		if req.ResponseFormat != nil && (req.ResponseFormat.Type == "json_object" || req.ResponseFormat.Type == "json_schema") {
			mr.Purpose, mr.JSON = runtime.PurposeChoose, true
		}
		var system, user []string
		for _, m := range req.Messages {
			if m.Role == "system" {
				system = append(system, m.Content)
			} else {
				user = append(user, m.Content)
			}
		}
		mr.System, mr.User = strings.Join(system, "\n\n"), strings.Join(user, "\n\n")
		resp, err := m.Generate(r.Context(), mr)
		if err != nil {
			var se *StatusError
			switch {
			case errors.As(err, &se):
				writeError(w, se.Status, err.Error())
			case errors.Is(err, context.Canceled):
				// The client went away; nobody reads the answer.
			default:
				writeError(w, http.StatusInternalServerError, err.Error())
			}
			return
		}
		if req.Stream {
			writeStream(w, req.Model, resp)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": req.Model,
			"choices": []any{map[string]any{
				"index":         0,
				"message":       map[string]any{"role": "assistant", "content": resp.Text},
				"finish_reason": "stop",
			}},
			"usage": map[string]any{
				"prompt_tokens":     resp.PromptTokens,
				"completion_tokens": resp.CompletionTokens,
				"total_tokens":      resp.PromptTokens + resp.CompletionTokens,
			},
		})
	})
}

// writeStream answers a streaming request with server-sent events, one
// word at a time, then the usage and [DONE].
func writeStream(w http.ResponseWriter, model string, resp runtime.ModelResponse) {
	w.Header().Set("Content-Type", "text/event-stream")
	fl, _ := w.(http.Flusher)
	send := func(v any) {
		b, _ := json.Marshal(v)
		_, _ = w.Write([]byte("data: " + string(b) + "\n\n"))
		if fl != nil {
			fl.Flush()
		}
	}
	text := resp.Text
	for text != "" {
		i := strings.IndexByte(text[min(1, len(text)):], ' ') + 1
		if i <= 0 {
			i = len(text)
		}
		send(map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model,
			"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": text[:i]}}}})
		text = text[i:]
	}
	send(map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model,
		"choices": []any{map[string]any{"index": 0, "delta": map[string]any{}, "finish_reason": "stop"}},
		"usage":   map[string]any{"prompt_tokens": resp.PromptTokens, "completion_tokens": resp.CompletionTokens, "total_tokens": resp.PromptTokens + resp.CompletionTokens}})
	_, _ = w.Write([]byte("data: [DONE]\n\n"))
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": "fakemodel_error"}})
}

// NewMessage returns the contact's new message from a request's User text:
// the runtime quotes it between "<<<" and ">>>" after the history, so a
// script can answer by what the contact just said rather than by anything
// said earlier. It returns the whole User text when there is no such quote.
func NewMessage(req runtime.ModelRequest) string {
	u := req.User
	i := strings.LastIndex(u, "<<<\n")
	if i < 0 {
		return u
	}
	u = u[i+len("<<<\n"):]
	if j := strings.LastIndex(u, "\n>>>"); j >= 0 {
		u = u[:j]
	}
	return u
}
