// Package backendtest is the conformance suite every runtime.Backend must
// pass. The bundled backends run it; a host writing its own backend runs it
// too:
//
//	func TestConformance(t *testing.T) {
//		backendtest.Run(t, func(t *testing.T) backendtest.Backend { return newMyBackend(t) })
//	}
package backendtest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

// Backend is what the suite needs: the runtime interface plus seeding,
// reading back what was recorded, and the outbox.
type Backend interface {
	runtime.Backend
	runtime.Seeder
	runtime.Recorder
	runtime.Outbox
}

// LockExpirer is implemented by backends whose turn locks can be lost (a
// lease that ends): ExpireTurnLocks takes every lock away from the turn
// holding it, as another replica would after the lease. The suite then
// checks fencing: the old turn can neither record a step nor commit.
type LockExpirer interface {
	ExpireTurnLocks(ctx context.Context) error
}

// Run runs every conformance test; open must return a new, empty backend.
func Run(t *testing.T, open func(t *testing.T) Backend) {
	tests := []struct {
		name string
		f    func(*testing.T, Backend)
	}{
		{"UnknownReadsAsNew", unknownReadsAsNew},
		{"MessageProcessedOnlyWhenCommitted", processedWhenCommitted},
		{"BeginTurnReopensClosed", beginTurnReopens},
		{"StepsAppliedOnceAcrossAttempts", stepsOnce},
		{"Effects", effects},
		{"RoundRobinInOrder", roundRobinInOrder},
		{"LeastOpen", leastOpen},
		{"NoMembers", noMembers},
		{"PutContactReplaces", putContactReplaces},
		{"PutConversation", putConversation},
		{"ConcurrentRoundRobinIsFair", concurrentRoundRobin},
		{"ConcurrentRedeliveryRunsOnce", concurrentRedelivery},
		{"OneTurnAtATime", oneTurnAtATime},
		{"ArrivalOrder", arrivalOrder},
		{"ArrivalOrderFixedWhenQueued", arrivalOrderQueued},
		{"ContactAsOfTheMessage", contactAsOfMessage},
		{"WaitEndsWithContext", waitEndsWithContext},
		{"Fencing", fencing},
		{"Outbox", outbox},
		{"ConcurrentClaimsAreDisjoint", concurrentClaims},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.f(t, open(t)) })
	}
}

func diff(t *testing.T, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("mismatch (-want +got):\n%s", d)
	}
}

func in(conv, msg string) runtime.Inbound {
	return runtime.Inbound{ConversationID: conv, ContactID: "p-" + conv, MessageID: msg}
}

func begin(t *testing.T, b Backend, conv, msg string) runtime.TurnTx {
	t.Helper()
	tx, err := b.BeginTurn(context.Background(), in(conv, msg))
	require.NoError(t, err)
	return tx
}

// step is a step applying e with an ok record.
func step(i int, e runtime.Effect) runtime.Step {
	return runtime.Step{Index: i, Action: ir.Action{Kind: kindOf(e)}, Effect: e, Record: runtime.StepRecord{Status: runtime.OK}}
}

func kindOf(e runtime.Effect) string {
	if e.Kind == "" {
		return ir.KindCall
	}
	return e.Kind
}

// act runs one committed turn of message msg on conv whose steps apply effs.
func act(t *testing.T, b Backend, conv, msg string, effs ...runtime.Effect) []runtime.StepRecord {
	t.Helper()
	ctx := context.Background()
	tx := begin(t, b, conv, msg)
	require.False(t, tx.Duplicate(), "message %s on %s", msg, conv)
	var out []runtime.StepRecord
	for i, e := range effs {
		r, err := tx.Apply(ctx, step(i, e))
		require.NoError(t, err)
		out = append(out, r)
	}
	require.NoError(t, tx.Commit(ctx, runtime.TurnRecord{}))
	return out
}

func assignTeam(team, method string) runtime.Effect {
	return runtime.Effect{Kind: ir.KindAssign, Team: team, Method: method}
}

func unknownReadsAsNew(t *testing.T, b Backend) {
	ctx := context.Background()
	c, err := b.Conversation(ctx, "nope")
	require.NoError(t, err)
	diff(t, runtime.Conversation{ID: "nope", Status: runtime.StatusOpen}, c)
	ct, err := b.Contact(ctx, "nobody")
	require.NoError(t, err)
	diff(t, runtime.Contact{ID: "nobody", Fields: map[string]string{}}, ct)
	members, err := b.TeamMembers(ctx, "Ghost Team")
	require.NoError(t, err)
	require.Empty(t, members)
	events, err := b.ClaimEvents(ctx, 10, time.Minute)
	require.NoError(t, err)
	require.Empty(t, events)
}

func processedWhenCommitted(t *testing.T, b Backend) {
	ctx := context.Background()
	tx := begin(t, b, "c1", "m1")
	require.False(t, tx.Duplicate())
	diff(t, runtime.Conversation{ID: "c1", ContactID: "p-c1", Status: runtime.StatusOpen}, tx.Conversation())
	require.Empty(t, tx.Recorded())
	require.NoError(t, tx.Commit(ctx, runtime.TurnRecord{Scenario: "s1", Reply: "ok", ReplySent: true, PlanHash: "abc"}))
	require.True(t, begin(t, b, "c1", "m1").Duplicate(), "a committed message is a duplicate")
	require.False(t, begin(t, b, "c2", "m1").Duplicate(), "message ids are per conversation")

	// An aborted turn leaves the message free to be delivered again.
	tx = begin(t, b, "c3", "m2")
	require.False(t, tx.Duplicate())
	require.NoError(t, tx.Abort(ctx))
	tx = begin(t, b, "c3", "m2")
	require.False(t, tx.Duplicate(), "an aborted message is not processed")
	require.NoError(t, tx.Commit(ctx, runtime.TurnRecord{}))
	require.True(t, begin(t, b, "c3", "m2").Duplicate())
}

func beginTurnReopens(t *testing.T, b Backend) {
	ctx := context.Background()
	act(t, b, "c1", "m1", runtime.Effect{Kind: ir.KindClose, Closing: runtime.Closing{Note: "Issue Resolved", Summary: "done"}})
	// A redelivery of the message that led to the close does not reopen.
	require.True(t, begin(t, b, "c1", "m1").Duplicate())
	c, err := b.Conversation(ctx, "c1")
	require.NoError(t, err)
	require.Equal(t, runtime.StatusClosed, c.Status)
	// A new inbound message does.
	tx := begin(t, b, "c1", "m2")
	require.False(t, tx.Duplicate())
	diff(t, runtime.Conversation{ID: "c1", ContactID: "p-c1", Status: runtime.StatusOpen}, tx.Conversation())
	require.NoError(t, tx.Commit(ctx, runtime.TurnRecord{}))
}

func stepsOnce(t *testing.T, b Backend) {
	ctx := context.Background()
	require.NoError(t, b.SetTeam(ctx, "Sales Team", []string{"alice", "bob"}))
	tx := begin(t, b, "c1", "m1")
	choice := &runtime.TurnChoice{Scenario: "s2", Why: "matched", Fields: map[string]string{"Budget": "5"}}
	s0 := step(0, assignTeam("Sales Team", ir.MethodRoundRobin))
	s0.Record.Choice = choice
	r0, err := tx.Apply(ctx, s0)
	require.NoError(t, err)
	diff(t, &runtime.Assignee{Type: ir.TargetUser, Name: "alice", Team: "Sales Team"}, r0.Assignee)
	r1, err := tx.Apply(ctx, step(1, runtime.Effect{Kind: ir.KindClose, Closing: runtime.Closing{Note: "Spam"}}))
	require.NoError(t, err)
	// The process dies here: the turn ends without committing.
	require.NoError(t, tx.Abort(ctx))

	tx = begin(t, b, "c1", "m1")
	require.False(t, tx.Duplicate())
	want := []runtime.StepRecord{
		{Index: 0, Status: runtime.OK, Assignee: &runtime.Assignee{Type: ir.TargetUser, Name: "alice", Team: "Sales Team"}, Choice: choice},
		{Index: 1, Status: runtime.OK},
	}
	diff(t, want, tx.Recorded())
	diff(t, want[1], r1)
	require.Equal(t, runtime.StatusClosed, tx.Conversation().Status, "a message whose steps began does not reopen what they closed")
	// Applying a recorded step again returns its record and writes nothing.
	again, err := tx.Apply(ctx, step(0, assignTeam("Sales Team", ir.MethodRoundRobin)))
	require.NoError(t, err)
	diff(t, want[0], again)
	r2, err := tx.Apply(ctx, step(2, runtime.Effect{Kind: ir.KindUpdateLifecycle, Stage: "Qualified"}))
	require.NoError(t, err)
	require.Equal(t, 2, r2.Index)
	require.NoError(t, tx.Commit(ctx, runtime.TurnRecord{}))

	// The cursor moved once: the next conversation goes to bob.
	recs := act(t, b, "c2", "m1", assignTeam("Sales Team", ir.MethodRoundRobin))
	require.Equal(t, "bob", recs[0].Assignee.Name)
	events, err := b.ClaimEvents(ctx, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, events, 4, "one event per step, none for a step applied twice")
}

func effects(t *testing.T, b Backend) {
	ctx := context.Background()
	carol := runtime.Assignee{Type: ir.TargetUser, Name: "carol"}
	bot := runtime.Assignee{Type: ir.TargetAIAgent, Name: "Billing Bot"}
	act(t, b, "c1", "m1",
		runtime.Effect{Kind: ir.KindAssign, Assignee: &carol},
		runtime.Effect{Kind: ir.KindUpdateFields, Fields: map[string]string{"Budget": "5000", "phone": "+33612345678"}},
		runtime.Effect{Kind: ir.KindUpdateFields, Fields: map[string]string{"Budget": "7000"}},
		runtime.Effect{Kind: ir.KindUpdateLifecycle, Stage: "Qualified"},
		runtime.Effect{Kind: ir.KindUpdateTags, AddTags: []string{"VIP", "Pricing"}},
		runtime.Effect{Kind: ir.KindUpdateTags, AddTags: []string{"Pricing", "Refund"}, RemoveTags: []string{"VIP", "Interested"}},
		runtime.Effect{Kind: ir.KindAddComment, Comment: &runtime.Comment{ConversationID: "c1", Text: "first", Mentions: []string{"carol"}}},
		runtime.Effect{Kind: ir.KindAddComment, Comment: &runtime.Comment{ConversationID: "c1", Text: "second"}},
		runtime.Effect{Kind: ir.KindTriggerWorkflow, Workflow: &runtime.WorkflowEvent{ConversationID: "c1", ContactID: "p-c1", Workflow: "refund_processing"}},
		runtime.Effect{},
	)
	c, err := b.Conversation(ctx, "c1")
	require.NoError(t, err)
	diff(t, &carol, c.Assignee)
	ct, err := b.Contact(ctx, "p-c1")
	require.NoError(t, err)
	diff(t, runtime.Contact{ID: "p-c1", Fields: map[string]string{"Budget": "7000", "phone": "+33612345678"}, Lifecycle: "Qualified",
		Tags: []string{"Pricing", "Refund"}}, ct)
	cs, err := b.Comments(ctx, "c1")
	require.NoError(t, err)
	require.Len(t, cs, 2)
	require.Equal(t, "first", cs[0].Text)
	require.Equal(t, []string{"carol"}, cs[0].Mentions)
	require.Equal(t, "second", cs[1].Text)
	require.Empty(t, cs[1].Mentions)
	es, err := b.WorkflowEvents(ctx, "c1")
	require.NoError(t, err)
	diff(t, []runtime.WorkflowEvent{{ConversationID: "c1", ContactID: "p-c1", Workflow: "refund_processing"}}, es)

	act(t, b, "c1", "m2", runtime.Effect{Kind: ir.KindAssign, Assignee: &bot})
	c, err = b.Conversation(ctx, "c1")
	require.NoError(t, err)
	diff(t, &bot, c.Assignee)
	act(t, b, "c1", "m3", runtime.Effect{Kind: ir.KindUnassign}, runtime.Effect{Kind: ir.KindClose, Closing: runtime.Closing{Note: "Issue Resolved", Summary: "Contact: thanks"}})
	c, err = b.Conversation(ctx, "c1")
	require.NoError(t, err)
	diff(t, runtime.Conversation{ID: "c1", ContactID: "p-c1", Status: runtime.StatusClosed, ClosingNote: "Issue Resolved", Summary: "Contact: thanks"}, c)
	other, err := b.Contact(ctx, "p2")
	require.NoError(t, err)
	diff(t, runtime.Contact{ID: "p2", Fields: map[string]string{}}, other)
}

func roundRobinInOrder(t *testing.T, b Backend) {
	ctx := context.Background()
	require.NoError(t, b.SetTeam(ctx, "Sales Team", []string{"alice", "bob", "carol"}))
	require.NoError(t, b.SetTeam(ctx, "Support", []string{"dave", "erin"}))
	members, err := b.TeamMembers(ctx, "Sales Team")
	require.NoError(t, err)
	diff(t, []string{"alice", "bob", "carol"}, members)

	var got []string
	for i := range 7 {
		team := "Sales Team"
		if i == 3 {
			team = "Support" // another team's cursor is independent
		}
		recs := act(t, b, fmt.Sprintf("c%d", i), "m1", assignTeam(team, ir.MethodRoundRobin))
		got = append(got, recs[0].Assignee.Name)
	}
	diff(t, []string{"alice", "bob", "carol", "dave", "alice", "bob", "carol"}, got)
	c, err := b.Conversation(ctx, "c3")
	require.NoError(t, err)
	diff(t, &runtime.Assignee{Type: ir.TargetUser, Name: "dave", Team: "Support"}, c.Assignee)
}

func leastOpen(t *testing.T, b Backend) {
	ctx := context.Background()
	require.NoError(t, b.SetTeam(ctx, "Sales Team", []string{"alice", "bob", "carol"}))
	require.NoError(t, b.SetBaseLoad(ctx, "alice", 2))
	require.NoError(t, b.SetBaseLoad(ctx, "bob", 1))
	// carol 0, bob 1, alice 2 → carol, then carol/bob tie at 1 → bob (team
	// order), then carol, then alice/bob/carol tie at 2 → alice.
	var got []string
	for i := range 4 {
		recs := act(t, b, fmt.Sprintf("c%d", i), "m1", assignTeam("Sales Team", ir.MethodLeastOpen))
		got = append(got, recs[0].Assignee.Name)
	}
	diff(t, []string{"carol", "bob", "carol", "alice"}, got)
	open, err := b.OpenCounts(ctx, []string{"alice", "bob", "carol"})
	require.NoError(t, err)
	diff(t, map[string]int{"alice": 3, "bob": 2, "carol": 2}, open)

	// Closed conversations do not count.
	act(t, b, "c0", "m2", runtime.Effect{Kind: ir.KindClose})
	act(t, b, "c2", "m2", runtime.Effect{Kind: ir.KindClose})
	open, err = b.OpenCounts(ctx, []string{"carol"})
	require.NoError(t, err)
	diff(t, map[string]int{"carol": 0}, open)
}

func noMembers(t *testing.T, b Backend) {
	ctx := context.Background()
	tx := begin(t, b, "c1", "m1")
	for _, method := range []string{ir.MethodRoundRobin, ir.MethodLeastOpen} {
		_, err := tx.Apply(ctx, step(0, assignTeam("Empty Team", method)))
		require.ErrorIs(t, err, runtime.ErrNoMembers, method)
	}
	// Nothing was recorded: the step can be recorded as failed.
	r, err := tx.Apply(ctx, runtime.Step{Index: 0, Action: ir.Action{Kind: ir.KindAssign}, Record: runtime.StepRecord{Status: runtime.Failed, Reason: "no members"}})
	require.NoError(t, err)
	diff(t, runtime.StepRecord{Index: 0, Status: runtime.Failed, Reason: "no members"}, r)
	require.NoError(t, tx.Commit(ctx, runtime.TurnRecord{}))
	c, err := b.Conversation(ctx, "c1")
	require.NoError(t, err)
	require.Nil(t, c.Assignee)
}

func putContactReplaces(t *testing.T, b Backend) {
	ctx := context.Background()
	act(t, b, "c1", "m1", runtime.Effect{Kind: ir.KindUpdateFields, Fields: map[string]string{"Old": "x"}},
		runtime.Effect{Kind: ir.KindUpdateTags, AddTags: []string{"VIP"}})
	c0 := runtime.Contact{ID: "p-c1", Fields: map[string]string{"Budget": "100"}, Lifecycle: "New Lead", Tags: []string{"Pricing"}}
	require.NoError(t, b.PutContact(ctx, c0))
	c, err := b.Contact(ctx, "p-c1")
	require.NoError(t, err)
	diff(t, c0, c)
	c0.Fields["Budget"] = "mutated after the call"
	c, err = b.Contact(ctx, "p-c1")
	require.NoError(t, err)
	require.Equal(t, "100", c.Fields["Budget"], "the backend must keep its own copy")
}

func putConversation(t *testing.T, b Backend) {
	ctx := context.Background()
	want := runtime.Conversation{ID: "c1", ContactID: "p1", Status: runtime.StatusClosed, Assignee: &runtime.Assignee{Type: ir.TargetUser, Name: "bob"},
		ClosingNote: "Spam", Summary: "s"}
	require.NoError(t, b.PutConversation(ctx, want))
	c, err := b.Conversation(ctx, "c1")
	require.NoError(t, err)
	diff(t, want, c)
	require.NoError(t, b.PutConversation(ctx, runtime.Conversation{ID: "c1", ContactID: "p1"}))
	c, err = b.Conversation(ctx, "c1")
	require.NoError(t, err)
	diff(t, runtime.Conversation{ID: "c1", ContactID: "p1", Status: runtime.StatusOpen}, c)
}

func concurrentRoundRobin(t *testing.T, b Backend) {
	ctx := context.Background()
	members := []string{"alice", "bob", "carol", "dave"}
	require.NoError(t, b.SetTeam(ctx, "Sales Team", members))
	const n = 62
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[string]int{}
	for i := range n {
		wg.Go(func() {
			tx, err := b.BeginTurn(ctx, in(fmt.Sprintf("c%d", i), "m1"))
			if err != nil {
				t.Error(err)
				return
			}
			r, err := tx.Apply(ctx, step(0, assignTeam("Sales Team", ir.MethodRoundRobin)))
			if err == nil {
				err = tx.Commit(ctx, runtime.TurnRecord{})
			}
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			counts[r.Assignee.Name]++
			mu.Unlock()
		})
	}
	wg.Wait()
	lo, hi, total := n, 0, 0
	for _, m := range members {
		lo, hi, total = min(lo, counts[m]), max(hi, counts[m]), total+counts[m]
	}
	require.Equal(t, n, total)
	require.LessOrEqual(t, hi-lo, 1, "spread between members: %v", counts)
}

func concurrentRedelivery(t *testing.T, b Backend) {
	ctx := context.Background()
	var wg sync.WaitGroup
	var ran atomic.Int32
	for range 16 {
		wg.Go(func() {
			tx, err := b.BeginTurn(ctx, in("c1", "m1"))
			if err != nil {
				t.Error(err)
				return
			}
			if tx.Duplicate() {
				return
			}
			ran.Add(1)
			_, err = tx.Apply(ctx, step(0, runtime.Effect{Kind: ir.KindAddComment, Comment: &runtime.Comment{ConversationID: "c1", Text: "once"}}))
			if err == nil {
				err = tx.Commit(ctx, runtime.TurnRecord{})
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	require.Equal(t, int32(1), ran.Load())
	cs, err := b.Comments(ctx, "c1")
	require.NoError(t, err)
	require.Len(t, cs, 1)
}

func oneTurnAtATime(t *testing.T, b Backend) {
	ctx := context.Background()
	var wg sync.WaitGroup
	var active, most, turns atomic.Int32
	for i := range 8 {
		wg.Go(func() {
			tx, err := b.BeginTurn(ctx, in("c1", fmt.Sprintf("m%d", i)))
			if err != nil {
				t.Error(err)
				return
			}
			n := active.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(2 * time.Millisecond)
			active.Add(-1)
			turns.Add(1)
			_, err = tx.Apply(ctx, step(0, runtime.Effect{Kind: ir.KindAddComment, Comment: &runtime.Comment{ConversationID: "c1", Text: "turn"}}))
			if err == nil {
				err = tx.Commit(ctx, runtime.TurnRecord{})
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	require.Equal(t, int32(8), turns.Load())
	require.Equal(t, int32(1), most.Load(), "turns of one conversation overlapped")
}

func arrivalOrder(t *testing.T, b Backend) {
	ctx := context.Background()
	first := begin(t, b, "c1", "m1")
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	for _, msg := range []string{"m2", "m3", "m4"} {
		wg.Go(func() {
			tx, err := b.BeginTurn(ctx, in("c1", msg))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, msg)
			mu.Unlock()
			if err := tx.Commit(ctx, runtime.TurnRecord{}); err != nil {
				t.Error(err)
			}
		})
		time.Sleep(150 * time.Millisecond) // the next message arrives later
	}
	mu.Lock()
	require.Empty(t, order, "a message waits while a turn holds its conversation")
	mu.Unlock()
	require.NoError(t, first.Commit(ctx, runtime.TurnRecord{}))
	wg.Wait()
	diff(t, []string{"m2", "m3", "m4"}, order)
}

// arrivalOrderQueued checks that a message's place is fixed when it is
// enqueued (runtime.Queuer), not when its BeginTurn comes: messages
// enqueued m1, m2, m3 whose turns are asked for in the other order run
// m1, m2, m3.
func arrivalOrderQueued(t *testing.T, b Backend) {
	q, ok := b.(runtime.Queuer)
	if !ok {
		t.Skip("the backend queues a message in BeginTurn only (no runtime.Queuer)")
	}
	ctx := context.Background()
	msgs := []string{"m1", "m2", "m3"}
	for _, m := range msgs {
		require.NoError(t, q.Enqueue(ctx, in("c1", m)))
	}
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	for i, m := range slices.Backward(msgs) {
		wg.Go(func() {
			time.Sleep(time.Duration(len(msgs)-i) * 60 * time.Millisecond)
			tx, err := b.BeginTurn(ctx, in("c1", m))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, m)
			mu.Unlock()
			if err := tx.Commit(ctx, runtime.TurnRecord{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	diff(t, msgs, order)
	// Enqueued again, a message keeps its place and its status.
	require.NoError(t, q.Enqueue(ctx, in("c1", "m2")))
	require.True(t, begin(t, b, "c1", "m2").Duplicate())
}

// contactAsOfMessage checks TurnTx.Contact: the contact when the turn
// began and, for a message an earlier attempt recorded steps of, when that
// attempt began, whatever a later message wrote in between.
func contactAsOfMessage(t *testing.T, b Backend) {
	ctx := context.Background()
	require.NoError(t, b.PutContact(ctx, runtime.Contact{ID: "p-c1", Fields: map[string]string{"Plan": "Pro"}}))
	save := func(v string) runtime.Effect {
		return runtime.Effect{Kind: ir.KindUpdateFields, Fields: map[string]string{"Seq": v}}
	}
	tx := begin(t, b, "c1", "m1")
	diff(t, map[string]string{"Plan": "Pro"}, tx.Contact().Fields)
	_, err := tx.Apply(ctx, step(0, save("1")))
	require.NoError(t, err)
	// The process dies; the message's place lapses and m2 runs first.
	require.NoError(t, tx.Abort(ctx))
	tx2 := begin(t, b, "c1", "m2")
	diff(t, map[string]string{"Plan": "Pro", "Seq": "1"}, tx2.Contact().Fields)
	_, err = tx2.Apply(ctx, step(0, save("2")))
	require.NoError(t, err)
	require.NoError(t, tx2.Commit(ctx, runtime.TurnRecord{}))

	tx = begin(t, b, "c1", "m1")
	require.Len(t, tx.Recorded(), 1)
	diff(t, map[string]string{"Plan": "Pro"}, tx.Contact().Fields)
	require.NoError(t, tx.Commit(ctx, runtime.TurnRecord{}))
	c, err := b.Contact(ctx, "p-c1")
	require.NoError(t, err)
	diff(t, map[string]string{"Plan": "Pro", "Seq": "2"}, c.Fields)
}

func waitEndsWithContext(t *testing.T, b Backend) {
	ctx := context.Background()
	first := begin(t, b, "c1", "m1")
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err := b.BeginTurn(short, in("c1", "m2"))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.NoError(t, first.Commit(ctx, runtime.TurnRecord{}))
	tx := begin(t, b, "c1", "m2")
	require.False(t, tx.Duplicate(), "a message whose wait ended is free to be delivered again")
	require.NoError(t, tx.Commit(ctx, runtime.TurnRecord{}))
}

func fencing(t *testing.T, b Backend) {
	ex, ok := b.(LockExpirer)
	if !ok {
		t.Skip("the backend's turn locks cannot be lost (no LockExpirer)")
	}
	ctx := context.Background()
	old := begin(t, b, "c1", "m1")
	_, err := old.Apply(ctx, step(0, runtime.Effect{Kind: ir.KindUpdateLifecycle, Stage: "New Lead"}))
	require.NoError(t, err)
	require.NoError(t, ex.ExpireTurnLocks(ctx))
	// Another replica redelivers the message and takes the conversation.
	cur := begin(t, b, "c1", "m1")
	require.False(t, cur.Duplicate())
	require.Len(t, cur.Recorded(), 1)

	_, err = old.Apply(ctx, step(1, runtime.Effect{Kind: ir.KindUpdateLifecycle, Stage: "Churned"}))
	require.ErrorIs(t, err, runtime.ErrLockLost)
	require.ErrorIs(t, old.Commit(ctx, runtime.TurnRecord{}), runtime.ErrLockLost)

	_, err = cur.Apply(ctx, step(1, runtime.Effect{Kind: ir.KindUpdateLifecycle, Stage: "Qualified"}))
	require.NoError(t, err)
	require.NoError(t, cur.Commit(ctx, runtime.TurnRecord{}))
	ct, err := b.Contact(ctx, "p-c1")
	require.NoError(t, err)
	require.Equal(t, "Qualified", ct.Lifecycle, "the turn that lost its lock wrote nothing")
	require.True(t, begin(t, b, "c1", "m1").Duplicate())
}

func outbox(t *testing.T, b Backend) {
	ctx := context.Background()
	require.NoError(t, b.SetTeam(ctx, "Sales Team", []string{"alice"}))
	act(t, b, "c1", "m1", assignTeam("Sales Team", ir.MethodRoundRobin), runtime.Effect{Kind: ir.KindUpdateLifecycle, Stage: "Qualified"})
	act(t, b, "c2", "m1", runtime.Effect{})

	events, err := b.ClaimEvents(ctx, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, events, 3)
	type summary struct {
		ID, Conv, Type string
		Attempts       int
	}
	var got []summary
	for _, e := range events {
		got = append(got, summary{e.ID, e.ConversationID, e.Type, e.Attempts})
		require.WithinDuration(t, time.Now(), e.CreatedAt, time.Minute)
	}
	slices.SortFunc(got, func(a, b summary) int { return strings.Compare(a.Conv+a.Type, b.Conv+b.Type) })
	diff(t, []summary{
		{"evt_" + runtime.ActionKey("c1", "m1", 0), "c1", "action.assign", 1},
		{"evt_" + runtime.ActionKey("c1", "m1", 1), "c1", "action.update_lifecycle", 1},
		{"evt_" + runtime.ActionKey("c2", "m1", 0), "c2", "action.call", 1},
	}, got)
	var p runtime.EventPayload
	for _, e := range events {
		if e.Type == "action.assign" {
			require.NoError(t, json.Unmarshal(e.Payload, &p))
		}
	}
	require.Equal(t, "c1", p.ConversationID)
	require.Equal(t, "m1", p.MessageID)
	require.Equal(t, "p-c1", p.ContactID)
	diff(t, &runtime.Assignee{Type: ir.TargetUser, Name: "alice", Team: "Sales Team"}, p.Assignee)
	require.JSONEq(t, `{"kind":"assign","status":"ok"}`, string(p.Action))

	// Claimed events are hidden for the lease.
	again, err := b.ClaimEvents(ctx, 10, time.Minute)
	require.NoError(t, err)
	require.Empty(t, again)

	require.NoError(t, b.AckEvent(ctx, events[0].ID))
	require.NoError(t, b.RetryEvent(ctx, events[1].ID, time.Now().Add(-time.Second), "HTTP 500"))
	require.NoError(t, b.RetryEvent(ctx, events[2].ID, time.Now().Add(time.Hour), "HTTP 503"))
	again, err = b.ClaimEvents(ctx, 10, 20*time.Millisecond)
	require.NoError(t, err)
	require.Len(t, again, 1)
	require.Equal(t, events[1].ID, again[0].ID)
	require.Equal(t, 2, again[0].Attempts)
	require.JSONEq(t, string(events[1].Payload), string(again[0].Payload))

	// A lease that ends makes the event due again.
	time.Sleep(40 * time.Millisecond)
	again, err = b.ClaimEvents(ctx, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, again, 1)
	require.Equal(t, 3, again[0].Attempts)
	require.NoError(t, b.AckEvent(ctx, again[0].ID))
	require.Error(t, b.AckEvent(ctx, "evt_unknown"))
	require.Error(t, b.RetryEvent(ctx, "evt_unknown", time.Now(), ""))
}

func concurrentClaims(t *testing.T, b Backend) {
	ctx := context.Background()
	for i := range 20 {
		act(t, b, fmt.Sprintf("c%d", i), "m1", runtime.Effect{})
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				events, err := b.ClaimEvents(ctx, 3, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if len(events) == 0 {
					return
				}
				for _, e := range events {
					mu.Lock()
					seen[e.ID]++
					mu.Unlock()
					if err := b.AckEvent(ctx, e.ID); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	require.Len(t, seen, 20)
	for id, n := range seen {
		require.Equal(t, 1, n, "event %s claimed %d times", id, n)
	}
}
