package runtime

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/instrc/instrc/ir"
)

// MemoryBackend keeps everything in memory behind one mutex. It is the
// backend of tests and benchmarks, and a reference for hosts writing their
// own. The zero value is not usable: call NewMemoryBackend.
type MemoryBackend struct {
	mu        sync.Mutex
	convs     map[string]*Conversation
	contacts  map[string]*Contact
	teams     map[string][]string
	cursors   map[string]int
	baseLoad  map[string]int
	processed map[[2]string]bool
	comments  []Comment
	events    []WorkflowEvent
}

var (
	_ Backend  = (*MemoryBackend)(nil)
	_ Seeder   = (*MemoryBackend)(nil)
	_ Recorder = (*MemoryBackend)(nil)
)

// NewMemoryBackend returns an empty in-memory backend.
func NewMemoryBackend() *MemoryBackend {
	return &MemoryBackend{
		convs:     map[string]*Conversation{},
		contacts:  map[string]*Contact{},
		teams:     map[string][]string{},
		cursors:   map[string]int{},
		baseLoad:  map[string]int{},
		processed: map[[2]string]bool{},
	}
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

func copyConv(c *Conversation) Conversation {
	out := *c
	if c.Assignee != nil {
		a := *c.Assignee
		out.Assignee = &a
	}
	return out
}

// BeginTurn implements Backend.
func (m *MemoryBackend) BeginTurn(_ context.Context, in Inbound) (Conversation, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.conv(in.ConversationID)
	if in.ContactID != "" {
		c.ContactID = in.ContactID
	}
	if in.MessageID != "" {
		key := [2]string{in.ConversationID, in.MessageID}
		if m.processed[key] {
			return copyConv(c), false, nil
		}
		m.processed[key] = true
	}
	if c.Status == StatusClosed {
		c.Status = StatusOpen
		c.ClosingNote, c.Summary = "", ""
	}
	return copyConv(c), true, nil
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

// Assign implements Backend.
func (m *MemoryBackend) Assign(_ context.Context, id string, a Assignee) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.conv(id).Assignee = &a
	return nil
}

// AssignMember implements Backend.
func (m *MemoryBackend) AssignMember(_ context.Context, id, team, method string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	members := m.teams[team]
	var member string
	var ok bool
	switch method {
	case ir.MethodLeastOpen:
		member, ok = PickLeastOpen(members, m.openCounts(members))
	case ir.MethodRoundRobin, "":
		var next int
		member, next, ok = PickRoundRobin(members, m.cursors[team])
		if ok {
			m.cursors[team] = next
		}
	default:
		return "", fmt.Errorf("unknown assignment method %q", method)
	}
	if !ok {
		return "", ErrNoMembers
	}
	m.conv(id).Assignee = &Assignee{Type: ir.TargetUser, Name: member, Team: team}
	return member, nil
}

// Unassign implements Backend.
func (m *MemoryBackend) Unassign(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.conv(id).Assignee = nil
	return nil
}

// CloseConversation implements Backend.
func (m *MemoryBackend) CloseConversation(_ context.Context, id string, cl Closing) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.conv(id)
	c.Status, c.ClosingNote, c.Summary = StatusClosed, cl.Note, cl.Summary
	return nil
}

// AddComment implements Backend.
func (m *MemoryBackend) AddComment(_ context.Context, c Comment) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c.Mentions = slices.Clone(c.Mentions)
	m.comments = append(m.comments, c)
	return nil
}

// TriggerWorkflow implements Backend.
func (m *MemoryBackend) TriggerWorkflow(_ context.Context, e WorkflowEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.events = append(m.events, e)
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

// SetFields implements Backend.
func (m *MemoryBackend) SetFields(_ context.Context, id string, values map[string]string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	maps.Copy(m.contact(id).Fields, values)
	return nil
}

// SetLifecycle implements Backend.
func (m *MemoryBackend) SetLifecycle(_ context.Context, id, stage string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.contact(id).Lifecycle = stage
	return nil
}

// UpdateTags implements Backend.
func (m *MemoryBackend) UpdateTags(_ context.Context, id string, add, remove []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.contact(id)
	c.Tags = applyTags(c.Tags, add, remove)
	return nil
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

// TeamMembers implements Backend.
func (m *MemoryBackend) TeamMembers(_ context.Context, team string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.teams[team]), nil
}

// OpenCounts implements Backend.
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
