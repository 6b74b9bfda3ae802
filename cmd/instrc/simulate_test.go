package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCmd runs a command's Run and returns its standard output, standard
// error and error.
func runCmd(t *testing.T, run func(g *Globals) error, stdin string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(&Globals{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(stdin)})
	return out.String(), errOut.String(), err
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

const supportConversations = `{"id": "c1", "contact": {"fields": {"First Name": "Ann"}, "lifecycle": "Active Customer", "tags": []}, "messages": [{"role": "contact", "text": "Hi, my internet is down since this morning"}, {"role": "agent", "text": "Sorry to hear that. What is your postcode?"}, {"role": "contact", "text": "ok that's all, thanks"}]}

{"id": "c2", "contact": {"fields": {}, "lifecycle": "Active Customer"}, "messages": [{"role": "contact", "text": "I want to cancel my contract"}, {"role": "contact", "text": "my new email is ann@example.org"}]}
{"id": "c3", "contact": {"fields": {"email": "old@example.com"}}, "messages": [{"role": "contact", "text": "I want to cancel my contract"}, {"role": "contact", "text": "The weather is lovely in Lyon today"}]}
`

// simOut mirrors the contract's JSON, to read the command's output back.
type simOut struct {
	Conversations []struct {
		ID    string `json:"id"`
		Turns []struct {
			Message     string           `json:"message"`
			Scenario    *string          `json:"scenario"`
			Actions     []map[string]any `json:"actions"`
			Why         string           `json:"why"`
			Reply       string           `json:"reply"`
			ReplySent   bool             `json:"replySent"`
			ReplyReason string           `json:"replyReason"`
			Language    string           `json:"language"`
			Duplicate   bool             `json:"duplicate"`
			Fallback    string           `json:"fallback"`
			ModelCalls  []map[string]any `json:"modelCalls"`
			// Additive keys.
			ID         string   `json:"id"`
			Confidence *float64 `json:"confidence"`
			RunnerUp   string   `json:"runnerUp"`
			Expect     string   `json:"expect"`
		} `json:"turns"`
	} `json:"conversations"`
	Summary map[string]any `json:"summary"`
}

func TestSimulateSupportExample(t *testing.T) {
	dir := t.TempDir()
	convs := writeFile(t, dir, "c.jsonl", supportConversations)
	cmd := &SimulateCmd{RunFlags: RunFlags{Workspace: "../../examples/support/workspace.yaml", File: "../../examples/support/agent.instr"},
		Conversations: convs, Now: "2025-03-05T10:00:00Z"}
	stdout, stderr, err := runCmd(t, cmd.Run, "")
	require.NoError(t, err, stderr)
	var got simOut
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&got), "the output has exactly the contract's keys")

	type turn struct {
		Scenario  string
		Statuses  []string
		ReplySent bool
	}
	var turns []turn
	for _, c := range got.Conversations {
		for _, tr := range c.Turns {
			t := turn{ReplySent: tr.ReplySent}
			if tr.Scenario != nil {
				t.Scenario = *tr.Scenario
			}
			for _, a := range tr.Actions {
				t.Statuses = append(t.Statuses, a["status"].(string))
			}
			turns = append(turns, t)
		}
	}
	want := []turn{
		// internet down: collects the postcode first, nothing runs yet
		{Scenario: "s1", Statuses: []string{"skipped", "skipped", "skipped"}, ReplySent: true},
		// no more questions: close with "Issue Resolved"
		{Scenario: "s19", Statuses: []string{"ok"}, ReplySent: true},
		// cancel: lifecycle, tag, round robin to Retention
		{Scenario: "s11", Statuses: []string{"ok", "ok", "ok"}, ReplySent: true},
		// a new email: saved as Email (no phone given)
		{Scenario: "s15", Statuses: []string{"ok"}, ReplySent: true},
		{Scenario: "s11", Statuses: []string{"ok", "ok", "ok"}, ReplySent: true},
		// small talk: nothing matched, no action
		{Scenario: "", Statuses: nil, ReplySent: true},
	}
	if d := cmp.Diff(want, turns); d != "" {
		t.Errorf("turns (-want +got):\n%s", d)
	}
	c2 := got.Conversations[1].Turns
	assert.Equal(t, map[string]any{"Email": "ann@example.org"}, c2[1].Actions[0]["values"])
	// Round robin carries over between conversations: c2 got the first
	// Retention member, c3 the second.
	assert.Equal(t, "Retention", c2[0].Actions[2]["target"].(map[string]any)["name"])
	assert.Equal(t, "I want to cancel my contract", c2[0].Message)
	assert.Equal(t, "waiting for the contact to give their postcode", got.Conversations[0].Turns[0].Actions[0]["reason"], "skipped actions carry a reason")
	assert.Equal(t, map[string]any{"conversations": 3.0, "turns": 6.0, "matched": 5.0, "unmatched": 1.0,
		"actions": map[string]any{"ok": 8.0, "failed": 0.0, "skipped": 3.0}, "repliesSent": 6.0, "fallbacks": 0.0,
		"modelCalls": 0.0, "promptTokens": 0.0, "completionTokens": 0.0, "inputTokens": 0.0, "outputTokens": 0.0, "duplicates": 0.0}, got.Summary)
	assert.True(t, strings.HasPrefix(stdout, "{\n  \"conversations\": ["), "conversations come first")
}

// TestSimulateFromPlan runs a compiled plan, a scalar contact field and a
// workspace field id, and checks the exact JSON of one turn.
func TestSimulateFromPlan(t *testing.T) {
	dir := t.TempDir()
	plan := writeFile(t, dir, "plan.json", `{"version": 1, "language": "en", "guidance": [],
	  "scenarios": [{"id": "s1", "line": 1, "condition": {"text": "the budget field is set", "state": [{"kind": "field_set", "field": "budget"}]},
	    "actions": [{"kind": "assign", "target": {"type": "team", "name": "Sales Team"}, "method": "round_robin"}],
	    "reply": {"template": "Budget $contact.budget noted."}}]}`)
	ws := writeFile(t, dir, "ws.yaml", "name: T\ncontact_fields:\n  - {name: Budget, id: budget, type: number}\nteams:\n  - {name: Sales Team, members: [alice, bob]}\nusers: [alice, bob]\n")
	convs := writeFile(t, dir, "c.jsonl", `{"id": "c1", "contact": {"fields": {"budget": 100}, "lifecycle": "New Lead", "tags": []}, "messages": [{"role": "contact", "text": "hello"}, {"role": "agent", "text": "hi"}, {"role": "contact", "text": "again"}]}`+"\n")
	cmd := &SimulateCmd{RunFlags: RunFlags{Workspace: ws, Plan: plan}, Conversations: convs, Now: "2025-03-05T10:00:00Z"}
	stdout, stderr, err := runCmd(t, cmd.Run, "")
	require.NoError(t, err, stderr)
	var got struct {
		Conversations []json.RawMessage `json:"conversations"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	require.Len(t, got.Conversations, 1)
	want := `{"id": "c1", "turns": [
	  {"message": "hello", "scenario": "s1", "actions": [{"kind": "assign", "target": {"type": "team", "name": "Sales Team"}, "method": "round_robin", "status": "ok"}],
	   "reply": "Budget 100 noted.", "replySent": true, "why": "state: Budget is set (score 0.60)", "language": "en", "confidence": 0.48},
	  {"message": "again", "scenario": "s1", "actions": [{"kind": "assign", "target": {"type": "team", "name": "Sales Team"}, "method": "round_robin", "status": "ok"}],
	   "reply": "Budget 100 noted.", "replySent": true, "why": "state: Budget is set (score 0.60)", "language": "en", "confidence": 0.48}]}`
	assert.JSONEq(t, want, string(got.Conversations[0]))
}

func TestSimulateErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.jsonl", `{"id": "c1", "messages": [{"role": "contact", "text": "hi"}]}`+"\n")
	tests := []struct {
		name    string
		cmd     SimulateCmd
		wantErr string
	}{
		{name: "a bad line", cmd: SimulateCmd{RunFlags: RunFlags{File: "../../examples/support/agent.instr"},
			Conversations: writeFile(t, dir, "bad.jsonl", `{"id": "c1", "messages": []}`+"\n"+`{"id": "c2", "mesages": []}`+"\n")},
			wantErr: "bad.jsonl:2:"},
		{name: "a bad role", cmd: SimulateCmd{RunFlags: RunFlags{File: "../../examples/support/agent.instr"},
			Conversations: writeFile(t, dir, "role.jsonl", `{"id": "c1", "messages": [{"role": "bot", "text": "x"}]}`+"\n")},
			wantErr: `role "bot"`},
		{name: "no plan", cmd: SimulateCmd{Conversations: good}, wantErr: "give an instruction file"},
		{name: "both", cmd: SimulateCmd{RunFlags: RunFlags{File: "../../examples/support/agent.instr", Plan: good}, Conversations: good}, wantErr: "not both"},
		{name: "a bad time", cmd: SimulateCmd{RunFlags: RunFlags{File: "../../examples/support/agent.instr"}, Conversations: good, Now: "tomorrow"}, wantErr: "RFC 3339"},
		{name: "a bad model", cmd: SimulateCmd{RunFlags: RunFlags{File: "../../examples/support/agent.instr", Model: "gpt"}, Conversations: good}, wantErr: "openai:<model-name>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, tt.cmd.Run, "")
			require.ErrorContains(t, err, tt.wantErr)
			var ee *exitError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, exitCannot, ee.code)
		})
	}
}

// TestSimulateReportsCompileErrors: a file with errors is not run.
func TestSimulateReportsCompileErrors(t *testing.T) {
	dir := t.TempDir()
	ws := writeFile(t, dir, "ws.yaml", "name: T\nteams:\n  - {name: Sales Team, members: [alice]}\nusers: [alice]\n")
	src := writeFile(t, dir, "agent.instr", "- If the contact asks about pricing, assign to @Salse Team.\n")
	convs := writeFile(t, dir, "c.jsonl", `{"id": "c1", "messages": [{"role": "contact", "text": "hi"}]}`+"\n")
	cmd := &SimulateCmd{RunFlags: RunFlags{Workspace: ws, File: src}, Conversations: convs}
	stdout, stderr, err := runCmd(t, cmd.Run, "")
	require.ErrorIs(t, err, failed)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "unknown-assignee")
}

// TestSimulateCalls: by default a replay sends nothing (the requests it
// would have sent go to standard error, the JSON keeps its shape); with
// --calls live the answer's status is in the action as httpStatus.
func TestSimulateCalls(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != "s3cret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error": "no such order"}`)
	}))
	defer srv.Close()
	t.Setenv("SHOP_KEY", "s3cret")
	dir := t.TempDir()
	plan := orderPlan(t, dir, srv.URL)
	convs := writeFile(t, dir, "c.jsonl", `{"id": "c1", "messages": [{"role": "contact", "text": "where is my order 10234"}]}`+"\n")
	tests := []struct {
		calls, action, stderr string
	}{
		{calls: "", action: `[{"kind": "call", "action": "order_status", "status": "ok"}, {"kind": "unassign", "status": "ok"}]`,
			stderr: "c1, turn 1: order_status: dry run: GET " + srv.URL + "/orders/10234 (not sent)\n"},
		{calls: "dry", action: `[{"kind": "call", "action": "order_status", "status": "ok"}, {"kind": "unassign", "status": "ok"}]`,
			stderr: "c1, turn 1: order_status: dry run: GET " + srv.URL + "/orders/10234 (not sent)\n"},
		{calls: "live", action: `[{"kind": "call", "action": "order_status", "status": "failed", "reason": "order_status answered 404 Not Found", "httpStatus": 404},
			{"kind": "unassign", "status": "skipped", "reason": "step 1 (call) failed, so this step did not run"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.calls, func(t *testing.T) {
			cmd := &SimulateCmd{RunFlags: RunFlags{Plan: plan, Calls: tt.calls}, Conversations: convs, Now: "2025-03-05T10:00:00Z"}
			stdout, stderr, err := runCmd(t, cmd.Run, "")
			require.NoError(t, err, stderr)
			var got struct {
				Conversations []struct {
					Turns []struct {
						Actions json.RawMessage `json:"actions"`
					} `json:"turns"`
				} `json:"conversations"`
			}
			require.NoError(t, json.Unmarshal([]byte(stdout), &got))
			assert.JSONEq(t, tt.action, string(got.Conversations[0].Turns[0].Actions))
			assert.Equal(t, tt.stderr, stderr)
			assert.NotContains(t, stdout+stderr, "s3cret")
		})
	}
}

// TestSimulateMessageIDs replays a redelivered message id and messages that
// say which scenario they expect.
func TestSimulateMessageIDs(t *testing.T) {
	dir := t.TempDir()
	convs := writeFile(t, dir, "c.jsonl", `{"id": "c1", "messages": [`+
		`{"role": "contact", "text": "I want to cancel my contract", "id": "m1", "expect": "s11"},`+
		`{"role": "contact", "text": "I want to cancel my contract", "id": "m1", "expect": "s11"},`+
		`{"role": "contact", "text": "do you have parental controls?", "id": "m2", "expect": "none"}]}`+"\n")
	cmd := &SimulateCmd{RunFlags: RunFlags{Workspace: "../../examples/support/workspace.yaml", File: "../../examples/support/agent.instr"},
		Conversations: convs, Now: "2025-03-05T10:00:00Z"}
	stdout, stderr, err := runCmd(t, cmd.Run, "")
	require.NoError(t, err, stderr)
	var got simOut
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	type turn struct {
		ID        string
		Duplicate bool
		Scenario  string
		Actions   int
	}
	var turns []turn
	for _, tr := range got.Conversations[0].Turns {
		s := ""
		if tr.Scenario != nil {
			s = *tr.Scenario
		}
		turns = append(turns, turn{tr.ID, tr.Duplicate, s, len(tr.Actions)})
	}
	diff := cmp.Diff([]turn{{"m1", false, "s11", 3}, {"m1", true, "", 0}, {"m2", false, "", 0}}, turns)
	assert.Empty(t, diff)
	assert.Equal(t, 1.0, got.Summary["duplicates"])
	assert.Equal(t, map[string]any{"labelled": 2.0, "correct": 2.0, "sure": 1.0, "sureWrong": 0.0, "sureWrongShare": 0.0}, got.Summary["matcher"])

	cmd.Report = "text"
	stdout, _, err = runCmd(t, cmd.Run, "")
	require.NoError(t, err)
	assert.Contains(t, stdout, "Redelivered messages: 1")
	assert.Contains(t, stdout, "sure and wrong: 0 (0.00%)")
}
