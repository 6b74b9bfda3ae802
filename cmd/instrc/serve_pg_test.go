package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/internal/pgtest"
)

// lockedBuffer is a log shared by the server's goroutines and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeOnPostgres runs `instrc serve --db postgres://…`: a turn, the
// state it wrote, /readyz, a turn stopped by --turn-timeout (not committed:
// sent again, it goes on from the first action not recorded), and the
// database URL's password kept out of the log and the errors.
func TestServeOnPostgres(t *testing.T) {
	url := pgtest.Database(t)
	const password = "hunter2-secret"
	// Trust authentication ignores the password: the URL still carries it.
	url = strings.Replace(url, "postgres://postgres@", "postgres://postgres:"+password+"@", 1)
	require.Contains(t, url, password)

	var slow atomic.Bool
	slow.Store(true)
	var calls atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slow.Load() {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		calls.Add(1)
		_, _ = w.Write([]byte(`{"ok": true}`))
	}))
	defer api.Close()
	dir := t.TempDir()
	ws := fmt.Sprintf(`name: PG
contact_fields:
  - {name: Seq, id: seq, type: number}
teams:
  - {name: Desk, members: [u1, u2]}
users: [u1, u2]
actions:
  - name: record
    description: Record a number
    inputs: [{name: seq}]
    request: {method: POST, url: "%s/record"}
allow_private_networks: [127.0.0.1]
`, api.URL)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "workspace.yaml"), []byte(ws), 0o644))
	agent := filepath.Join(dir, "agent.instr")
	require.NoError(t, os.WriteFile(agent, []byte(`---
workspace: workspace.yaml
language: en
---
- If the contact asks to talk to an agent, assign to @Desk by round robin.
- If the contact gives a number, save it as the Seq field, then call !record.
`), 0o644))

	t.Setenv("INSTRC_TOKEN", "tok-pg")
	var log lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := &ServeCmd{Addr: "127.0.0.1:0", DB: url, Calls: "live", MaxBody: 1 << 20, TurnTimeout: 700 * time.Millisecond,
		OrderWindow: 100 * time.Millisecond, File: agent}
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- c.serve(ctx, &Globals{Stdout: io.Discard, Stderr: &log}, func(a string) { addrc <- a })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve stopped: %v\n%s", err, log.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not start:\n%s", log.String())
	}
	do := func(method, path, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, "http://"+addr+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer tok-pg")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	code, body := do("GET", "/readyz", "")
	require.Equal(t, 200, code, body)
	code, body = do("POST", "/v1/conversations/c1/messages", `{"messageId": "m1", "contactId": "ann", "text": "I want to talk to an agent"}`)
	require.Equal(t, 200, code, body)
	require.Contains(t, body, `"kind":"assign"`)
	require.Contains(t, body, `"status":"ok"`)

	// The call outlives --turn-timeout: the turn stops, uncommitted.
	code, body = do("POST", "/v1/conversations/c1/messages", `{"messageId": "m2", "contactId": "ann", "text": "my number is 42"}`)
	require.Equal(t, 500, code, body)
	require.Contains(t, body, `"code":"turn_failed"`)
	require.Contains(t, body, "ran out of time")
	code, body = do("GET", "/v1/contacts/ann", "")
	require.Equal(t, 200, code, body)
	require.Contains(t, body, `"Seq":"42"`, "the step before the call is recorded")

	// Sent again once the API answers: the call runs, the save does not
	// run twice, the turn commits.
	slow.Store(false)
	code, body = do("POST", "/v1/conversations/c1/messages", `{"messageId": "m2", "contactId": "ann", "text": "my number is 42"}`)
	require.Equal(t, 200, code, body)
	require.NotContains(t, body, `"duplicate":true`)
	require.Equal(t, int32(1), calls.Load())
	code, body = do("POST", "/v1/conversations/c1/messages", `{"messageId": "m2", "contactId": "ann", "text": "my number is 42"}`)
	require.Equal(t, 200, code, body)
	require.Contains(t, body, `"duplicate":true`)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	out := log.String()
	require.Contains(t, out, "msg=serving")
	require.NotContains(t, out, password)

	// A database that does not answer: the error names it without the
	// password.
	bad := &ServeCmd{Addr: "127.0.0.1:0", DB: "postgres://app:" + password + "@127.0.0.1:1/nowhere?sslmode=disable&connect_timeout=2",
		Calls: "dry", MaxBody: 1 << 20, TurnTimeout: time.Second, File: agent}
	var errLog lockedBuffer
	err := bad.serve(context.Background(), &Globals{Stdout: io.Discard, Stderr: &errLog}, nil)
	require.Error(t, err)
	require.NotContains(t, err.Error()+errLog.String(), password)
	require.Contains(t, err.Error(), "127.0.0.1:1")
}
