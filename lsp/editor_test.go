package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// editor drives the server over a pipe the way an editor does: it writes
// LSP frames (Content-Length headers and JSON bodies), reads the replies and
// the notifications, and answers the server's own requests.
type editor struct {
	t    *testing.T
	conn io.ReadWriteCloser
	done chan error

	mu      sync.Mutex
	nextID  int
	waiting map[int]chan wire
	notes   chan wire
	wmu     sync.Mutex
}

// wire is one JSON-RPC message as read.
type wire struct {
	ID     *json.RawMessage `json:"id"`
	Method string           `json:"method"`
	Params json.RawMessage  `json:"params"`
	Result json.RawMessage  `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func startEditor(t *testing.T) *editor {
	t.Helper()
	client, server := net.Pipe()
	e := &editor{t: t, conn: client, done: make(chan error, 1), waiting: map[int]chan wire{}, notes: make(chan wire, 100)}
	go func() { e.done <- Serve(context.Background(), server, server) }()
	go e.read()
	t.Cleanup(func() { client.Close() })
	return e
}

func (e *editor) read() {
	r := bufio.NewReader(e.conn)
	for {
		n := 0
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				close(e.notes)
				return
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				n, _ = strconv.Atoi(v)
			}
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			close(e.notes)
			return
		}
		var m wire
		if err := json.Unmarshal(body, &m); err != nil {
			e.t.Errorf("server sent invalid JSON %q: %v", body, err)
			continue
		}
		switch {
		case m.ID != nil && m.Method != "":
			// A request from the server (registerCapability): accept it.
			e.send(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": nil})
		case m.ID != nil:
			id, _ := strconv.Atoi(string(*m.ID))
			e.mu.Lock()
			ch := e.waiting[id]
			e.mu.Unlock()
			if ch != nil {
				ch <- m
			}
		default:
			e.notes <- m
		}
	}
}

func (e *editor) send(msg any) {
	b, err := json.Marshal(msg)
	require.NoError(e.t, err)
	e.wmu.Lock()
	defer e.wmu.Unlock()
	_, err = fmt.Fprintf(e.conn, "Content-Length: %d\r\n\r\n%s", len(b), b)
	require.NoError(e.t, err)
}

// call sends a request and returns its result, decoded as generic JSON.
func (e *editor) call(method string, params any) any {
	e.t.Helper()
	e.mu.Lock()
	e.nextID++
	id := e.nextID
	ch := make(chan wire, 1)
	e.waiting[id] = ch
	e.mu.Unlock()
	msg := map[string]any{"jsonrpc": "2.0", "id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	e.send(msg)
	select {
	case m := <-ch:
		require.Nil(e.t, m.Error, "%s failed", method)
		return decode(e.t, m.Result)
	case <-time.After(10 * time.Second):
		e.t.Fatalf("no reply to %s", method)
		return nil
	}
}

func (e *editor) notify(method string, params any) {
	e.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// diagnostics waits for the next diagnostics published for uri.
func (e *editor) diagnostics(uri string) any {
	e.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case m, ok := <-e.notes:
			if !ok {
				e.t.Fatal("connection closed")
			}
			if m.Method != "textDocument/publishDiagnostics" {
				continue
			}
			p := decode(e.t, m.Params).(map[string]any)
			if p["uri"] == uri {
				return p["diagnostics"]
			}
		case <-timeout:
			e.t.Fatalf("no diagnostics for %s", uri)
			return nil
		}
	}
}

func decode(t *testing.T, b json.RawMessage) any {
	t.Helper()
	if len(b) == 0 {
		return nil
	}
	var v any
	require.NoError(t, json.Unmarshal(b, &v))
	return v
}

// js decodes a JSON literal written in a test, so that expectations read as
// the wire format does.
func js(t *testing.T, s string) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(s), &v), s)
	return v
}

func same(t *testing.T, what string, want, got any) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}
