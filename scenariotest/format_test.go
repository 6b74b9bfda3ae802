package scenariotest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var ignorePos = cmp.Comparer(func(x, y Pos) bool { return true })

// parseAlike parses the English and the French spelling of one file and
// checks they read the same, positions aside.
func parseAlike(t *testing.T, en, fr string) *Suite {
	t.Helper()
	a, err := Parse("t.yaml", []byte(en))
	require.NoError(t, err)
	b, err := Parse("t.yaml", []byte(fr))
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(a, b, ignorePos))
	return a
}

func TestParseEnglishAndFrenchAgree(t *testing.T) {
	en := `agent: a.instr
cases:
  - name: n
    contact: {fields: {Budget: "100"}, lifecycle: New Lead, tags: [VIP]}
    conversation:
      - contact: hello
      - agent: hi
      - contact: price?
        expect:
          scenario: line 3
          actions: [{kind: assign, target: Sales, status: ok}, unassign]
          reply_contains: [Sales]
          reply_omits: refund
          fields: {Budget: "5000"}
          lifecycle: Qualified
          tags: [Pricing]
          no_reply: false
`
	fr := `agent: a.instr
cas:
  - nom: n
    client: {champs: {Budget: "100"}, cycle_de_vie: New Lead, étiquettes: [VIP]}
    conversation:
      - client: hello
      - agent: hi
      - client: price?
        attendu:
          scénario: line 3
          actions: [{type: assign, cible: Sales, statut: réussi}, unassign]
          réponse_contient: [Sales]
          réponse_exclut: refund
          champs: {Budget: "5000"}
          cycle_de_vie: Qualified
          étiquettes: [Pricing]
          sans_réponse: non
`
	a := parseAlike(t, en, fr)
	require.Len(t, a.Cases, 1)
	c := a.Cases[0]
	assert.Equal(t, map[string]string{"Budget": "100"}, c.Contact.Fields)
	require.Len(t, c.Steps, 3)
	e := c.Steps[2].Expect
	require.NotNil(t, e)
	assert.Equal(t, Pos{File: "t.yaml", Line: 10, Col: 21}, e.Scenario.Pos)
	assert.Equal(t, []ActionExpect{{Pos: Pos{"t.yaml", 11, 22}, Kind: "assign", Target: "Sales", Status: "ok"}, {Pos: Pos{"t.yaml", 11, 64}, Kind: "unassign"}}, e.Actions)
	assert.Equal(t, "false", e.NoReply.Text)
	assert.Equal(t, "refund", e.ReplyOmits[0].Text)
}

func TestParseErrorsHavePositions(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"", "t.yaml:1:1: the file is empty: give cases"},
		{"cases: [", "t.yaml:1:8: YAML syntax:"},
		{"casses: []", `t.yaml:1:1: unknown key "casses" in the file`},
		{"cases:\n  - name: x\n", `t.yaml:2:5: case "x" has no conversation`},
		{"cases:\n  - name: x\n    conversation:\n      - contact: hi\n        expect: {scenario: s1, actions: [{kind: teleport}]}\n", `t.yaml:5:49: unknown action kind "teleport"`},
		{"cases:\n  - name: x\n    conversation:\n      - contact: hi\n        expect: {no_reply: maybe}\n", `t.yaml:5:28: no_reply is true or false, not "maybe"`},
		{"cases:\n  - name: x\n    conversation:\n      - agent: hi\n        expect: {no_reply: true}\n", `t.yaml:4:9: expect: follows a contact message`},
		{"cases:\n  - conversation: [{contact: hi}]\n", "t.yaml:2:5: a case needs a name"},
		{"- a\n- b\n", "t.yaml:1:1: the file must be a mapping"},
		{"cases: {a: 1}", "t.yaml:1:9: cases must be a list"},
	} {
		_, err := Parse("t.yaml", []byte(tc.text))
		if assert.Error(t, err, tc.text) {
			assert.Contains(t, err.Error(), tc.want, tc.text)
		}
	}
}

func TestParseCalls(t *testing.T) {
	en := `calls:
  outage_check: {body: {outages: [{area: LS6, fix: "18:00"}]}}
cases:
  - name: x
    calls:
      outage_check: {status: 503, body: "down for maintenance"}
      line_test: {}
    conversation: [{contact: hi}]
`
	fr := `appels:
  outage_check: {corps: {outages: [{area: LS6, fix: "18:00"}]}}
cas:
  - nom: x
    appels:
      outage_check: {statut: 503, corps: "down for maintenance"}
      line_test: {}
    conversation: [{client: hi}]
`
	a := parseAlike(t, en, fr)
	want := map[string]CallStub{"outage_check": {Status: 200, Body: `{"outages":[{"area":"LS6","fix":"18:00"}]}`}}
	assert.Empty(t, cmp.Diff(want, a.Calls, ignorePos))
	want = map[string]CallStub{"outage_check": {Status: 503, Body: "down for maintenance"}, "line_test": {Status: 200}}
	assert.Empty(t, cmp.Diff(want, a.Cases[0].Calls, ignorePos))
	assert.Equal(t, Pos{File: "t.yaml", Line: 6, Col: 7}, a.Cases[0].Calls["outage_check"].Pos)

	for _, tc := range []struct{ text, want string }{
		{"calls: {x: {status: 999}}\ncases: [{name: x, conversation: [{contact: hi}]}]", `t.yaml:1:21: status is an HTTP status from 100 to 599, not "999"`},
		{"calls: {x: {headers: 1}}\ncases: [{name: x, conversation: [{contact: hi}]}]", `t.yaml:1:13: unknown key "headers" in the answer of x: use status, body`},
		{"calls: [x]\ncases: [{name: x, conversation: [{contact: hi}]}]", `t.yaml:1:8: calls must be a mapping`},
	} {
		_, err := Parse("t.yaml", []byte(tc.text))
		if assert.Error(t, err, tc.text) {
			assert.Contains(t, err.Error(), tc.want, tc.text)
		}
	}
}

func TestDefaultAgentIsBeside(t *testing.T) {
	s, err := Parse("dir/agent.test.yaml", []byte("cases:\n  - name: x\n    conversation: [{contact: hi}]\n"))
	require.NoError(t, err)
	assert.Equal(t, "dir/agent.instr", s.Agent)
}

func FuzzParse(f *testing.F) {
	f.Add("cases:\n  - name: x\n    conversation: [{contact: hi, expect: {scenario: none}}]\n")
	f.Add("cas: [{nom: x, conversation: [{client: hi}]}]")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = Parse("f.yaml", []byte(s)) // must not panic
	})
}
