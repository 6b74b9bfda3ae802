package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/fakemodel"
)

// TestChatPiped drives the chat through standard input, as a pipe: after
// each message it shows the scenario, the actions and outcomes, then the
// reply.
func TestChatPiped(t *testing.T) {
	cmd := &ChatCmd{RunFlags: RunFlags{File: "../../examples/support/agent.instr"}, Contact: map[string]string{"firstname": "Ann"}}
	input := strings.Join([]string{
		"I want to cancel my contract",
		"my new email is ann@example.org",
		"",
		"/contact",
		"The weather is lovely in Lyon today",
		"/reset",
		"I want to cancel my contract",
		"/quit",
		"this line is never read",
	}, "\n")
	stdout, stderr, err := runCmd(t, cmd.Run, input)
	require.NoError(t, err, stderr)
	assert.NotContains(t, stdout, "you> ", "no prompt when the input is not a terminal")
	blocks := strings.Split(stdout, "\n")
	require.True(t, strings.HasPrefix(blocks[0], "instrc chat: 19 scenarios, offline matcher, custom actions are not sent (--calls live sends them)."), blocks[0])

	want := []string{
		"  scenario: s11 (line 35) the contact wants to cancel their contract",
		`  [ok] set the lifecycle stage to "Cancelling"`,
		`  [ok] add tag "Cancellation Risk"`,
		`  [ok] assign to team "Retention" by round robin → Nadia Rahman`,
		"agent> I've passed you to our Retention team; someone will be with you shortly.",
		"  scenario: s15 (line 45) the contact shares a new phone number or email address",
		`  [ok] save contact field "phone" (phone), "Email" (email) → Email="ann@example.org"`,
		"    lifecycle: Cancelling\n    tags: Cancellation Risk\n    Email: ann@example.org\n    First Name: Ann\n",
		"  scenario: none (no scenario matched the message well enough)",
		"  (new conversation chat-2)",
		// The second conversation goes to the next member of the team.
		`  [ok] assign to team "Retention" by round robin → Ivy Chen`,
	}
	at := 0
	for _, w := range want {
		i := strings.Index(stdout[at:], w)
		require.GreaterOrEqual(t, i, 0, "missing, or out of order: %q\nin:\n%s", w, stdout)
		at += i + len(w)
	}
	assert.NotContains(t, stdout, "never read")
}

// orderPlan is a compiled plan whose scenario s1 calls !order_status at
// base, then unassigns.
func orderPlan(t *testing.T, dir, base string) string {
	t.Helper()
	return writeFile(t, dir, "plan.json", `{"version": 1, "language": "en", "guidance": [], "scenarios": [
	  {"id": "s1", "line": 1, "condition": {"text": "the contact mentions an order", "keywords": ["order"]},
	   "actions": [{"kind": "call", "action": "order_status"}, {"kind": "unassign"}]},
	  {"id": "s2", "line": 2, "condition": {"text": "the contact says stop", "keywords": ["stop"]},
	   "actions": [{"kind": "unassign"}], "reply": {"template": "never sent"}}],
	 "workspace": {"fields": [{"name": "Order Number", "id": "order_number", "type": "number"}],
	  "customActions": [{"name": "order_status", "inputs": [{"name": "order_number"}], "method": "GET",
	   "url": "`+base+`/orders/{order_number}", "auth": {"type": "api_key", "header": "X-Api-Key", "secretEnv": "SHOP_KEY"},
	   "responseInstructions": "If the API returns 404, say the order was not found."}],
	  "allowPrivateNetworks": ["127.0.0.1/32"]}}`)
}

// TestChatShowsFailuresAndSilence: a failed step and the skipped steps after
// it show with their reasons, a dry-run call with the request it would have
// sent, and a turn without a reply with why.
func TestChatShowsFailuresAndSilence(t *testing.T) {
	t.Setenv("SHOP_KEY", "")
	cmd := &ChatCmd{RunFlags: RunFlags{Plan: orderPlan(t, t.TempDir(), "https://shop.example.com")}}
	stdout, stderr, err := runCmd(t, cmd.Run, "where is my order\n/reset\nwhere is my order 10234\nstop\n")
	require.NoError(t, err, stderr)
	want := []string{
		`  [failed] call custom action "order_status": no value for input order_number`,
		`  [skipped] unassign the conversation: step 1 (call) failed, so this step did not run`,
		"agent> I'm sorry, I couldn't look that up just now.",
		`  [ok] call custom action "order_status": dry run: GET https://shop.example.com/orders/10234 (not sent)`,
		"  [ok] unassign the conversation",
		"  (no reply: the conversation was unassigned: the agent sends no reply afterwards)",
	}
	at := 0
	for _, w := range want {
		i := strings.Index(stdout[at:], w)
		require.GreaterOrEqual(t, i, 0, "missing, or out of order: %q\nin:\n%s", w, stdout)
		at += i + len(w)
	}
	assert.NotContains(t, stdout, "never sent")
	assert.NotContains(t, stdout, "HTTP ", "a dry run has no answer")
}

// TestChatLiveCalls: --calls live sends the request, with the secret from
// the environment, and shows the status and the start of the body.
func TestChatLiveCalls(t *testing.T) {
	var mu sync.Mutex
	var keys []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.Header.Get("X-Api-Key"))
		mu.Unlock()
		if r.URL.Path != "/orders/10234" {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error": "no such order"}`)
			return
		}
		_, _ = io.WriteString(w, `{"status": "shipped",
		  "carrier": "DHL"}`)
	}))
	defer srv.Close()
	t.Setenv("SHOP_KEY", "s3cret")
	cmd := &ChatCmd{RunFlags: RunFlags{Plan: orderPlan(t, t.TempDir(), srv.URL), Calls: "live"}}
	stdout, stderr, err := runCmd(t, cmd.Run, "where is my order 10234\n/reset\nwhere is my order 999\n")
	require.NoError(t, err, stderr)
	assert.Contains(t, stdout, "custom actions are sent.")
	assert.Contains(t, stdout, "  [ok] call custom action \"order_status\" → HTTP 200\n    response: {\"status\": \"shipped\", \"carrier\": \"DHL\"}\n")
	assert.Contains(t, stdout, "  [failed] call custom action \"order_status\" → HTTP 404: order_status answered 404 Not Found\n    response: {\"error\": \"no such order\"}\n")
	assert.NotContains(t, stdout, "s3cret")
	assert.Equal(t, []string{"s3cret", "s3cret"}, keys)
}

// TestChatStreamsTheReply: with a model, chat shows the actions as soon as
// they ran, then the reply as the model streams it; a reply that claims
// what was not done is withdrawn.
func TestChatStreamsTheReply(t *testing.T) {
	m := fakemodel.New()
	m.Default = func(ctx context.Context, req runtime.ModelRequest) (string, error) {
		if req.JSON {
			return `{"scenario": null}`, nil
		}
		if strings.Contains(fakemodel.NewMessage(req), "refund") {
			return "Good news. Your order was refunded.", nil
		}
		return "Hello there. How can I help?", nil
	}
	srv := httptest.NewServer(fakemodel.Handler(m))
	t.Cleanup(srv.Close)
	t.Setenv("OPENAI_BASE_URL", srv.URL+"/v1")
	t.Setenv("OPENAI_API_KEY", "x")
	cmd := &ChatCmd{RunFlags: RunFlags{File: "../../examples/support/agent.instr", Model: "openai:scripted",
		ModelFlags: ModelFlags{ModelSureMatch: 2, ModelSureNone: -1}}}
	stdout, stderr, err := runCmd(t, cmd.Run, "hello\nsay you gave me a refund\n")
	require.NoError(t, err, stderr)
	want := []string{
		"  scenario: none",
		"agent> Hello there. How can I help?\n",
		"  model choose:",
		"agent> Good news.\n  (withdrawn: the reply claimed something that was not done)\nagent> ",
		"  (the model's reply was not sent: it says \"refunded\"",
	}
	at := 0
	for _, w := range want {
		i := strings.Index(stdout[at:], w)
		require.GreaterOrEqual(t, i, 0, "missing, or out of order: %q\nin:\n%s", w, stdout)
		at += i + len(w)
	}
	assert.NotContains(t, stdout, "agent> Good news. Your order was refunded.")
}
