package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/sqlitebackend"
)

// TestOfflineTurns runs one message per case through the acme plan with the
// offline matcher and checks the chosen scenario, each action's outcome, the
// reply, and what the backend holds afterwards.
func TestOfflineTurns(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		contact   runtime.Contact
		message   string
		scenario  string
		statuses  []string
		replySent bool
		reply     string // exact reply, when it is a template
		check     func(t *testing.T, b *runtime.MemoryBackend, r runtime.TurnResult)
	}{
		{
			name: "no more questions closes with the note", message: "that's all, thanks",
			scenario: "s1", statuses: []string{runtime.OK}, replySent: true,
			check: func(t *testing.T, b *runtime.MemoryBackend, r runtime.TurnResult) {
				c, _ := b.Conversation(ctx, "c1")
				assert.Equal(t, runtime.StatusClosed, c.Status)
				assert.Equal(t, "Issue Resolved", c.ClosingNote)
				assert.Contains(t, c.Summary, "Contact: that's all, thanks")
				assert.Contains(t, c.Summary, "Agent: Anything else?")
			},
		},
		{
			name: "schedule assigns by round robin and fills the template", message: "Can I book an appointment for Friday?",
			contact:  runtime.Contact{Fields: map[string]string{"firstname": "Ann", "Plan": "Pro"}},
			scenario: "s2", statuses: []string{runtime.OK}, replySent: true,
			reply: "Thanks Ann, Pro customers get a scheduler within the hour.",
			check: func(t *testing.T, b *runtime.MemoryBackend, r runtime.TurnResult) {
				c, _ := b.Conversation(ctx, "c1")
				diff(t, &runtime.Assignee{Type: ir.TargetUser, Name: "dave", Team: "Scheduling Team"}, c.Assignee)
				diff(t, c.Assignee, r.Actions[0].Assignee)
			},
		},
		{
			name: "refund tags, triggers the workflow and comments", message: "I want a refund",
			contact:  runtime.Contact{Tags: []string{"Interested", "VIP"}},
			scenario: "s3", statuses: []string{runtime.OK, runtime.OK, runtime.OK}, replySent: true,
			check: func(t *testing.T, b *runtime.MemoryBackend, r runtime.TurnResult) {
				ct, _ := b.Contact(ctx, "p1")
				diff(t, []string{"Refund", "VIP"}, ct.Tags)
				ev, _ := b.WorkflowEvents(ctx, "c1")
				diff(t, []runtime.WorkflowEvent{{ConversationID: "c1", ContactID: "p1", Workflow: "refund_processing"}}, ev)
				cs, _ := b.Comments(ctx, "c1")
				diff(t, []runtime.Comment{{ConversationID: "c1", Text: "Refund requested, please check the order.", Mentions: []string{"carol"}}}, cs)
			},
		},
		{
			name: "an email is extracted, saved and the stage updated", message: "my email address is ann@example.com",
			scenario: "s4", statuses: []string{runtime.OK, runtime.OK}, replySent: true,
			reply: "Got it, we will write to ann@example.com.",
			check: func(t *testing.T, b *runtime.MemoryBackend, r runtime.TurnResult) {
				ct, _ := b.Contact(ctx, "p1")
				assert.Equal(t, "ann@example.com", ct.Fields["Email"])
				assert.Equal(t, "Qualified", ct.Lifecycle)
				diff(t, map[string]string{"Email": "ann@example.com"}, r.Actions[0].Values)
			},
		},
		{
			name: "a custom action without its input fails and stops the chain", message: "Where is my order? It has not arrived.",
			scenario: "s5", statuses: []string{runtime.Failed, runtime.Skipped}, replySent: true,
			check: func(t *testing.T, b *runtime.MemoryBackend, r runtime.TurnResult) {
				assert.Equal(t, "no value for input order_number", r.Actions[0].Reason)
				assert.Nil(t, r.Actions[0].Response, "nothing was sent")
				assert.Contains(t, r.Actions[1].Reason, "step 1 (call) failed")
				cs, _ := b.Comments(ctx, "c1")
				assert.Empty(t, cs, "the comment after the failed call must not be written")
				assert.Equal(t, runtime.ReplyStock, r.ReplySource)
			},
		},
		{
			name: "no reply after unassign", message: "I want to talk to a human please",
			scenario: "s6", statuses: []string{runtime.OK, runtime.OK}, replySent: false,
			check: func(t *testing.T, b *runtime.MemoryBackend, r runtime.TurnResult) {
				c, _ := b.Conversation(ctx, "c1")
				assert.Nil(t, c.Assignee)
				assert.Empty(t, r.Reply)
				assert.Contains(t, r.ReplyReason, "unassigned")
			},
		},
		{
			name: "a budget is saved when the field is empty, then least open", message: "our budget is 5000 dollars",
			scenario: "s7", statuses: []string{runtime.OK, runtime.OK}, replySent: true,
			reply: "Thanks! Budget noted: 5000.",
			check: func(t *testing.T, b *runtime.MemoryBackend, r runtime.TurnResult) {
				ct, _ := b.Contact(ctx, "p1")
				assert.Equal(t, "5000", ct.Fields["Budget"])
				c, _ := b.Conversation(ctx, "c1")
				diff(t, &runtime.Assignee{Type: ir.TargetUser, Name: "alice", Team: "Sales Team"}, c.Assignee)
			},
		},
		{
			name: "pricing sets a literal list value and a tag", message: "How much does the Pro plan cost?",
			scenario: "s8", statuses: []string{runtime.OK, runtime.OK}, replySent: true,
			check: func(t *testing.T, b *runtime.MemoryBackend, r runtime.TurnResult) {
				ct, _ := b.Contact(ctx, "p1")
				assert.Equal(t, "Enterprise", ct.Fields["Plan"])
				diff(t, []string{"Pricing"}, ct.Tags)
			},
		},
		{
			name: "nothing matches: no action, a stock reply", message: "The weather is lovely in Lyon today",
			scenario: "", statuses: nil, replySent: true,
			check: func(t *testing.T, b *runtime.MemoryBackend, r runtime.TurnResult) {
				c, _ := b.Conversation(ctx, "c1")
				diff(t, runtime.Conversation{ID: "c1", ContactID: "p1", Status: runtime.StatusOpen}, c)
				assert.Equal(t, runtime.ReplyStock, r.ReplySource)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, b := newEngine(t, acmePlan(t), runtime.Options{})
			tt.contact.ID = "p1"
			require.NoError(t, b.PutContact(ctx, tt.contact))
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: tt.message,
				History: []runtime.Message{{Role: runtime.RoleContact, Text: "Hi"}, {Role: runtime.RoleAgent, Text: "Anything else?"}}})
			require.NoError(t, err)
			assert.Equal(t, tt.scenario, r.Scenario, "why: %s", r.Why)
			diff(t, tt.statuses, statuses(r))
			assert.Equal(t, runtime.ChooserOffline, r.Chooser)
			assert.Equal(t, tt.replySent, r.ReplySent, "reply %q (%s)", r.Reply, r.ReplyReason)
			if tt.reply != "" {
				assert.Equal(t, tt.reply, r.Reply)
				assert.Equal(t, runtime.ReplyTemplate, r.ReplySource)
			}
			assert.Empty(t, r.ModelCalls)
			if tt.check != nil {
				tt.check(t, b, r)
			}
		})
	}
}

// TestStateConditionBlocksScenario checks that a scenario whose state check
// fails never runs, however well its words match.
func TestStateConditionBlocksScenario(t *testing.T) {
	ctx := context.Background()
	e, b := newEngine(t, acmePlan(t), runtime.Options{})
	require.NoError(t, b.PutContact(ctx, runtime.Contact{ID: "p1", Fields: map[string]string{"Budget": "100"}}))
	r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "our budget is 5000 dollars"})
	require.NoError(t, err)
	assert.NotEqual(t, "s7", r.Scenario)
	ct, _ := b.Contact(ctx, "p1")
	assert.Equal(t, "100", ct.Fields["Budget"])
}

func TestRedeliveryRunsActionsOnce(t *testing.T) {
	ctx := context.Background()
	p := planWith(t, ir.Scenario{Condition: always, Actions: []ir.Action{
		{Kind: ir.KindTriggerWorkflow, Workflow: "refund_processing"},
		{Kind: ir.KindAssign, Target: &ir.Target{Type: ir.TargetTeam, Name: "Sales Team"}},
	}})
	e, b := newEngine(t, p, runtime.Options{})
	in := runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "hello"}
	first, err := e.Turn(ctx, in)
	require.NoError(t, err)
	require.False(t, first.Duplicate)
	diff(t, []string{runtime.OK, runtime.OK}, statuses(first))

	again, err := e.Turn(ctx, in)
	require.NoError(t, err)
	assert.True(t, again.Duplicate)
	assert.Empty(t, again.Actions)
	assert.False(t, again.ReplySent)
	ev, _ := b.WorkflowEvents(ctx, "c1")
	assert.Len(t, ev, 1)
	c, _ := b.Conversation(ctx, "c1")
	assert.Equal(t, "alice", c.Assignee.Name, "the redelivery must not advance the round robin")

	// A new message id runs again.
	in.MessageID = "m2"
	next, err := e.Turn(ctx, in)
	require.NoError(t, err)
	assert.False(t, next.Duplicate)
	ev, _ = b.WorkflowEvents(ctx, "c1")
	assert.Len(t, ev, 2)
}

// TestConcurrentRedelivery delivers one message many times at once: its
// actions run once.
func TestConcurrentRedelivery(t *testing.T) {
	ctx := context.Background()
	p := planWith(t, ir.Scenario{Condition: always, Actions: []ir.Action{{Kind: ir.KindTriggerWorkflow, Workflow: "refund_processing"}}})
	e, b := newEngine(t, p, runtime.Options{})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			_, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "hello"})
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	ev, _ := b.WorkflowEvents(ctx, "c1")
	assert.Len(t, ev, 1)
}

// TestConcurrentRoundRobinIsFair runs many turns at once, each on its own
// conversation, all assigned to one team: the spread between members stays
// at most one.
func TestConcurrentRoundRobinIsFair(t *testing.T) {
	ctx := context.Background()
	p := planWith(t, ir.Scenario{Condition: always, Actions: []ir.Action{
		{Kind: ir.KindAssign, Target: &ir.Target{Type: ir.TargetTeam, Name: "Scheduling Team"}, Method: ir.MethodRoundRobin},
	}})
	e, b := newEngine(t, p, runtime.Options{})
	const n = 100
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: fmt.Sprintf("c%d", i), MessageID: "m1", Text: "hi"})
			assert.NoError(t, err)
			assert.Equal(t, []string{runtime.OK}, statuses(r))
		})
	}
	wg.Wait()
	counts := map[string]int{}
	for i := range n {
		c, err := b.Conversation(ctx, fmt.Sprintf("c%d", i))
		require.NoError(t, err)
		require.NotNil(t, c.Assignee)
		counts[c.Assignee.Name]++
	}
	lo, hi := n, 0
	for _, m := range []string{"dave", "erin", "frank"} {
		lo, hi = min(lo, counts[m]), max(hi, counts[m])
	}
	assert.LessOrEqual(t, hi-lo, 1, "counts: %v", counts)
	assert.Equal(t, n, counts["dave"]+counts["erin"]+counts["frank"])
}

func TestChainStopsAtFirstFailure(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		actions  []ir.Action
		statuses []string
		reason   string
	}{
		{
			name: "team without members",
			actions: []ir.Action{
				{Kind: ir.KindUpdateTags, Add: []string{"VIP"}},
				{Kind: ir.KindAssign, Target: &ir.Target{Type: ir.TargetTeam, Name: "Ghost Team"}},
				{Kind: ir.KindUpdateLifecycle, Stage: "Customer"},
			},
			statuses: []string{runtime.OK, runtime.Failed, runtime.Skipped},
			reason:   "team Ghost Team has no members",
		},
		{
			name: "a value that does not fit the field type",
			actions: []ir.Action{
				{Kind: ir.KindUpdateFields, Fields: []ir.FieldUpdate{{Name: "Budget", Value: "a lot"}}},
				{Kind: ir.KindUpdateLifecycle, Stage: "Customer"},
			},
			statuses: []string{runtime.Failed, runtime.Skipped},
			reason:   "field Budget",
		},
		{
			name: "a list value outside the options",
			actions: []ir.Action{
				{Kind: ir.KindUpdateFields, Fields: []ir.FieldUpdate{{Name: "Plan", Value: "Platinum"}}},
			},
			statuses: []string{runtime.Failed},
			reason:   "field Plan",
		},
		{
			name: "no value of the field's type in the message",
			actions: []ir.Action{
				{Kind: ir.KindUpdateFields, Fields: []ir.FieldUpdate{{Name: "Email"}}},
				{Kind: ir.KindUpdateLifecycle, Stage: "Customer"},
			},
			statuses: []string{runtime.Failed, runtime.Skipped},
			reason:   "no email value for field Email",
		},
		{
			name: "a call without a value for its input",
			actions: []ir.Action{
				{Kind: ir.KindCall, ActionName: "order_status"},
				{Kind: ir.KindUpdateLifecycle, Stage: "Customer"},
			},
			statuses: []string{runtime.Failed, runtime.Skipped},
			reason:   "no value for input order_number",
		},
		{
			name: "a call of an action the workspace does not declare",
			actions: []ir.Action{
				{Kind: ir.KindCall, ActionName: "refund_now"},
			},
			statuses: []string{runtime.Failed},
			reason:   "custom action !refund_now is not declared in the plan's workspace",
		},
		{
			name: "close then assign: the agent does not reopen",
			actions: []ir.Action{
				{Kind: ir.KindClose},
				{Kind: ir.KindAssign, Target: &ir.Target{Type: ir.TargetUser, Name: "carol"}},
				{Kind: ir.KindUpdateLifecycle, Stage: "Customer"},
			},
			statuses: []string{runtime.OK, runtime.Failed, runtime.Skipped},
			reason:   "does not reopen",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := planWith(t, ir.Scenario{Condition: always, Actions: tt.actions,
				Reply: &ir.Reply{Template: "All done: everything worked."}})
			e, b := newEngine(t, p, runtime.Options{})
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "hello there"})
			require.NoError(t, err)
			diff(t, tt.statuses, statuses(r))
			var failed runtime.ActionOutcome
			for _, a := range r.Actions {
				if a.Status == runtime.Failed {
					failed = a
				}
			}
			assert.Contains(t, failed.Reason, tt.reason)
			assert.NotEqual(t, "All done: everything worked.", r.Reply, "the template must not claim success")
			ct, _ := b.Contact(ctx, "p1")
			assert.NotEqual(t, "Customer", ct.Lifecycle, "nothing after the failure runs")
			assert.Empty(t, ct.Fields)
		})
	}
}

func TestClosedConversationIsNotReopened(t *testing.T) {
	ctx := context.Background()
	p := planWith(t, ir.Scenario{Condition: always, Actions: []ir.Action{
		{Kind: ir.KindAssign, Target: &ir.Target{Type: ir.TargetUser, Name: "carol"}},
	}, Reply: &ir.Reply{Template: "Passing you to Carol."}})
	mem := runtime.NewMemoryBackend()
	mem.KeepClosed(true) // as a host backend may
	require.NoError(t, mem.PutConversation(ctx, runtime.Conversation{ID: "c1", Status: runtime.StatusClosed, ClosingNote: "Spam"}))
	e, err := runtime.New(p, runtime.Options{Backend: mem})
	require.NoError(t, err)
	r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "hello?"})
	require.NoError(t, err)
	diff(t, []string{runtime.Skipped}, statuses(r))
	assert.False(t, r.ReplySent)
	c, _ := mem.Conversation(ctx, "c1")
	diff(t, runtime.Conversation{ID: "c1", ContactID: "c1", Status: runtime.StatusClosed, ClosingNote: "Spam"}, c)
	again, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "hello?"})
	require.NoError(t, err)
	assert.True(t, again.Duplicate, "the turn committed: the message is processed")
}

// failingBackend fails BeginTurn, Contact, or the step of one effect kind,
// like a database that is down.
type failingBackend struct {
	runtime.Backend
	fail string
	// failures counts down: 0 fails every time.
	failures *int
}

var errDown = errors.New("database is down")

func (b failingBackend) down(what string) bool {
	if b.fail != what {
		return false
	}
	if b.failures == nil {
		return true
	}
	if *b.failures <= 0 {
		return false
	}
	*b.failures--
	return true
}

func (b failingBackend) BeginTurn(ctx context.Context, in runtime.Inbound) (runtime.TurnTx, error) {
	if b.down("BeginTurn") {
		return nil, errDown
	}
	tx, err := b.Backend.BeginTurn(ctx, in)
	return failingTurn{tx, b}, err
}

func (b failingBackend) Contact(ctx context.Context, id string) (runtime.Contact, error) {
	if b.down("Contact") {
		return runtime.Contact{}, errDown
	}
	return b.Backend.Contact(ctx, id)
}

type failingTurn struct {
	runtime.TurnTx
	b failingBackend
}

func (t failingTurn) Apply(ctx context.Context, s runtime.Step) (runtime.StepRecord, error) {
	if t.b.down(s.Effect.Kind) {
		return runtime.StepRecord{}, errDown
	}
	return t.TurnTx.Apply(ctx, s)
}

func (t failingTurn) Commit(ctx context.Context, r runtime.TurnRecord) error {
	if t.b.down("Commit") {
		return errDown
	}
	return t.TurnTx.Commit(ctx, r)
}

// TestFailingBackend checks that a backend error stops the turn without
// committing it (the message is free to be delivered again, with a reason
// that names the error), and that a redelivery runs only the steps that
// were not recorded.
func TestFailingBackend(t *testing.T) {
	ctx := context.Background()
	p := planWith(t, ir.Scenario{Condition: always, Actions: []ir.Action{
		{Kind: ir.KindUpdateLifecycle, Stage: "Qualified"},
		{Kind: ir.KindAssign, Target: &ir.Target{Type: ir.TargetTeam, Name: "Sales Team"}},
		{Kind: ir.KindUpdateTags, Add: []string{"VIP"}},
	}})
	tests := []struct {
		fail string
		// recorded is how many steps the failed attempt recorded.
		recorded int
	}{
		{fail: "BeginTurn"},
		{fail: ir.KindUpdateLifecycle},
		{fail: ir.KindAssign, recorded: 1},
		{fail: ir.KindUpdateTags, recorded: 2},
		{fail: "Commit", recorded: 3},
	}
	for _, tt := range tests {
		t.Run(tt.fail, func(t *testing.T) {
			mem := runtime.NewMemoryBackend()
			require.NoError(t, runtime.SeedWorkspace(ctx, mem, p.Workspace))
			once := 1
			e, err := runtime.New(p, runtime.Options{Backend: failingBackend{mem, tt.fail, &once}})
			require.NoError(t, err)
			_, err = e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "hi"})
			require.ErrorIs(t, err, errDown)
			require.ErrorIs(t, err, runtime.ErrNotProcessed)
			assert.Contains(t, err.Error(), "database is down")

			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "hi"})
			require.NoError(t, err)
			require.False(t, r.Duplicate, "the failed attempt did not mark the message processed")
			diff(t, []string{runtime.OK, runtime.OK, runtime.OK}, statuses(r))
			assert.Equal(t, tt.recorded, r.Resumed)
			c, _ := mem.Conversation(ctx, "c1")
			diff(t, &runtime.Assignee{Type: ir.TargetUser, Name: "alice", Team: "Sales Team"}, c.Assignee)
			// The round-robin cursor moved once: the next conversation goes
			// to the second member.
			r2, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c2", MessageID: "m1", Text: "hi"})
			require.NoError(t, err)
			assert.Equal(t, "bob", r2.Actions[1].Assignee.Name)
			again, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "hi"})
			require.NoError(t, err)
			assert.True(t, again.Duplicate)
			events, err := mem.ClaimEvents(ctx, 100, time.Minute)
			require.NoError(t, err)
			assert.Len(t, events, 6, "one event per action, none twice")
		})
	}
}

func TestStateChecks(t *testing.T) {
	ctx := context.Background()
	saturday := wednesday10am.AddDate(0, 0, 3)
	tests := []struct {
		name    string
		checks  []ir.StateCheck
		contact runtime.Contact
		now     func() interface{ Weekday() int }
		clock   bool // use saturday
		want    bool
	}{
		{name: "field empty", checks: []ir.StateCheck{{Kind: ir.StateFieldEmpty, Field: "Budget"}}, want: true},
		{name: "field empty by id", checks: []ir.StateCheck{{Kind: ir.StateFieldEmpty, Field: "budget"}},
			contact: runtime.Contact{Fields: map[string]string{"Budget": "5"}}, want: false},
		{name: "field set", checks: []ir.StateCheck{{Kind: ir.StateFieldSet, Field: "Email"}},
			contact: runtime.Contact{Fields: map[string]string{"Email": "a@b.co"}}, want: true},
		{name: "field equals ignores case", checks: []ir.StateCheck{{Kind: ir.StateFieldEquals, Field: "Plan", Value: "pro"}},
			contact: runtime.Contact{Fields: map[string]string{"Plan": "Pro"}}, want: true},
		{name: "lifecycle is", checks: []ir.StateCheck{{Kind: ir.StateLifecycleIs, Value: "Customer"}},
			contact: runtime.Contact{Lifecycle: "New Lead"}, want: false},
		{name: "negated lifecycle", checks: []ir.StateCheck{{Kind: ir.StateLifecycleIs, Value: "Customer", Negate: true}},
			contact: runtime.Contact{Lifecycle: "New Lead"}, want: true},
		{name: "business hours on a weekday", checks: []ir.StateCheck{{Kind: ir.StateBusinessHours}}, want: true},
		{name: "business hours on saturday", checks: []ir.StateCheck{{Kind: ir.StateBusinessHours}}, clock: true, want: false},
		{name: "outside business hours on saturday", checks: []ir.StateCheck{{Kind: ir.StateBusinessHours, Negate: true}}, clock: true, want: true},
		{name: "an unknown check never holds", checks: []ir.StateCheck{{Kind: "moon_phase"}}, want: false},
		{name: "all must hold", checks: []ir.StateCheck{{Kind: ir.StateFieldEmpty, Field: "Budget"}, {Kind: ir.StateLifecycleIs, Value: "Customer"}}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := planWith(t, ir.Scenario{Condition: ir.Condition{Text: "state only", State: tt.checks},
				Actions: []ir.Action{{Kind: ir.KindUpdateTags, Add: []string{"VIP"}}}})
			opts := runtime.Options{}
			if tt.clock {
				opts.Clock = clockAt(saturday)
			}
			e, b := newEngine(t, p, opts)
			tt.contact.ID = "p1"
			require.NoError(t, b.PutContact(ctx, tt.contact))
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "hello"})
			require.NoError(t, err)
			if tt.want {
				assert.Equal(t, "s1", r.Scenario, r.Why)
				diff(t, []string{runtime.OK}, statuses(r))
			} else {
				assert.Empty(t, r.Scenario, r.Why)
				assert.Empty(t, r.Actions)
			}
		})
	}
}

func TestFillTemplate(t *testing.T) {
	e, _ := newEngine(t, acmePlan(t), runtime.Options{})
	c := runtime.Contact{ID: "p1", Fields: map[string]string{"firstname": "Zoé", "Budget": "5000", "Email": "z@e.fr"}, Lifecycle: "Customer"}
	tests := []struct{ in, want string }{
		{"Hi $contact.firstname!", "Hi Zoé!"},
		{"Hi {{$contact.firstname}}.", "Hi Zoé."},
		{"Hi {{ $contact.firstname }}.", "Hi Zoé."},
		{"Hi {{contact.firstname}}, welcome", "Hi Zoé, welcome"}, // lints clean, so it is filled
		{"Budget: $contact.budget.", "Budget: 5000."},
		{"Budget: $contact.Budget, mail {{$contact.email}}", "Budget: 5000, mail z@e.fr"},
		{"Case: $contact.FIRSTNAME", "Case: Zoé"},
		{"Empty: [$contact.phone]", "Empty: []"},
		{"Stage: $contact.lifecycle", "Stage: Customer"},
		{"No reference, $5 only", "No reference, $5 only"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, e.FillTemplate(tt.in, c), tt.in)
	}
}

func TestNewRejectsBadPlans(t *testing.T) {
	_, err := runtime.New(nil, runtime.Options{})
	require.Error(t, err)
	p := acmePlan(t)
	p.Version = 99
	_, err = runtime.New(p, runtime.Options{})
	require.ErrorContains(t, err, "version")
	p = acmePlan(t)
	p.Scenarios[0].Actions = append(p.Scenarios[0].Actions, ir.Action{Kind: "send_money"})
	_, err = runtime.New(p, runtime.Options{})
	require.ErrorContains(t, err, "send_money")
}

func TestTurnNeedsAConversation(t *testing.T) {
	e, _ := newEngine(t, acmePlan(t), runtime.Options{})
	_, err := e.Turn(context.Background(), runtime.TurnInput{Text: "hi"})
	require.Error(t, err)
}

func TestSummaryCanBeTurnedOff(t *testing.T) {
	ctx := context.Background()
	no := false
	p := planWith(t, ir.Scenario{Condition: always, Actions: []ir.Action{{Kind: ir.KindClose, Summary: &no}}, Reply: &ir.Reply{None: true}})
	e, b := newEngine(t, p, runtime.Options{})
	r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "bye"})
	require.NoError(t, err)
	diff(t, []string{runtime.OK}, statuses(r))
	assert.False(t, r.ReplySent)
	c, _ := b.Conversation(ctx, "c1")
	diff(t, runtime.Conversation{ID: "c1", ContactID: "c1", Status: runtime.StatusClosed}, c)
}

func TestSummaryCoversTheLastMessages(t *testing.T) {
	ctx := context.Background()
	p := planWith(t, ir.Scenario{Condition: always, Actions: []ir.Action{{Kind: ir.KindClose}}})
	e, b := newEngine(t, p, runtime.Options{HistoryLimit: 20})
	var h []runtime.Message
	for i := range 30 {
		h = append(h, runtime.Message{Role: runtime.RoleContact, Text: fmt.Sprintf("message number %d", i)})
	}
	_, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "the last one", History: h})
	require.NoError(t, err)
	c, _ := b.Conversation(ctx, "c1")
	lines := strings.Split(c.Summary, "\n")
	require.Len(t, lines, 21) // heading + 20 messages
	assert.Equal(t, "Contact: message number 11", lines[1])
	assert.Equal(t, "Contact: the last one", lines[20])
}

func TestLongCommentIsCut(t *testing.T) {
	ctx := context.Background()
	p := planWith(t, ir.Scenario{Condition: always, Actions: []ir.Action{{Kind: ir.KindAddComment, Text: strings.Repeat("é", 2500)}}})
	e, b := newEngine(t, p, runtime.Options{})
	_, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "x"})
	require.NoError(t, err)
	cs, _ := b.Comments(ctx, "c1")
	require.Len(t, cs, 1)
	assert.Equal(t, runtime.MaxCommentLength, len([]rune(cs[0].Text)))
}

func TestActionOutcomeJSON(t *testing.T) {
	tests := []struct {
		o    runtime.ActionOutcome
		want string
	}{
		{runtime.ActionOutcome{Action: ir.Action{Kind: ir.KindAssign, Target: &ir.Target{Type: ir.TargetTeam, Name: "Sales Team"}, Method: ir.MethodRoundRobin}, Status: runtime.OK,
			Assignee: &runtime.Assignee{Type: ir.TargetUser, Name: "alice"}},
			`{"kind":"assign","target":{"type":"team","name":"Sales Team"},"method":"round_robin","status":"ok"}`},
		{runtime.ActionOutcome{Action: ir.Action{Kind: ir.KindUpdateFields, Fields: []ir.FieldUpdate{{Name: "Budget"}}}, Status: runtime.OK, Values: map[string]string{"Budget": "5000"}},
			`{"kind":"update_fields","fields":[{"name":"Budget"}],"status":"ok","values":{"Budget":"5000"}}`},
		{runtime.ActionOutcome{Action: ir.Action{Kind: ir.KindCall, ActionName: "order_status"}, Status: runtime.Failed, Reason: "no value for input order_number"},
			`{"kind":"call","action":"order_status","status":"failed","reason":"no value for input order_number"}`},
		{runtime.ActionOutcome{Action: ir.Action{Kind: ir.KindCall, ActionName: "order_status"}, Status: runtime.Failed, Reason: "order_status answered 404 Not Found",
			Response: &runtime.CallResponse{StatusCode: 404, Body: `{"error":"not found"}`}},
			`{"kind":"call","action":"order_status","status":"failed","reason":"order_status answered 404 Not Found","httpStatus":404}`},
		{runtime.ActionOutcome{Action: ir.Action{Kind: ir.KindCall, ActionName: "order_status"}, Status: runtime.OK, Response: &runtime.CallResponse{StatusCode: 200, Body: "{}"}},
			`{"kind":"call","action":"order_status","status":"ok","httpStatus":200}`},
		// A dry run answered nothing: no httpStatus, and its description
		// is a reason of an ok action, which the shape leaves out.
		{runtime.ActionOutcome{Action: ir.Action{Kind: ir.KindCall, ActionName: "order_status"}, Status: runtime.OK, Reason: "dry run: GET https://x.example/orders/1 (not sent)",
			Response: &runtime.CallResponse{Note: "dry run: GET https://x.example/orders/1 (not sent)"}},
			`{"kind":"call","action":"order_status","status":"ok"}`},
		{runtime.ActionOutcome{Action: ir.Action{Kind: ir.KindUnassign}, Status: runtime.Skipped, Reason: "step 1 failed"},
			`{"kind":"unassign","status":"skipped","reason":"step 1 failed"}`},
	}
	for _, tt := range tests {
		b, err := tt.o.MarshalJSON()
		require.NoError(t, err)
		assert.JSONEq(t, tt.want, string(b))
		assert.Equal(t, tt.want, string(b), "key order")
	}
}

// TestFrenchMessages: a French contact on an English plan is matched by the
// stdlib's French phrases and answered in French.
func TestFrenchMessages(t *testing.T) {
	tests := []struct{ message, scenario string }{
		{"Je veux un remboursement", "s3"},
		{"c'est tout, merci", "s1"},
	}
	for _, tt := range tests {
		t.Run(tt.message, func(t *testing.T) {
			e, _ := newEngine(t, acmePlan(t), runtime.Options{})
			r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: tt.message})
			require.NoError(t, err)
			assert.Equal(t, tt.scenario, r.Scenario, r.Why)
			assert.Equal(t, "fr", r.Language)
			assert.True(t, r.ReplySent)
		})
	}
}

// TestTurnLanguage: a message that says nothing of its language ("MC-20418",
// "ok") keeps the language of the contact's latest message that does, then
// the plan's; the caller's choice wins over both.
func TestTurnLanguage(t *testing.T) {
	fr := []runtime.Message{{Role: runtime.RoleContact, Text: "Bonjour, où est ma commande ?"}, {Role: runtime.RoleAgent, Text: "Quel est le numéro ?"}}
	en := []runtime.Message{{Role: runtime.RoleContact, Text: "Hello, where is my order?"}, {Role: runtime.RoleAgent, Text: "Bonjour ! Quel est le numéro ?"}}
	tests := []struct {
		name, text, lang, planLang, want string
		history                          []runtime.Message
	}{
		{name: "the message decides", text: "je veux un remboursement", history: en, want: "fr"},
		{name: "a bare number keeps the conversation's French", text: "MC-20418", history: fr, want: "fr"},
		{name: "the agent's words do not count", text: "MC-20418", history: en, want: "en"},
		{name: "no history: the plan's language", text: "MC-20418", planLang: "fr", want: "fr"},
		{name: "no history, English plan", text: "ok", want: "en"},
		{name: "the caller decides", text: "je veux un remboursement", lang: "en", want: "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := acmePlan(t)
			if tt.planLang != "" {
				p.Language = tt.planLang
			}
			e, _ := newEngine(t, p, runtime.Options{})
			r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: tt.text, Language: tt.lang, History: tt.history})
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Language)
		})
	}
}

// seenCaller records the inputs and Idempotency-Key of every call.
type seenCaller struct {
	mu    sync.Mutex
	calls []string // "key input"
}

func (c *seenCaller) Call(_ context.Context, req runtime.CallRequest) (runtime.CallResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, req.IdempotencyKey+" "+req.Inputs["order_number"])
	return runtime.CallResponse{StatusCode: 200, Body: "{}"}, nil
}

// TestResumedTurnSeesItsOwnMessage checks that a turn resumed after a crash
// reads the contact as of its own message: a later message that ran in
// between (the first one's claim lapsed with its process) saved another
// value in the field the resumed call reads, and the call still sends the
// first message's value, under the first message's key.
func TestResumedTurnSeesItsOwnMessage(t *testing.T) {
	ctx := context.Background()
	p := callPlan("http://127.0.0.1:1",
		ir.Action{Kind: ir.KindUpdateFields, Fields: []ir.FieldUpdate{{Name: "Order Number"}}},
		callOf("order_status"))
	for _, name := range []string{"memory", "sqlite"} {
		t.Run(name, func(t *testing.T) {
			var b runtime.Backend = runtime.NewMemoryBackend()
			if name == "sqlite" {
				sb, err := sqlitebackend.Open(":memory:")
				require.NoError(t, err)
				t.Cleanup(func() { sb.Close() })
				b = sb
			}
			caller := &seenCaller{}
			// The first attempt of m1 saves 111 and calls, then its
			// process dies before the call is recorded.
			once := 1
			crashing, err := runtime.New(p, runtime.Options{Backend: failingBackend{b, "", &once}, Caller: caller})
			require.NoError(t, err)
			_, err = crashing.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "order 111"})
			require.ErrorIs(t, err, errDown)
			e, err := runtime.New(p, runtime.Options{Backend: b, Caller: caller})
			require.NoError(t, err)
			_, err = e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m2", Text: "order 222"})
			require.NoError(t, err)
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "order 111"})
			require.NoError(t, err)
			require.Equal(t, 1, r.Resumed)
			k1 := "instrc-" + runtime.ActionKey("c1", "m1", 1)
			k2 := "instrc-" + runtime.ActionKey("c1", "m2", 1)
			diff(t, []string{k1 + " 111", k2 + " 222", k1 + " 111"}, caller.calls)
		})
	}
}
