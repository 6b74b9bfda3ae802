package crashtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/internal/pgtest"
	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/pgbackend"
	"github.com/instrc/instrc/runtime/sqlitebackend"
)

// The child process's environment.
const (
	envMode = "INSTRC_CRASH_CHILD" // "turn" or "load"
	envKind = "INSTRC_CRASH_KIND"  // "sqlite" or "postgres"
	envDSN  = "INSTRC_CRASH_DSN"
	envAPI  = "INSTRC_CRASH_API"
	envProc = "INSTRC_CRASH_PROC"
)

// lease is short so that the redelivery does not wait long for the killed
// process's lock.
const lease = time.Second

func TestMain(m *testing.M) {
	switch os.Getenv(envMode) {
	case "turn":
		os.Exit(childTurn())
	case "load":
		os.Exit(childLoad())
	}
	os.Exit(pgtest.Main(m))
}

// backend is what the tests use of a bundled backend.
type backend interface {
	runtime.Backend
	runtime.Seeder
	runtime.Recorder
	runtime.Outbox
	Close() error
}

func open(kind, dsn string) (backend, error) { return openLease(kind, dsn, lease) }

// openLease opens a backend whose turn locks last l (0: the default).
func openLease(kind, dsn string, l time.Duration) (backend, error) {
	if kind == "postgres" {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return pgbackend.Open(ctx, dsn, pgbackend.Options{Lease: l})
	}
	return sqlitebackend.OpenWith(dsn, sqlitebackend.Options{Lease: l})
}

// plan assigns to Sales Team by round robin, calls the host's notify API,
// then writes a comment.
func plan(api string) *ir.Plan {
	return &ir.Plan{Version: ir.Version, Language: "en",
		Workspace: &ir.Workspace{Name: "Crash",
			Teams:                []ir.Team{{Name: "Sales Team", Members: []string{"alice", "bob"}}},
			AllowPrivateNetworks: []string{"127.0.0.0/8"},
			CustomActions:        []ir.CustomAction{{Name: "notify", Method: "POST", URL: api + "/notify"}}},
		Scenarios: []ir.Scenario{{ID: "s1", Condition: ir.Condition{Always: true}, Actions: []ir.Action{
			{Kind: ir.KindAssign, Target: &ir.Target{Type: ir.TargetTeam, Name: "Sales Team"}, Method: ir.MethodRoundRobin},
			{Kind: ir.KindCall, ActionName: "notify"},
			{Kind: ir.KindAddComment, Text: "Escalated to sales"},
		}}}}
}

// loadPlan assigns to Sales Team by round robin and writes a comment.
func loadPlan() *ir.Plan {
	p := plan("http://127.0.0.1:1")
	p.Scenarios[0].Actions = slices.Delete(p.Scenarios[0].Actions, 1, 2)
	return p
}

func engine(b runtime.Backend, api string) (*runtime.Engine, error) {
	return runtime.New(plan(api), runtime.Options{Backend: b, Caller: runtime.NewHTTPCaller(runtime.HTTPCallerOptions{})})
}

var input = runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "I want to talk to sales"}

// childTurn runs the turn that the parent kills during its call.
func childTurn() int {
	b, err := open(os.Getenv(envKind), os.Getenv(envDSN))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	e, err := engine(b, os.Getenv(envAPI))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	_, err = e.Turn(context.Background(), input)
	fmt.Fprintln(os.Stderr, "the turn ended, it should have been killed:", err)
	return 3
}

// api is the host's notify API: it records the Idempotency-Key of every
// request and runs each key once. The first request never gets an answer:
// the parent kills the caller meanwhile.
type api struct {
	mu     sync.Mutex
	keys   []string
	ran    map[string]int
	called chan struct{}
}

func (a *api) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	key := r.Header.Get("Idempotency-Key")
	a.keys = append(a.keys, key)
	first := len(a.keys) == 1
	if !first && a.ran[key] == 0 {
		a.ran[key]++
	}
	a.mu.Unlock()
	if first {
		close(a.called)
		<-r.Context().Done()
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"ok":true}`)
}

func TestKilledMidChainSQLite(t *testing.T) {
	killedMidChain(t, "sqlite", filepath.Join(t.TempDir(), "instrc.db"))
}

func TestKilledMidChainPostgres(t *testing.T) {
	killedMidChain(t, "postgres", pgtest.Database(t))
}

// killedMidChain kills a process with SIGKILL while its turn waits for the
// call (step 2 of 3), then delivers the message again.
func killedMidChain(t *testing.T, kind, dsn string) {
	ctx := context.Background()
	a := &api{ran: map[string]int{}, called: make(chan struct{})}
	srv := httptest.NewServer(a)
	defer srv.Close()

	b, err := open(kind, dsn)
	require.NoError(t, err)
	defer b.Close()
	require.NoError(t, runtime.SeedWorkspace(ctx, b, plan(srv.URL).Workspace))

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envMode+"=turn", envKind+"="+kind, envDSN+"="+dsn, envAPI+"="+srv.URL)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	select {
	case <-a.called:
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the child never called the API: %s", stderr.String())
	}
	require.NoError(t, cmd.Process.Kill()) // SIGKILL
	_ = cmd.Wait()

	// The assignment is recorded; the message is not processed.
	c, err := b.Conversation(ctx, "c1")
	require.NoError(t, err)
	require.NotNil(t, c.Assignee)
	assert.Equal(t, "alice", c.Assignee.Name)
	comments, err := b.Comments(ctx, "c1")
	require.NoError(t, err)
	assert.Empty(t, comments)

	e, err := engine(b, srv.URL)
	require.NoError(t, err)
	r, err := e.Turn(ctx, input)
	require.NoError(t, err)
	assert.False(t, r.Duplicate, "the killed turn did not commit")
	var statuses []string
	for _, o := range r.Actions {
		statuses = append(statuses, o.Status)
	}
	assert.Equal(t, []string{runtime.OK, runtime.OK, runtime.OK}, statuses)
	assert.Equal(t, 1, r.Resumed, "the assignment came from the killed attempt")
	assert.Equal(t, "alice", r.Actions[0].Assignee.Name)
	assert.True(t, r.ReplySent)
	assert.Greater(t, r.LockWait, time.Duration(0), "the redelivery waited for the killed process's lease")
	t.Logf("%s: the redelivery waited %s for the killed turn's lock (lease %s)", kind, r.LockWait.Round(time.Millisecond), lease)

	comments, err = b.Comments(ctx, "c1")
	require.NoError(t, err)
	assert.Len(t, comments, 1, "the comment was written once")
	key := "instrc-" + runtime.ActionKey("c1", "m1", 1)
	assert.Equal(t, []string{key, key}, a.keys, "the call was resent under the same Idempotency-Key")
	assert.Equal(t, map[string]int{key: 1}, a.ran)

	events, err := b.ClaimEvents(ctx, 10, time.Minute)
	require.NoError(t, err)
	var types []string
	for _, ev := range events {
		types = append(types, ev.Type)
	}
	sort.Strings(types)
	assert.Equal(t, []string{"action.add_comment", "action.assign", "action.call"}, types, "one event per action")

	again, err := e.Turn(ctx, input)
	require.NoError(t, err)
	assert.True(t, again.Duplicate)
	next, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c2", ContactID: "p2", MessageID: "m1", Text: "sales please"})
	require.NoError(t, err)
	assert.Equal(t, "bob", next.Actions[0].Assignee.Name, "the round-robin cursor moved once for c1")
}

// loadReport is what a load child prints.
type loadReport struct {
	Turns     int
	Errors    []string
	LockWaits []time.Duration
	Latencies []time.Duration
	Elapsed   time.Duration
}

const (
	loadGoroutines = 8
	loadTurns      = 20
	loadConvs      = 12
)

// childLoad runs loadGoroutines goroutines of loadTurns turns each on
// conversations shared with the other process.
func childLoad() int {
	// The default lease: a turn that waits seconds for a busy file (the
	// race detector slows everything down) keeps its lock.
	b, err := openLease("sqlite", os.Getenv(envDSN), 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer b.Close()
	e, err := runtime.New(loadPlan(), runtime.Options{Backend: b})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	proc := os.Getenv(envProc)
	var mu sync.Mutex
	var rep loadReport
	var wg sync.WaitGroup
	start := time.Now()
	for g := range loadGoroutines {
		wg.Go(func() {
			for i := range loadTurns {
				conv := fmt.Sprintf("c%d", (g*loadTurns+i)%loadConvs)
				t0 := time.Now()
				r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: conv, ContactID: "p-" + conv,
					MessageID: fmt.Sprintf("%s-g%d-%d", proc, g, i), Text: "sales please"})
				mu.Lock()
				if err != nil {
					rep.Errors = append(rep.Errors, err.Error())
				} else {
					rep.Turns++
					rep.LockWaits = append(rep.LockWaits, r.LockWait)
					rep.Latencies = append(rep.Latencies, time.Since(t0))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	if err := json.NewEncoder(os.Stdout).Encode(rep); err != nil {
		return 2
	}
	return 0
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// TestTwoProcessesOneSQLiteFile runs two processes of eight goroutines each
// on one SQLite file, on shared conversations: every turn commits (no
// "database is locked"), the round-robin cursor counts every assignment (no
// lost update) and spreads them evenly, every message is processed once.
func TestTwoProcessesOneSQLiteFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "instrc.db")
	b, err := open("sqlite", path)
	require.NoError(t, err)
	defer b.Close()
	require.NoError(t, runtime.SeedWorkspace(ctx, b, plan("").Workspace))

	type child struct {
		cmd    *exec.Cmd
		out    strings.Builder
		stderr strings.Builder
	}
	var children []*child
	for p := range 2 {
		c := &child{cmd: exec.Command(os.Args[0], "-test.run=^$")}
		c.cmd.Env = append(os.Environ(), envMode+"=load", envDSN+"="+path, fmt.Sprintf("%s=p%d", envProc, p))
		c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.stderr
		require.NoError(t, c.cmd.Start())
		children = append(children, c)
	}
	var all loadReport
	for _, c := range children {
		require.NoError(t, c.cmd.Wait(), c.stderr.String())
		var rep loadReport
		require.NoError(t, json.Unmarshal([]byte(c.out.String()), &rep), c.out.String())
		all.Turns += rep.Turns
		all.Errors = append(all.Errors, rep.Errors...)
		all.LockWaits = append(all.LockWaits, rep.LockWaits...)
		all.Latencies = append(all.Latencies, rep.Latencies...)
		all.Elapsed = max(all.Elapsed, rep.Elapsed)
	}
	total := 2 * loadGoroutines * loadTurns
	require.Empty(t, all.Errors, "no turn may fail")
	require.Equal(t, total, all.Turns)

	// Every assignment is in the outbox once, and the cursor counted each.
	counts := map[string]int{}
	for {
		events, err := b.ClaimEvents(ctx, 500, time.Hour)
		require.NoError(t, err)
		if len(events) == 0 {
			break
		}
		for _, ev := range events {
			if ev.Type != "action.assign" {
				continue
			}
			var p runtime.EventPayload
			require.NoError(t, json.Unmarshal(ev.Payload, &p))
			counts[p.Assignee.Name]++
		}
	}
	assert.Equal(t, total, counts["alice"]+counts["bob"], "one assignment per turn: %v", counts)
	assert.LessOrEqual(t, abs(counts["alice"]-counts["bob"]), 1, "round robin spread: %v", counts)
	e, err := runtime.New(loadPlan(), runtime.Options{Backend: b})
	require.NoError(t, err)
	next, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "after", MessageID: "m1", Text: "sales"})
	require.NoError(t, err)
	want := "alice"
	if total%2 == 1 {
		want = "bob"
	}
	assert.Equal(t, want, next.Actions[0].Assignee.Name, "the cursor moved once per assignment")
	comments := 0
	for i := range loadConvs {
		cs, err := b.Comments(ctx, fmt.Sprintf("c%d", i))
		require.NoError(t, err)
		comments += len(cs)
	}
	assert.Equal(t, total, comments)
	t.Logf("2 processes x %d goroutines, %d turns on %d conversations in %s (%.0f turns/s): latency p50 %s p99 %s max %s; lock wait p50 %s p99 %s max %s",
		loadGoroutines, total, loadConvs, all.Elapsed.Round(time.Millisecond), float64(total)/all.Elapsed.Seconds(),
		pct(all.Latencies, .5).Round(time.Microsecond), pct(all.Latencies, .99).Round(time.Microsecond), pct(all.Latencies, 1).Round(time.Microsecond),
		pct(all.LockWaits, .5).Round(time.Microsecond), pct(all.LockWaits, .99).Round(time.Microsecond), pct(all.LockWaits, 1).Round(time.Microsecond))
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
