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
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

// Backend is what the suite needs: the runtime interface plus seeding and
// reading back what was recorded.
type Backend interface {
	runtime.Backend
	runtime.Seeder
	runtime.Recorder
}

// Run runs every conformance test; open must return a new, empty backend.
func Run(t *testing.T, open func(t *testing.T) Backend) {
	tests := []struct {
		name string
		f    func(*testing.T, Backend)
	}{
		{"UnknownReadsAsNew", unknownReadsAsNew},
		{"BeginTurnClaimsMessageOnce", beginTurnClaimsOnce},
		{"BeginTurnReopensClosed", beginTurnReopens},
		{"AssignAndUnassign", assignAndUnassign},
		{"RoundRobinInOrder", roundRobinInOrder},
		{"LeastOpen", leastOpen},
		{"NoMembers", noMembers},
		{"CloseConversation", closeConversation},
		{"ContactFieldsLifecycleTags", contactState},
		{"PutContactReplaces", putContactReplaces},
		{"CommentsAndEvents", commentsAndEvents},
		{"ConcurrentRoundRobinIsFair", concurrentRoundRobin},
		{"ConcurrentRedeliveryClaimsOnce", concurrentRedelivery},
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
}

func beginTurnClaimsOnce(t *testing.T, b Backend) {
	ctx := context.Background()
	tests := []struct {
		in        runtime.Inbound
		wantFirst bool
	}{
		{runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: "m1"}, true},
		{runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: "m1"}, false},
		{runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: "m2"}, true},
		{runtime.Inbound{ConversationID: "c2", ContactID: "p2", MessageID: "m1"}, true},
		{runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: ""}, true},
		{runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: ""}, true},
	}
	for i, tt := range tests {
		conv, first, err := b.BeginTurn(ctx, tt.in)
		require.NoError(t, err)
		require.Equal(t, tt.wantFirst, first, "delivery %d (%+v)", i, tt.in)
		require.Equal(t, tt.in.ConversationID, conv.ID)
		require.Equal(t, tt.in.ContactID, conv.ContactID)
		require.Equal(t, runtime.StatusOpen, conv.Status)
	}
}

func beginTurnReopens(t *testing.T, b Backend) {
	ctx := context.Background()
	_, _, err := b.BeginTurn(ctx, runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: "m1"})
	require.NoError(t, err)
	require.NoError(t, b.CloseConversation(ctx, "c1", runtime.Closing{Note: "Issue Resolved", Summary: "done"}))

	// A redelivery of the message that led to the close does not reopen.
	conv, first, err := b.BeginTurn(ctx, runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: "m1"})
	require.NoError(t, err)
	require.False(t, first)
	require.Equal(t, runtime.StatusClosed, conv.Status)

	// A new inbound message does.
	conv, first, err = b.BeginTurn(ctx, runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: "m2"})
	require.NoError(t, err)
	require.True(t, first)
	diff(t, runtime.Conversation{ID: "c1", ContactID: "p1", Status: runtime.StatusOpen}, conv)
}

func assignAndUnassign(t *testing.T, b Backend) {
	ctx := context.Background()
	tests := []runtime.Assignee{
		{Type: ir.TargetUser, Name: "carol"},
		{Type: ir.TargetAIAgent, Name: "Billing Bot"},
	}
	for _, a := range tests {
		require.NoError(t, b.Assign(ctx, "c1", a))
		c, err := b.Conversation(ctx, "c1")
		require.NoError(t, err)
		diff(t, &a, c.Assignee)
	}
	require.NoError(t, b.Unassign(ctx, "c1"))
	c, err := b.Conversation(ctx, "c1")
	require.NoError(t, err)
	require.Nil(t, c.Assignee)
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
		m, err := b.AssignMember(ctx, fmt.Sprintf("c%d", i), team, ir.MethodRoundRobin)
		require.NoError(t, err)
		got = append(got, m)
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
		m, err := b.AssignMember(ctx, fmt.Sprintf("c%d", i), "Sales Team", ir.MethodLeastOpen)
		require.NoError(t, err)
		got = append(got, m)
	}
	diff(t, []string{"carol", "bob", "carol", "alice"}, got)
	open, err := b.OpenCounts(ctx, []string{"alice", "bob", "carol"})
	require.NoError(t, err)
	diff(t, map[string]int{"alice": 3, "bob": 2, "carol": 2}, open)

	// Closed conversations do not count.
	require.NoError(t, b.CloseConversation(ctx, "c0", runtime.Closing{}))
	require.NoError(t, b.CloseConversation(ctx, "c2", runtime.Closing{}))
	open, err = b.OpenCounts(ctx, []string{"carol"})
	require.NoError(t, err)
	diff(t, map[string]int{"carol": 0}, open)
}

func noMembers(t *testing.T, b Backend) {
	ctx := context.Background()
	for _, method := range []string{ir.MethodRoundRobin, ir.MethodLeastOpen} {
		_, err := b.AssignMember(ctx, "c1", "Empty Team", method)
		require.ErrorIs(t, err, runtime.ErrNoMembers, method)
	}
	require.NoError(t, b.SetTeam(ctx, "Sales Team", []string{"alice"}))
	_, err := b.AssignMember(ctx, "c1", "Sales Team", "by_magic")
	require.Error(t, err)
	c, err := b.Conversation(ctx, "c1")
	require.NoError(t, err)
	require.Nil(t, c.Assignee)
}

func closeConversation(t *testing.T, b Backend) {
	ctx := context.Background()
	require.NoError(t, b.Assign(ctx, "c1", runtime.Assignee{Type: ir.TargetUser, Name: "bob"}))
	require.NoError(t, b.CloseConversation(ctx, "c1", runtime.Closing{Note: "Issue Resolved", Summary: "Contact: thanks"}))
	c, err := b.Conversation(ctx, "c1")
	require.NoError(t, err)
	diff(t, runtime.Conversation{ID: "c1", Status: runtime.StatusClosed, Assignee: &runtime.Assignee{Type: ir.TargetUser, Name: "bob"},
		ClosingNote: "Issue Resolved", Summary: "Contact: thanks"}, c)
}

func contactState(t *testing.T, b Backend) {
	ctx := context.Background()
	require.NoError(t, b.SetFields(ctx, "p1", map[string]string{"Budget": "5000", "phone": "+33612345678"}))
	require.NoError(t, b.SetFields(ctx, "p1", map[string]string{"Budget": "7000"}))
	require.NoError(t, b.SetLifecycle(ctx, "p1", "Qualified"))
	require.NoError(t, b.UpdateTags(ctx, "p1", []string{"VIP", "Pricing"}, nil))
	require.NoError(t, b.UpdateTags(ctx, "p1", []string{"Pricing", "Refund"}, []string{"VIP", "Interested"}))
	c, err := b.Contact(ctx, "p1")
	require.NoError(t, err)
	diff(t, runtime.Contact{ID: "p1", Fields: map[string]string{"Budget": "7000", "phone": "+33612345678"}, Lifecycle: "Qualified",
		Tags: []string{"Pricing", "Refund"}}, c)
	other, err := b.Contact(ctx, "p2")
	require.NoError(t, err)
	diff(t, runtime.Contact{ID: "p2", Fields: map[string]string{}}, other)
}

func putContactReplaces(t *testing.T, b Backend) {
	ctx := context.Background()
	require.NoError(t, b.SetFields(ctx, "p1", map[string]string{"Old": "x"}))
	require.NoError(t, b.UpdateTags(ctx, "p1", []string{"VIP"}, nil))
	in := runtime.Contact{ID: "p1", Fields: map[string]string{"Budget": "100"}, Lifecycle: "New Lead", Tags: []string{"Pricing"}}
	require.NoError(t, b.PutContact(ctx, in))
	c, err := b.Contact(ctx, "p1")
	require.NoError(t, err)
	diff(t, in, c)
	in.Fields["Budget"] = "mutated after the call"
	c, err = b.Contact(ctx, "p1")
	require.NoError(t, err)
	require.Equal(t, "100", c.Fields["Budget"], "the backend must keep its own copy")
}

func commentsAndEvents(t *testing.T, b Backend) {
	ctx := context.Background()
	require.NoError(t, b.AddComment(ctx, runtime.Comment{ConversationID: "c1", Text: "first", Mentions: []string{"carol"}}))
	require.NoError(t, b.AddComment(ctx, runtime.Comment{ConversationID: "c2", Text: "elsewhere"}))
	require.NoError(t, b.AddComment(ctx, runtime.Comment{ConversationID: "c1", Text: "second"}))
	require.NoError(t, b.TriggerWorkflow(ctx, runtime.WorkflowEvent{ConversationID: "c1", ContactID: "p1", Workflow: "refund_processing"}))
	require.NoError(t, b.TriggerWorkflow(ctx, runtime.WorkflowEvent{ConversationID: "c1", ContactID: "p1", Workflow: "escalation"}))
	cs, err := b.Comments(ctx, "c1")
	require.NoError(t, err)
	require.Len(t, cs, 2)
	require.Equal(t, "first", cs[0].Text)
	require.Equal(t, []string{"carol"}, cs[0].Mentions)
	require.Equal(t, "second", cs[1].Text)
	require.Empty(t, cs[1].Mentions)
	es, err := b.WorkflowEvents(ctx, "c1")
	require.NoError(t, err)
	diff(t, []runtime.WorkflowEvent{
		{ConversationID: "c1", ContactID: "p1", Workflow: "refund_processing"},
		{ConversationID: "c1", ContactID: "p1", Workflow: "escalation"},
	}, es)
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
			m, err := b.AssignMember(ctx, fmt.Sprintf("c%d", i), "Sales Team", ir.MethodRoundRobin)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			counts[m]++
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
	var mu sync.Mutex
	firsts := 0
	for range 16 {
		wg.Go(func() {
			_, first, err := b.BeginTurn(ctx, runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: "m1"})
			if err != nil {
				t.Error(err)
				return
			}
			if first {
				mu.Lock()
				firsts++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	require.Equal(t, 1, firsts)
}
