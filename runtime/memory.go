package runtime

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/instrc/instrc/ir"
)

// MemoryBackend keeps everything in memory behind one mutex. It is the
// backend of tests and benchmarks, and a reference for hosts writing their
// own. The zero value is not usable: call NewMemoryBackend.
type MemoryBackend struct {
	mu       sync.Mutex
	changed  chan struct{} // closed and replaced when a lock or a message changes
	convs    map[string]*Conversation
	contacts map[string]*Contact
	teams    map[string][]string
	cursors  map[string]int
	baseLoad map[string]int
	comments []Comment
	events   []WorkflowEvent

	seq      int64
	messages map[[2]string]*memMessage // (conversation, message) → state
	queues   map[string][]*memMessage  // conversation → messages in arrival order
	locks    map[string]int64          // conversation → token of the turn holding it
	tokens   int64
	steps    map[[2]string][]StepRecord
	outbox   []*memEvent
	// keepClosed keeps closed conversations closed on a new message.
	keepClosed bool
}

type memMessage struct {
	seq     int64
	done    bool
	waiters int // attempts waiting for or holding the turn
	// queuedUntil keeps the place of a message enqueued before its
	// BeginTurn (Enqueue) for a lease.
	queuedUntil time.Time
	// snapshot is the contact as the message's first attempt saw it.
	snapshot *Contact
}

// memQueueLease is how long an enqueued message keeps its place before its
// BeginTurn comes.
const memQueueLease = 15 * time.Second

type memEvent struct {
	Event
	due     time.Time
	acked   bool
	lastErr string
}

var (
	_ Backend  = (*MemoryBackend)(nil)
	_ Seeder   = (*MemoryBackend)(nil)
	_ Recorder = (*MemoryBackend)(nil)
	_ Outbox   = (*MemoryBackend)(nil)
)

// NewMemoryBackend returns an empty in-memory backend.
func NewMemoryBackend() *MemoryBackend {
	return &MemoryBackend{
		changed:  make(chan struct{}),
		convs:    map[string]*Conversation{},
		contacts: map[string]*Contact{},
		teams:    map[string][]string{},
		cursors:  map[string]int{},
		baseLoad: map[string]int{},
		messages: map[[2]string]*memMessage{},
		queues:   map[string][]*memMessage{},
		locks:    map[string]int64{},
		steps:    map[[2]string][]StepRecord{},
	}
}

// KeepClosed makes the backend keep a closed conversation closed when a new
// message comes in, as some hosts do; by default a new message reopens it.
func (m *MemoryBackend) KeepClosed(keep bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keepClosed = keep
}

// conv returns the conversation, creating it; the caller holds mu.
func (m *MemoryBackend) conv(id string) *Conversation {
	c, ok := m.convs[id]
	if !ok {
		c = &Conversation{ID: id, Status: StatusOpen}
		m.convs[id] = c
	}
	return c
}

func (m *MemoryBackend) contact(id string) *Contact {
	c, ok := m.contacts[id]
	if !ok {
		c = &Contact{ID: id, Fields: map[string]string{}}
		m.contacts[id] = c
	}
	return c
}

func copyContact(c *Contact) Contact {
	out := *c
	out.Fields = maps.Clone(c.Fields)
	if out.Fields == nil {
		out.Fields = map[string]string{}
	}
	out.Tags = slices.Clone(c.Tags)
	return out
}

func copyConv(c *Conversation) Conversation {
	out := *c
	if c.Assignee != nil {
		a := *c.Assignee
		out.Assignee = &a
	}
	return out
}

// broadcast wakes every waiting turn; the caller holds mu.
func (m *MemoryBackend) broadcast() {
	close(m.changed)
	m.changed = make(chan struct{})
}

// Enqueue implements Queuer.
func (m *MemoryBackend) Enqueue(_ context.Context, in Inbound) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if msg := m.enqueue(in); !msg.done {
		msg.queuedUntil = time.Now().Add(memQueueLease)
	}
	return nil
}

// enqueue returns the message, queued; the caller holds mu.
func (m *MemoryBackend) enqueue(in Inbound) *memMessage {
	key := [2]string{in.ConversationID, in.MessageID}
	msg, ok := m.messages[key]
	if !ok {
		m.seq++
		msg = &memMessage{seq: m.seq}
		m.messages[key] = msg
		m.queues[in.ConversationID] = append(m.queues[in.ConversationID], msg)
	}
	return msg
}

// BeginTurn implements Backend.
func (m *MemoryBackend) BeginTurn(ctx context.Context, in Inbound) (TurnTx, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := [2]string{in.ConversationID, in.MessageID}
	msg := m.enqueue(in)
	msg.queuedUntil = time.Time{}
	t := &memTurn{m: m, in: in}
	if msg.done {
		t.dup = true
		return t, nil
	}
	msg.waiters++
	for !m.mayRun(in.ConversationID, msg) {
		ch := m.changed
		m.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-ch:
		case <-time.After(50 * time.Millisecond): // an enqueued message's place may lapse
		}
		m.mu.Lock()
		if err := ctx.Err(); err != nil {
			msg.waiters--
			m.broadcast()
			return nil, fmt.Errorf("waiting for the conversation's turn: %w", err)
		}
	}
	if msg.done {
		msg.waiters--
		m.broadcast()
		t.dup = true
		return t, nil
	}
	m.tokens++
	t.token = m.tokens
	m.locks[in.ConversationID] = t.token
	c := m.conv(in.ConversationID)
	if in.ContactID != "" {
		c.ContactID = in.ContactID
	}
	t.recorded = slices.Clone(m.steps[key])
	if len(t.recorded) == 0 && c.Status == StatusClosed && !m.keepClosed {
		c.Status = StatusOpen
		c.ClosingNote, c.Summary = "", ""
	}
	if len(t.recorded) == 0 || msg.snapshot == nil {
		ct := Contact{ID: in.ContactID}
		if c, ok := m.contacts[in.ContactID]; ok {
			ct = copyContact(c)
		}
		msg.snapshot = &ct
	}
	t.contact = copyContact(msg.snapshot)
	t.conv = copyConv(c)
	return t, nil
}

// mayRun reports whether msg may take its conversation's turn: it is done
// (a duplicate, no lock needed), or no turn holds the conversation and no
// earlier message is still waiting; the caller holds mu.
func (m *MemoryBackend) mayRun(conv string, msg *memMessage) bool {
	if msg.done {
		return true
	}
	if _, held := m.locks[conv]; held {
		return false
	}
	for _, o := range m.queues[conv] {
		if o.seq < msg.seq && !o.done && (o.waiters > 0 || time.Now().Before(o.queuedUntil)) {
			return false
		}
	}
	return true
}

// ExpireTurnLocks takes every conversation's lock away from the turn holding
// it, as when a turn's lease ends: the turn can no longer record steps or
// commit. For tests of fencing.
func (m *MemoryBackend) ExpireTurnLocks(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for conv := range m.locks {
		delete(m.locks, conv)
		for _, msg := range m.queues[conv] {
			msg.waiters = 0
			msg.queuedUntil = time.Time{}
		}
	}
	m.broadcast()
	return nil
}

// memTurn is a turn of a MemoryBackend.
type memTurn struct {
	m        *MemoryBackend
	in       Inbound
	token    int64
	dup      bool
	ended    bool
	conv     Conversation
	contact  Contact
	recorded []StepRecord
}

func (t *memTurn) Conversation() Conversation { return t.conv }
func (t *memTurn) Duplicate() bool            { return t.dup }
func (t *memTurn) Contact() Contact           { return copyContact(&t.contact) }
func (t *memTurn) Recorded() []StepRecord     { return slices.Clone(t.recorded) }

// holds reports whether the turn still holds its lock; the caller holds mu.
func (t *memTurn) holds() bool {
	tok, ok := t.m.locks[t.in.ConversationID]
	return !t.ended && ok && tok == t.token
}

// Apply implements TurnTx.
func (t *memTurn) Apply(_ context.Context, s Step) (StepRecord, error) {
	if t.dup {
		return StepRecord{}, errors.New("a duplicate message records no step")
	}
	m := t.m
	m.mu.Lock()
	defer m.mu.Unlock()
	if !t.holds() {
		return StepRecord{}, ErrLockLost
	}
	key := [2]string{t.in.ConversationID, t.in.MessageID}
	for _, r := range m.steps[key] {
		if r.Index == s.Index {
			return r, nil
		}
	}
	rec := s.Record
	rec.Index = s.Index
	as, err := m.apply(t.in, s.Effect)
	if err != nil {
		return StepRecord{}, err
	}
	if as != nil {
		rec.Assignee = as
	}
	ev, err := NewActionEvent(t.in, s, rec, time.Now())
	if err != nil {
		return StepRecord{}, err
	}
	m.steps[key] = append(m.steps[key], rec)
	m.outbox = append(m.outbox, &memEvent{Event: ev, due: ev.CreatedAt})
	return rec, nil
}

// apply writes an effect; the caller holds mu. It returns the assignee of
// an assignment through a team.
func (m *MemoryBackend) apply(in Inbound, e Effect) (*Assignee, error) {
	switch e.Kind {
	case "", ir.KindCall:
	case ir.KindClose:
		c := m.conv(in.ConversationID)
		c.Status, c.ClosingNote, c.Summary = StatusClosed, e.Closing.Note, e.Closing.Summary
	case ir.KindAssign:
		if e.Team == "" {
			if e.Assignee == nil {
				return nil, errors.New("an assignment without an assignee")
			}
			a := *e.Assignee
			m.conv(in.ConversationID).Assignee = &a
			return nil, nil
		}
		members := m.teams[e.Team]
		var member string
		var ok bool
		switch e.Method {
		case ir.MethodLeastOpen:
			member, ok = PickLeastOpen(members, m.openCounts(members))
		case ir.MethodRoundRobin, "":
			var next int
			member, next, ok = PickRoundRobin(members, m.cursors[e.Team])
			if ok {
				m.cursors[e.Team] = next
			}
		default:
			return nil, fmt.Errorf("unknown assignment method %q", e.Method)
		}
		if !ok {
			return nil, ErrNoMembers
		}
		a := Assignee{Type: ir.TargetUser, Name: member, Team: e.Team}
		m.conv(in.ConversationID).Assignee = &a
		out := a
		return &out, nil
	case ir.KindUnassign:
		m.conv(in.ConversationID).Assignee = nil
	case ir.KindUpdateFields:
		maps.Copy(m.contact(in.ContactID).Fields, e.Fields)
	case ir.KindUpdateLifecycle:
		m.contact(in.ContactID).Lifecycle = e.Stage
	case ir.KindUpdateTags:
		c := m.contact(in.ContactID)
		c.Tags = applyTags(c.Tags, e.AddTags, e.RemoveTags)
	case ir.KindAddComment:
		if e.Comment == nil {
			return nil, errors.New("a comment step without a comment")
		}
		c := *e.Comment
		c.Mentions = slices.Clone(c.Mentions)
		m.comments = append(m.comments, c)
	case ir.KindTriggerWorkflow:
		if e.Workflow == nil {
			return nil, errors.New("a workflow step without a workflow")
		}
		m.events = append(m.events, *e.Workflow)
	default:
		return nil, fmt.Errorf("effect %q is not supported", e.Kind)
	}
	return nil, nil
}

// Commit implements TurnTx.
func (t *memTurn) Commit(context.Context, TurnRecord) error {
	if t.dup {
		return nil
	}
	m := t.m
	m.mu.Lock()
	defer m.mu.Unlock()
	if !t.holds() {
		return ErrLockLost
	}
	msg := m.messages[[2]string{t.in.ConversationID, t.in.MessageID}]
	msg.done = true
	msg.waiters--
	t.ended = true
	delete(m.locks, t.in.ConversationID)
	m.broadcast()
	return nil
}

// Abort implements TurnTx.
func (t *memTurn) Abort(context.Context) error {
	if t.dup || t.ended {
		return nil
	}
	m := t.m
	m.mu.Lock()
	defer m.mu.Unlock()
	t.ended = true
	if tok, ok := m.locks[t.in.ConversationID]; ok && tok == t.token {
		delete(m.locks, t.in.ConversationID)
		if msg := m.messages[[2]string{t.in.ConversationID, t.in.MessageID}]; msg.waiters > 0 {
			msg.waiters--
		}
	}
	m.broadcast()
	return nil
}

// Conversation implements Backend.
func (m *MemoryBackend) Conversation(_ context.Context, id string) (Conversation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.convs[id]; ok {
		return copyConv(c), nil
	}
	return Conversation{ID: id, Status: StatusOpen}, nil
}

// PutConversation implements Seeder.
func (m *MemoryBackend) PutConversation(_ context.Context, c Conversation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c.Status == "" {
		c.Status = StatusOpen
	}
	cc := copyConv(&c)
	m.convs[c.ID] = &cc
	return nil
}

// ClaimEvents implements Outbox.
func (m *MemoryBackend) ClaimEvents(_ context.Context, max int, lease time.Duration) ([]Event, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	var out []Event
	for _, e := range m.outbox {
		if len(out) >= max {
			break
		}
		if e.acked || e.due.After(now) {
			continue
		}
		e.Attempts++
		e.due = now.Add(lease)
		out = append(out, e.Event)
	}
	return out, nil
}

func (m *MemoryBackend) event(id string) (*memEvent, error) {
	for _, e := range m.outbox {
		if e.ID == id {
			return e, nil
		}
	}
	return nil, fmt.Errorf("no event %s in the outbox", id)
}

// AckEvent implements Outbox.
func (m *MemoryBackend) AckEvent(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, err := m.event(id)
	if err != nil {
		return err
	}
	e.acked = true
	return nil
}

// RetryEvent implements Outbox.
func (m *MemoryBackend) RetryEvent(_ context.Context, id string, at time.Time, lastErr string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, err := m.event(id)
	if err != nil {
		return err
	}
	e.due, e.lastErr = at, lastErr
	return nil
}

// Contact implements Backend.
func (m *MemoryBackend) Contact(_ context.Context, id string) (Contact, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.contacts[id]
	if !ok {
		return Contact{ID: id, Fields: map[string]string{}}, nil
	}
	return Contact{ID: c.ID, Fields: maps.Clone(c.Fields), Lifecycle: c.Lifecycle, Tags: slices.Clone(c.Tags)}, nil
}

// applyTags adds (once) and removes tags, keeping them sorted so that every
// backend reports them the same way.
func applyTags(tags, add, remove []string) []string {
	set := map[string]bool{}
	for _, t := range tags {
		set[t] = true
	}
	for _, t := range add {
		set[t] = true
	}
	for _, t := range remove {
		delete(set, t)
	}
	return slices.Sorted(maps.Keys(set))
}

// TeamMembers implements Recorder.
func (m *MemoryBackend) TeamMembers(_ context.Context, team string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.teams[team]), nil
}

// OpenCounts implements Recorder.
func (m *MemoryBackend) OpenCounts(_ context.Context, members []string) (map[string]int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.openCounts(members), nil
}

func (m *MemoryBackend) openCounts(members []string) map[string]int {
	out := make(map[string]int, len(members))
	for _, mem := range members {
		out[mem] = m.baseLoad[mem]
	}
	for _, c := range m.convs {
		if c.Status == StatusOpen && c.Assignee != nil && c.Assignee.Type == ir.TargetUser {
			if _, ok := out[c.Assignee.Name]; ok {
				out[c.Assignee.Name]++
			}
		}
	}
	return out
}

// SetTeam implements Seeder.
func (m *MemoryBackend) SetTeam(_ context.Context, team string, members []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.teams[team] = slices.Clone(members)
	return nil
}

// PutContact implements Seeder.
func (m *MemoryBackend) PutContact(_ context.Context, c Contact) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	fields := maps.Clone(c.Fields)
	if fields == nil {
		fields = map[string]string{}
	}
	m.contacts[c.ID] = &Contact{ID: c.ID, Fields: fields, Lifecycle: c.Lifecycle, Tags: applyTags(nil, c.Tags, nil)}
	return nil
}

// SetBaseLoad implements Seeder.
func (m *MemoryBackend) SetBaseLoad(_ context.Context, member string, open int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.baseLoad[member] = open
	return nil
}

// Comments implements Recorder.
func (m *MemoryBackend) Comments(_ context.Context, id string) ([]Comment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Comment
	for _, c := range m.comments {
		if c.ConversationID == id {
			c.Mentions = slices.Clone(c.Mentions)
			out = append(out, c)
		}
	}
	return out, nil
}

// WorkflowEvents implements Recorder.
func (m *MemoryBackend) WorkflowEvents(_ context.Context, id string) ([]WorkflowEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []WorkflowEvent
	for _, e := range m.events {
		if e.ConversationID == id {
			out = append(out, e)
		}
	}
	return out, nil
}
