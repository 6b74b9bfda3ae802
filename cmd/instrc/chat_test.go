package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	require.True(t, strings.HasPrefix(blocks[0], "instrc chat: 19 scenarios, offline matcher."), blocks[0])

	want := []string{
		"  scenario: s11 (line 35) the contact wants to cancel their contract",
		`  [ok] set the lifecycle stage to "Cancelling"`,
		`  [ok] add tag "Cancellation Risk"`,
		`  [ok] assign to team "Retention" by round robin → Nadia Rahman`,
		"agent> I've passed you to our Retention; someone will be with you shortly.",
		"  scenario: s15 (line 45) the contact shares a new phone number or email address",
		`  [ok] save contact field "phone" (phone), "Email" (email) → Email="ann@example.org"`,
		`  contact: lifecycle "Cancelling", tags [Cancellation Risk], fields map[Email:ann@example.org First Name:Ann]`,
		"  scenario: none (no scenario matched the message well enough)",
		"  (new conversation)",
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

func TestChatShowsFailuresAndSilence(t *testing.T) {
	dir := t.TempDir()
	plan := writeFile(t, dir, "plan.json", `{"version": 1, "language": "en", "guidance": [], "scenarios": [
	  {"id": "s1", "line": 1, "condition": {"text": "the contact mentions an order", "keywords": ["order"]},
	   "actions": [{"kind": "call", "action": "order_status"}, {"kind": "unassign"}]},
	  {"id": "s2", "line": 2, "condition": {"text": "the contact says stop", "keywords": ["stop"]},
	   "actions": [{"kind": "unassign"}], "reply": {"template": "never sent"}}]}`)
	cmd := &ChatCmd{RunFlags: RunFlags{Plan: plan}}
	stdout, stderr, err := runCmd(t, cmd.Run, "where is my order\nstop\n")
	require.NoError(t, err, stderr)
	assert.Contains(t, stdout, `  [failed] call custom action "order_status": custom HTTP actions are not supported yet: !order_status was not called`)
	assert.Contains(t, stdout, `  [skipped] unassign the conversation: step 1 (call) failed, so this step did not run`)
	assert.Contains(t, stdout, "  (no reply: the conversation was unassigned: the agent sends no reply afterwards)")
	assert.NotContains(t, stdout, "never sent")
}
