package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

const testToken = "s3cret-token"

// newTestServer serves the example plan on an in-memory backend seeded
// with the workspace's teams.
func newTestServer(t *testing.T, planPath string) (*Server, *runtime.MemoryBackend) {
	t.Helper()
	f, err := os.Open(planPath)
	require.NoError(t, err)
	defer f.Close()
	plan, err := ir.Read(f)
	require.NoError(t, err)
	b := runtime.NewMemoryBackend()
	require.NoError(t, runtime.SeedWorkspace(context.Background(), b, plan.Workspace))
	e, err := runtime.New(plan, runtime.Options{Backend: b, Caller: runtime.DryRunCaller{},
		Clock: func() time.Time { return time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC) }})
	require.NoError(t, err)
	s, err := New(Config{Backend: b, Token: testToken, MaxBody: 64 << 10}, e)
	require.NoError(t, err)
	return s, b
}

type resp struct {
	code int
	hdr  http.Header
	body []byte
}

func do(t *testing.T, h http.Handler, method, path, token, body string, hdr ...string) resp {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return resp{code: w.Code, hdr: w.Header(), body: w.Body.Bytes()}
}

// schemas compiles the OpenAPI document's component schemas, to check
// every answer against what the API documents.
func schemas(t *testing.T) func(name string) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(OpenAPI))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	require.NoError(t, c.AddResource("mem:///openapi.json", doc))
	return func(name string) *jsonschema.Schema {
		s, err := c.Compile("mem:///openapi.json#/components/schemas/" + name)
		require.NoError(t, err)
		return s
	}
}

func validate(t *testing.T, s *jsonschema.Schema, body []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	require.NoError(t, err, string(body))
	assert.NoError(t, s.Validate(v), string(body))
}

func TestPostMessageEN(t *testing.T) {
	s, _ := newTestServer(t, "../examples/support/plan.json")
	schema := schemas(t)
	r := do(t, s, "POST", "/v1/conversations/c1/messages", testToken,
		`{"messageId": "m1", "contactId": "ann", "text": "I want to cancel my contract"}`)
	require.Equal(t, http.StatusOK, r.code, string(r.body))
	assert.Equal(t, "application/json", r.hdr.Get("Content-Type"))
	validate(t, schema("Turn"), r.body)
	var turn runtime.TurnView
	require.NoError(t, json.Unmarshal(r.body, &turn))
	require.NotNil(t, turn.Scenario)
	assert.Equal(t, "s11", *turn.Scenario)
	assert.Equal(t, s.PlanHash(), turn.PlanHash)
	assert.True(t, strings.HasPrefix(turn.PlanHash, "sha256:"))
	assert.Equal(t, "en", turn.Language)
	assert.True(t, turn.ReplySent)
	var statuses []string
	for _, a := range turn.Actions {
		statuses = append(statuses, a.Status)
	}
	assert.Empty(t, cmp.Diff([]string{"ok", "ok", "ok"}, statuses))

	// The state the turn wrote reads back.
	c := do(t, s, "GET", "/v1/conversations/c1", testToken, "")
	require.Equal(t, http.StatusOK, c.code, string(c.body))
	validate(t, schema("Conversation"), c.body)
	var conv ConversationView
	require.NoError(t, json.Unmarshal(c.body, &conv))
	assert.Equal(t, "ann", conv.ContactID)
	require.NotNil(t, conv.Assignee)
	assert.Equal(t, "Retention", conv.Assignee.Team)
	k := do(t, s, "GET", "/v1/contacts/ann", testToken, "")
	require.Equal(t, http.StatusOK, k.code, string(k.body))
	validate(t, schema("Contact"), k.body)
	assert.Contains(t, string(k.body), `"lifecycle":"Cancelling","tags":["Cancellation Risk"]`)

	// A redelivered message id runs nothing twice: the assignee stays.
	again := do(t, s, "POST", "/v1/conversations/c1/messages", testToken,
		`{"messageId": "m1", "contactId": "ann", "text": "I want to cancel my contract"}`)
	require.Equal(t, http.StatusOK, again.code)
	validate(t, schema("Turn"), again.body)
	var dup runtime.TurnView
	require.NoError(t, json.Unmarshal(again.body, &dup))
	assert.True(t, dup.Duplicate)
	assert.False(t, dup.ReplySent)
	assert.Empty(t, dup.Actions)
	c2 := do(t, s, "GET", "/v1/conversations/c1", testToken, "")
	assert.JSONEq(t, string(c.body), string(c2.body))

	// The metrics counted the turn, its actions and the duplicate.
	m := do(t, s, "GET", "/metrics", testToken, "")
	require.Equal(t, http.StatusOK, m.code)
	for _, want := range []string{`instrc_turns_total{result="matched"} 1`, `instrc_turns_total{result="duplicate"} 1`,
		`instrc_actions_total{kind="assign",status="ok"} 1`, `instrc_lock_wait_seconds_count 2`,
		`instrc_plan_info{hash="` + s.PlanHash() + `"} 1`, `instrc_turn_duration_seconds_count 2`} {
		assert.Contains(t, string(m.body), want)
	}
}

func TestPostMessageFR(t *testing.T) {
	s, _ := newTestServer(t, "../examples/boutique/plan.json")
	r := do(t, s, "POST", "/v1/conversations/fr1/messages", testToken,
		`{"messageId": "m1", "text": "Je veux retourner un article, il ne me va pas", "history": [{"role": "agent", "text": "Bonjour !"}]}`)
	require.Equal(t, http.StatusOK, r.code, string(r.body))
	validate(t, schemas(t)("Turn"), r.body)
	var turn runtime.TurnView
	require.NoError(t, json.Unmarshal(r.body, &turn))
	require.NotNil(t, turn.Scenario)
	assert.Equal(t, "s7", *turn.Scenario)
	assert.Equal(t, "fr", turn.Language)
	require.Len(t, turn.Actions, 3)
	assert.Equal(t, runtime.Failed, turn.Actions[0].Status)
	assert.NotEmpty(t, turn.Actions[0].Reason)
	assert.Contains(t, turn.Reply, "motif de retour")
	// The contact defaults to the conversation.
	c := do(t, s, "GET", "/v1/conversations/fr1", testToken, "")
	require.Equal(t, http.StatusOK, c.code)
	assert.Contains(t, string(c.body), `"contactId":"fr1"`)
}

// TestBadRequests: every bad request is a JSON error with a stable code,
// and none leaves anything behind.
func TestBadRequests(t *testing.T) {
	s, _ := newTestServer(t, "../examples/support/plan.json")
	errSchema := schemas(t)("Error")
	huge := `{"messageId": "m1", "text": "` + strings.Repeat("a", 70<<10) + `"}`
	tests := []struct {
		name, method, path, token, body string
		hdr                             []string
		code                            int
		errCode, msg                    string
	}{
		{"no token", "POST", "/v1/conversations/c1/messages", "", `{"messageId":"m1","text":"hi"}`, nil, 401, CodeUnauthorized, "Authorization: Bearer"},
		{"wrong token", "POST", "/v1/conversations/c1/messages", "nope", `{"messageId":"m1","text":"hi"}`, nil, 401, CodeUnauthorized, "INSTRC_TOKEN"},
		{"no token on a read", "GET", "/v1/conversations/c1", "", "", nil, 401, CodeUnauthorized, "Bearer"},
		{"no token on metrics", "GET", "/metrics", "", "", nil, 401, CodeUnauthorized, "Bearer"},
		{"malformed JSON", "POST", "/v1/conversations/c1/messages", testToken, `{"messageId": "m1", "text": "hi"`, nil, 400, CodeMalformedJSON, "ends too early"},
		{"not JSON", "POST", "/v1/conversations/c1/messages", testToken, `messageId=m1`, nil, 400, CodeMalformedJSON, "not valid JSON"},
		{"two values", "POST", "/v1/conversations/c1/messages", testToken, `{"messageId":"m1","text":"hi"} {}`, nil, 400, CodeMalformedJSON, "more than one"},
		{"empty body", "POST", "/v1/conversations/c1/messages", testToken, ``, nil, 400, CodeMalformedJSON, "empty"},
		{"huge body", "POST", "/v1/conversations/c1/messages", testToken, huge, nil, 413, CodeBodyTooLarge, "65536 bytes"},
		{"wrong type", "POST", "/v1/conversations/c1/messages", testToken, `{"messageId": 12, "text": "hi"}`, nil, 400, CodeInvalidRequest, `"messageId" must be a string`},
		{"unknown field", "POST", "/v1/conversations/c1/messages", testToken, `{"messageId":"m1","text":"hi","txet":"x"}`, nil, 400, CodeInvalidRequest, `unknown field "txet"`},
		{"no message id", "POST", "/v1/conversations/c1/messages", testToken, `{"text":"hi"}`, nil, 400, CodeInvalidRequest, "messageId is empty"},
		{"no text", "POST", "/v1/conversations/c1/messages", testToken, `{"messageId":"m1"}`, nil, 400, CodeInvalidRequest, `"text" is missing`},
		{"bad language", "POST", "/v1/conversations/c1/messages", testToken, `{"messageId":"m1","text":"hi","language":"de"}`, nil, 400, CodeInvalidRequest, "use en, fr"},
		{"bad role", "POST", "/v1/conversations/c1/messages", testToken, `{"messageId":"m1","text":"hi","history":[{"role":"bot","text":"x"}]}`, nil, 400, CodeInvalidRequest, "history[0].role"},
		{"long id", "POST", "/v1/conversations/" + strings.Repeat("x", 300) + "/messages", testToken, `{"messageId":"m1","text":"hi"}`, nil, 400, CodeInvalidRequest, "over 256 bytes"},
		{"form body", "POST", "/v1/conversations/c1/messages", testToken, `{"messageId":"m1","text":"hi"}`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, CodeUnsupportedMediaType, "application/json"},
		{"wrong method", "GET", "/v1/conversations/c1/messages", testToken, "", nil, 405, CodeMethodNotAllowed, "use POST"},
		{"wrong method on a read", "DELETE", "/v1/conversations/c1", testToken, "", nil, 405, CodeMethodNotAllowed, "use GET"},
		{"unknown path", "GET", "/v2/things", testToken, "", nil, 404, CodeNotFound, "no such endpoint"},
		{"unknown conversation", "GET", "/v1/conversations/nobody", testToken, "", nil, 404, CodeNotFound, `no conversation "nobody"`},
		{"unknown contact", "GET", "/v1/contacts/nobody", testToken, "", nil, 404, CodeNotFound, `no contact "nobody"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, s, tt.method, tt.path, tt.token, tt.body, tt.hdr...)
			assert.Equal(t, tt.code, r.code, string(r.body))
			assert.Equal(t, "application/json", r.hdr.Get("Content-Type"))
			validate(t, errSchema, r.body)
			var e ErrorBody
			require.NoError(t, json.Unmarshal(r.body, &e))
			assert.Equal(t, tt.errCode, e.Error.Code)
			assert.Contains(t, e.Error.Message, tt.msg)
			if tt.code == 401 {
				assert.Equal(t, `Bearer realm="instrc"`, r.hdr.Get("WWW-Authenticate"))
			}
			if tt.code == 405 {
				assert.NotEmpty(t, r.hdr.Get("Allow"))
			}
		})
	}
	// Nothing half-done: no bad request created the conversation.
	r := do(t, s, "GET", "/v1/conversations/c1", testToken, "")
	assert.Equal(t, http.StatusNotFound, r.code, string(r.body))
	// And the good message still runs as the first one.
	r = do(t, s, "POST", "/v1/conversations/c1/messages", testToken, `{"messageId":"m1","text":"I want to cancel my contract"}`)
	require.Equal(t, http.StatusOK, r.code)
	assert.NotContains(t, string(r.body), `"duplicate"`)
}

func TestPublicEndpoints(t *testing.T) {
	s, _ := newTestServer(t, "../examples/support/plan.json")
	for _, p := range []string{"/healthz", "/readyz", "/openapi.json"} {
		r := do(t, s, "GET", p, "", "")
		assert.Equal(t, http.StatusOK, r.code, p)
		assert.Equal(t, "application/json", r.hdr.Get("Content-Type"), p)
	}
	r := do(t, s, "GET", "/readyz", "", "")
	assert.JSONEq(t, fmt.Sprintf(`{"status":"ready","planHash":%q}`, s.PlanHash()), string(r.body))
	assert.Equal(t, http.StatusOK, do(t, s, "HEAD", "/healthz", "", "").code)

	// Draining: not ready, and new messages go elsewhere.
	s.Drain()
	r = do(t, s, "GET", "/readyz", "", "")
	assert.Equal(t, http.StatusServiceUnavailable, r.code)
	assert.Contains(t, string(r.body), CodeShuttingDown)
	r = do(t, s, "POST", "/v1/conversations/c9/messages", testToken, `{"messageId":"m1","text":"hi"}`)
	assert.Equal(t, http.StatusServiceUnavailable, r.code)
	assert.Contains(t, string(r.body), CodeShuttingDown)
	assert.Equal(t, http.StatusNotFound, do(t, s, "GET", "/v1/conversations/c9", testToken, "").code)
}

// TestConcurrentMessagesRunInOrder: messages of one conversation sent at
// once run one at a time; all of them run, none twice.
func TestConcurrentMessagesRunInOrder(t *testing.T) {
	s, _ := newTestServer(t, "../examples/support/plan.json")
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := do(t, s, "POST", "/v1/conversations/busy/messages", testToken, fmt.Sprintf(`{"messageId":"m%d","text":"I want to cancel my contract"}`, i%10))
			codes[i] = r.code
		}()
	}
	wg.Wait()
	for _, c := range codes {
		assert.Equal(t, http.StatusOK, c)
	}
	m := do(t, s, "GET", "/metrics", testToken, "")
	assert.Contains(t, string(m.body), `instrc_turns_total{result="matched"} 10`)
	assert.Contains(t, string(m.body), `instrc_turns_total{result="duplicate"} 10`)
}

func TestConvLocksFIFO(t *testing.T) {
	l := newConvLocks()
	unlock, err := l.lock(context.Background(), "c")
	require.NoError(t, err)
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u, err := l.lock(context.Background(), "c")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			u()
		}()
		// Each waiter queues before the next one starts.
		require.Eventually(t, func() bool { l.mu.Lock(); defer l.mu.Unlock(); return len(l.m["c"].waiters) == i+1 }, time.Second, time.Millisecond)
	}
	// A waiter that gives up leaves the queue.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err = l.lock(ctx, "c")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	unlock()
	wg.Wait()
	assert.Equal(t, []int{0, 1, 2, 3, 4}, order)
	l.mu.Lock()
	assert.Empty(t, l.m)
	l.mu.Unlock()
}

// TestOpenAPIMatchesRoutes: every registered route is documented with its
// security, and every documented operation is registered.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	s, _ := newTestServer(t, "../examples/support/plan.json")
	var doc struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			OperationID string            `json:"operationId"`
			Security    *[]map[string]any `json:"security"`
			Responses   map[string]any    `json:"responses"`
		} `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(OpenAPI, &doc))
	assert.Equal(t, "3.1.0", doc.OpenAPI)
	type op struct {
		Method, Path string
		Auth         bool
	}
	var registered, documented []op
	for _, r := range s.Routes() {
		registered = append(registered, op{r.Method, r.Path, r.Auth})
	}
	for path, ops := range doc.Paths {
		for method, o := range ops {
			documented = append(documented, op{strings.ToUpper(method), path, o.Security == nil || len(*o.Security) > 0})
			assert.NotEmpty(t, o.Responses, "%s %s", method, path)
			assert.NotEmpty(t, o.OperationID, "%s %s", method, path)
		}
	}
	less := func(a, b op) bool { return a.Path+a.Method < b.Path+b.Method }
	if d := cmp.Diff(registered, documented, cmpSort(less)); d != "" {
		t.Errorf("routes (-registered +documented):\n%s", d)
	}
	// The schemas themselves compile.
	for _, name := range []string{"Turn", "Error", "Conversation", "Contact", "MessageRequest"} {
		schemas(t)(name)
	}
}
