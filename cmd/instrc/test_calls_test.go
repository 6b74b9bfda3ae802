package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTestCalls runs `instrc test` on the support agent with its status API
// served locally: a case's `calls:` answers its action without a request;
// the others are described, not sent, unless --calls live.
func TestTestCalls(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.URL.RequestURI()+" key="+r.Header.Get("X-Api-Key"))
		mu.Unlock()
		_, _ = w.Write([]byte(`{"outages": []}`))
	}))
	defer srv.Close()
	t.Setenv("CLEARLINE_STATUS_KEY", "k3y")

	dir := t.TempDir()
	agent, err := os.ReadFile("../../examples/support/agent.instr")
	require.NoError(t, err)
	ws, err := os.ReadFile("../../examples/support/workspace.yaml")
	require.NoError(t, err)
	writeFile(t, dir, "agent.instr", string(agent))
	writeFile(t, dir, "workspace.yaml", strings.ReplaceAll(string(ws), "https://status.clearline.net", srv.URL)+"allow_private_networks: [127.0.0.1] # the test server\n")
	file := writeFile(t, dir, "calls.test.yaml", `agent: agent.instr
cases:
  - name: answered by the test file
    calls:
      outage_check: {status: 500, body: down}
    conversation:
      - contact: my internet is down
      - agent: What is your postcode?
      - contact: LS6 2AB
        expect:
          actions: [update_fields, update_tags, {kind: call, status: failed}]
  - name: answered by the API, or by a dry run
    conversation:
      - contact: my internet is down
      - agent: What is your postcode?
      - contact: LS6 2AB
        expect:
          actions: [update_fields, update_tags, {kind: call, target: outage_check, status: ok}]
`)
	for _, mode := range []string{"dry", "live"} {
		t.Run(mode, func(t *testing.T) {
			got = nil
			var out, errOut bytes.Buffer
			code := run([]string{"test", "--calls", mode, file}, strings.NewReader(""), &out, &errOut)
			assert.Equal(t, 0, code, out.String()+errOut.String())
			assert.Contains(t, out.String(), "2 cases, 2 passed, 0 failed")
			if mode == "dry" {
				assert.Empty(t, got, "a dry run sends nothing")
			} else {
				assert.Equal(t, []string{"/api/v2/outages?postcode=LS6+2AB key=k3y"}, got, "only the case without an answer reaches the API")
			}
		})
	}

	bad := writeFile(t, dir, "bad.test.yaml", `agent: agent.instr
cases:
  - name: x
    calls: {outage_chek: {status: 200}}
    conversation: [{contact: hi}]
`)
	var out, errOut bytes.Buffer
	code := run([]string{"test", bad}, strings.NewReader(""), &out, &errOut)
	assert.Equal(t, 1, code)
	assert.Contains(t, out.String(), `bad.test.yaml:4:13: calls: "outage_chek" is not a custom action of the workspace (did you mean "outage_check"?)`)
}
