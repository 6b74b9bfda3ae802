package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/ollama"
	"github.com/tmc/langchaingo/llms/openai"
)

// LangChainModel adapts any langchaingo model to Model. Calls are made at
// temperature 0; the choose call uses JSON mode.
type LangChainModel struct {
	llm  llms.Model
	opts []llms.CallOption
	// withSchema returns the model held to a JSON Schema answer
	// (structured output); nil when the provider has none.
	withSchema func(schema map[string]any) (llms.Model, error)
	// noSchema is set once the endpoint refused structured output: the
	// choose call uses JSON mode from then on.
	noSchema atomic.Bool
	// provider and model name the model in traces (Describe).
	provider, model string
}

// Describe implements ModelDescriber: the provider (gen_ai.provider.name:
// "openai", "ollama") and the model's name, when OpenModel made it.
func (m *LangChainModel) Describe() (provider, model string) { return m.provider, m.model }

// NewLangChainModel wraps a langchaingo model; opts are added to every call.
func NewLangChainModel(llm llms.Model, opts ...llms.CallOption) *LangChainModel {
	return &LangChainModel{llm: llm, opts: opts}
}

// Generate implements Model. Tool calls in the answer are ignored: the
// engine offers the model no tools, and only the plan decides what runs.
func (m *LangChainModel) Generate(ctx context.Context, req ModelRequest) (ModelResponse, error) {
	msgs := []llms.MessageContent{
		llms.TextParts(llms.ChatMessageTypeSystem, req.System),
		llms.TextParts(llms.ChatMessageTypeHuman, req.User),
	}
	opts := append([]llms.CallOption{llms.WithTemperature(0)}, m.opts...)
	if req.JSON && req.Schema != nil && m.withSchema != nil && !m.noSchema.Load() {
		llm, err := m.withSchema(req.Schema)
		if err != nil {
			return ModelResponse{}, err
		}
		resp, err := generate(ctx, llm, msgs, opts)
		if err == nil || !refusesSchema(err) {
			return resp, err
		}
		// The endpoint does not take structured output: JSON mode, now
		// and for the next calls.
		m.noSchema.Store(true)
	}
	if req.JSON {
		opts = append(opts, llms.WithJSONMode())
	}
	if req.Stream != nil {
		opts = append(opts, llms.WithStreamingFunc(func(_ context.Context, chunk []byte) error {
			req.Stream(string(chunk))
			return nil
		}))
	}
	return generate(ctx, m.llm, msgs, opts)
}

// refusesSchema tells an endpoint that refuses a json_schema response
// format (HTTP 400 or 422) from other failures.
func refusesSchema(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "status code: 400") || strings.Contains(msg, "status code: 422")
}

func generate(ctx context.Context, llm llms.Model, msgs []llms.MessageContent, opts []llms.CallOption) (ModelResponse, error) {
	resp, err := llm.GenerateContent(ctx, msgs, opts...)
	if err != nil {
		return ModelResponse{}, err
	}
	if resp == nil || len(resp.Choices) == 0 || resp.Choices[0] == nil {
		return ModelResponse{}, errors.New("the model returned no answer")
	}
	c := resp.Choices[0]
	return ModelResponse{
		Text:             c.Content,
		PromptTokens:     intInfo(c.GenerationInfo, "PromptTokens"),
		CompletionTokens: intInfo(c.GenerationInfo, "CompletionTokens"),
	}, nil
}

func intInfo(info map[string]any, key string) int {
	switch v := info[key].(type) {
	case int:
		return v
	case int32:
		return int(v)
	case int64:
		return int(v)
	case float64:
		return int(v)
	}
	return 0
}

// ModelConfig says which model to use. Spec is "openai:<model-name>"; the
// endpoint and key follow OpenAI's conventions so that any compatible server
// (OpenAI, Ollama, vLLM, llama.cpp at /v1) works.
type ModelConfig struct {
	Spec    string
	BaseURL string // default: OpenAI's
	APIKey  string
	// OllamaHost is the Ollama server for ollama:<name> (default
	// DefaultOllamaHost).
	OllamaHost string
	// HTTPClient is used for the calls when set (tests, proxies).
	HTTPClient *http.Client
}

// DefaultOllamaHost is where an Ollama server listens unless OLLAMA_HOST
// says otherwise.
const DefaultOllamaHost = "http://127.0.0.1:11434"

// openOllama returns an Ollama model through langchaingo's Ollama client
// (its native /api/chat protocol, JSON mode for the choose call).
func openOllama(cfg ModelConfig, name string) (Model, error) {
	host := cfg.OllamaHost
	if host == "" {
		host = DefaultOllamaHost
	}
	if !strings.Contains(host, "://") {
		host = "http://" + host
	}
	opts := []ollama.Option{ollama.WithModel(name), ollama.WithServerURL(host)}
	if cfg.HTTPClient != nil {
		opts = append(opts, ollama.WithHTTPClient(cfg.HTTPClient))
	}
	llm, err := ollama.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("model %q: %w", cfg.Spec, err)
	}
	m := NewLangChainModel(llm)
	m.provider, m.model = "ollama", name
	return m, nil
}

// ModelConfigFromEnv completes a config from the environment: the spec from
// INSTRC_MODEL when empty, then OPENAI_BASE_URL, OPENAI_API_KEY and
// OLLAMA_HOST.
func ModelConfigFromEnv(spec string) ModelConfig {
	if spec == "" {
		spec = os.Getenv("INSTRC_MODEL")
	}
	return ModelConfig{Spec: spec, BaseURL: os.Getenv("OPENAI_BASE_URL"), APIKey: os.Getenv("OPENAI_API_KEY"), OllamaHost: os.Getenv("OLLAMA_HOST")}
}

// OpenModel returns the model a config names, or nil (offline) when the spec
// is empty.
func OpenModel(cfg ModelConfig) (Model, error) {
	if strings.TrimSpace(cfg.Spec) == "" {
		return nil, nil
	}
	provider, name, ok := strings.Cut(cfg.Spec, ":")
	if !ok || name == "" {
		return nil, fmt.Errorf("model %q: write it as openai:<model-name> or ollama:<model-name>", cfg.Spec)
	}
	switch provider {
	case "openai":
	case "ollama":
		return openOllama(cfg, name)
	default:
		return nil, fmt.Errorf("model %q: provider %q is not supported; use openai:<model-name> (with OPENAI_BASE_URL for any OpenAI-compatible server) or ollama:<model-name>", cfg.Spec, provider)
	}
	opts := []openai.Option{openai.WithModel(name)}
	if cfg.BaseURL != "" {
		opts = append(opts, openai.WithBaseURL(cfg.BaseURL))
	}
	key := cfg.APIKey
	if key == "" && cfg.BaseURL != "" {
		// Local servers (Ollama, llama.cpp) take no key; the client wants one.
		key = "unused"
	}
	if key == "" {
		return nil, fmt.Errorf("model %q: set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)", cfg.Spec)
	}
	opts = append(opts, openai.WithToken(key))
	if cfg.HTTPClient != nil {
		opts = append(opts, openai.WithHTTPClient(cfg.HTTPClient))
	}
	llm, err := openai.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("model %q: %w", cfg.Spec, err)
	}
	m := NewLangChainModel(llm)
	m.provider, m.model = "openai", name
	m.withSchema = func(schema map[string]any) (llms.Model, error) {
		var prop openai.ResponseFormatJSONSchemaProperty
		b, err := json.Marshal(schema)
		if err == nil {
			err = json.Unmarshal(b, &prop)
		}
		if err != nil {
			return nil, fmt.Errorf("the answer's schema: %w", err)
		}
		rf := &openai.ResponseFormat{Type: "json_schema", JSONSchema: &openai.ResponseFormatJSONSchema{Name: "choice", Schema: &prop}}
		return openai.New(append(slices.Clone(opts), openai.WithResponseFormat(rf))...)
	}
	return m, nil
}
