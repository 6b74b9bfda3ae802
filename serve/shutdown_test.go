package serve

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

// slowCaller answers a custom action after started is closed and release
// is.
type slowCaller struct {
	started chan struct{}
	release chan struct{}
	once    sync.Once
}

func (c *slowCaller) Call(ctx context.Context, req runtime.CallRequest) (runtime.CallResponse, error) {
	c.once.Do(func() { close(c.started) })
	<-c.release
	return runtime.CallResponse{StatusCode: 200, Body: "{}"}, nil
}

// TestShutdownFinishesTurnsInFlight: a turn running when the server is
// asked to stop runs to its end and is answered; the next message is
// refused with shutting_down; readyz says so; a reloaded plan serves only
// new turns.
func TestShutdownFinishesTurnsInFlight(t *testing.T) {
	plan := &ir.Plan{Version: ir.Version, Language: "en",
		Workspace: &ir.Workspace{Name: "T", Tags: []string{"Seen"},
			CustomActions: []ir.CustomAction{{Name: "slow", URL: "https://api.example.com/slow"}}},
		Scenarios: []ir.Scenario{{ID: "s1", Condition: ir.Condition{Always: true},
			Actions: []ir.Action{{Kind: ir.KindCall, ActionName: "slow"}, {Kind: ir.KindUpdateTags, Add: []string{"Seen"}}}}}}
	b := runtime.NewMemoryBackend()
	caller := &slowCaller{started: make(chan struct{}), release: make(chan struct{})}
	e, err := runtime.New(plan, runtime.Options{Backend: b, Caller: caller, CallTimeout: time.Minute})
	require.NoError(t, err)
	s, err := New(Config{Backend: b, Token: testToken}, e)
	require.NoError(t, err)
	firstHash := s.PlanHash()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	hs := &http.Server{Handler: s}
	go func() { _ = hs.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	post := func(conv, id string) (*http.Response, error) {
		req, _ := http.NewRequest("POST", url+"/v1/conversations/"+conv+"/messages", strings.NewReader(`{"messageId":"`+id+`","text":"hello"}`))
		req.Header.Set("Authorization", "Bearer "+testToken)
		return http.DefaultClient.Do(req)
	}
	type turnJSON struct {
		PlanHash string `json:"planHash"`
		Actions  []struct {
			Status string `json:"status"`
		} `json:"actions"`
	}
	type result struct {
		code int
		turn turnJSON
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := post("c1", "m1")
		if err != nil {
			done <- result{err: err}
			return
		}
		defer resp.Body.Close()
		var v turnJSON
		err = json.NewDecoder(resp.Body).Decode(&v)
		done <- result{code: resp.StatusCode, turn: v, err: err}
	}()
	<-caller.started

	// A new plan arrives while the turn runs: the turn keeps its own.
	plan2 := *plan
	plan2.Guidance = []string{"Be brief."}
	e2, err := runtime.New(&plan2, runtime.Options{Backend: b, Caller: caller})
	require.NoError(t, err)
	require.NoError(t, s.SetEngine(e2))
	assert.NotEqual(t, firstHash, s.PlanHash())

	s.Drain()
	shut := make(chan error, 1)
	go func() { shut <- hs.Shutdown(context.Background()) }()
	r := do(t, s, "GET", "/readyz", "", "")
	assert.Equal(t, http.StatusServiceUnavailable, r.code)
	r = do(t, s, "POST", "/v1/conversations/c2/messages", testToken, `{"messageId":"m1","text":"hello"}`)
	assert.Equal(t, http.StatusServiceUnavailable, r.code)
	assert.Contains(t, string(r.body), CodeShuttingDown)

	select {
	case <-shut:
		t.Fatal("the server stopped before its turn finished")
	case <-time.After(50 * time.Millisecond):
	}
	close(caller.release)
	res := <-done
	require.NoError(t, res.err)
	assert.Equal(t, http.StatusOK, res.code)
	assert.Equal(t, firstHash, res.turn.PlanHash, "the turn ran on the plan it started with")
	require.Len(t, res.turn.Actions, 2)
	assert.Equal(t, runtime.OK, res.turn.Actions[1].Status, "the chain ran to its end")
	require.NoError(t, <-shut)
	s.Wait()
	c, err := b.Contact(context.Background(), "c1")
	require.NoError(t, err)
	assert.Equal(t, []string{"Seen"}, c.Tags)
}

// TestDisconnectDoesNotCutTheTurn: a client that goes away while its turn
// runs does not cut the chain short: every action runs.
func TestDisconnectDoesNotCutTheTurn(t *testing.T) {
	plan := &ir.Plan{Version: ir.Version, Language: "en",
		Workspace: &ir.Workspace{Name: "T", Tags: []string{"Seen"},
			CustomActions: []ir.CustomAction{{Name: "slow", URL: "https://api.example.com/slow"}}},
		Scenarios: []ir.Scenario{{ID: "s1", Condition: ir.Condition{Always: true},
			Actions: []ir.Action{{Kind: ir.KindCall, ActionName: "slow"}, {Kind: ir.KindUpdateTags, Add: []string{"Seen"}}}}}}
	b := runtime.NewMemoryBackend()
	caller := &slowCaller{started: make(chan struct{}), release: make(chan struct{})}
	e, err := runtime.New(plan, runtime.Options{Backend: b, Caller: caller})
	require.NoError(t, err)
	s, err := New(Config{Backend: b, Token: testToken}, e)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequestWithContext(ctx, "POST", "/v1/conversations/c1/messages", strings.NewReader(`{"messageId":"m1","text":"hello"}`))
	req.Header.Set("Authorization", "Bearer "+testToken)
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { s.ServeHTTP(w, req); close(done) }()
	<-caller.started
	cancel() // the client is gone
	close(caller.release)
	<-done
	assert.Equal(t, http.StatusOK, w.Code, w.Body.String())
	c, err := b.Contact(context.Background(), "c1")
	require.NoError(t, err)
	assert.Equal(t, []string{"Seen"}, c.Tags, "the step after the call ran")
}
