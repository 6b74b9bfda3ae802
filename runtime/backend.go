package runtime

import (
	"context"
	"errors"

	"github.com/instrc/instrc/ir"
)

// Status of a conversation as the backend keeps it.
const (
	StatusOpen   = "open"
	StatusClosed = "closed"
)

// ErrNoMembers is returned by a backend asked to pick a member of a team that
// has none, so that the assign action fails with a reason instead of
// leaving the conversation with nobody.
var ErrNoMembers = errors.New("the team has no members")

// Contact is what the backend stores about a contact. Fields are keyed by the
// workspace's field name.
type Contact struct {
	ID        string            `json:"id"`
	Fields    map[string]string `json:"fields,omitempty"`
	Lifecycle string            `json:"lifecycle,omitempty"`
	Tags      []string          `json:"tags,omitempty"`
}

// Assignee is who a conversation is assigned to. For a team assignment, Name
// is the member who got it and Team the team it was assigned through.
type Assignee struct {
	Type string `json:"type"` // user or ai_agent (ir.TargetUser, ir.TargetAIAgent)
	Name string `json:"name"`
	Team string `json:"team,omitempty"`
}

// Conversation is a conversation's state as the backend keeps it.
type Conversation struct {
	ID          string    `json:"id"`
	ContactID   string    `json:"contactId"`
	Status      string    `json:"status"` // StatusOpen or StatusClosed
	Assignee    *Assignee `json:"assignee,omitempty"`
	ClosingNote string    `json:"closingNote,omitempty"`
	Summary     string    `json:"summary,omitempty"`
}

// Inbound identifies an inbound message for Backend.BeginTurn.
type Inbound struct {
	ConversationID string
	ContactID      string
	MessageID      string
}

// Closing is what a close action writes: the closing note (may be empty) and
// the summary (empty when the instruction said not to write one).
type Closing struct {
	Note    string
	Summary string
}

// Comment is an internal comment on a conversation. Mentions are user names.
type Comment struct {
	ConversationID string   `json:"conversationId"`
	Text           string   `json:"text"`
	Mentions       []string `json:"mentions,omitempty"`
}

// WorkflowEvent is the event a trigger_workflow action emits for the host to
// run its own automation.
type WorkflowEvent struct {
	ConversationID string `json:"conversationId"`
	ContactID      string `json:"contactId"`
	Workflow       string `json:"workflow"`
}

// Backend is what a chat backend owns and the engine acts on. Every method
// must be safe for concurrent use; the methods that pick or claim something
// (BeginTurn, AssignMember) must be atomic, because fairness and
// exactly-once execution rest on them.
//
// Unknown conversations and contacts are not errors: they read as new (an
// open, unassigned conversation; a contact without fields).
type Backend interface {
	// BeginTurn records an inbound message and applies the backend's rule
	// for closed conversations (the in-memory and SQLite backends reopen a
	// closed conversation on a new inbound message). It returns the
	// conversation after that, and first=false when the message id was
	// already recorded for this conversation, in which case nothing changes.
	// An empty message id is never recorded and always reads as first.
	BeginTurn(ctx context.Context, in Inbound) (conv Conversation, first bool, err error)
	// Conversation returns a conversation's state.
	Conversation(ctx context.Context, id string) (Conversation, error)

	// Assign assigns a conversation to a user or AI agent.
	Assign(ctx context.Context, conversationID string, a Assignee) error
	// AssignMember picks a member of team by method (ir.MethodRoundRobin or
	// ir.MethodLeastOpen) and assigns the conversation to them, atomically:
	// concurrent calls on one team must spread conversations evenly. It
	// returns the member chosen, or ErrNoMembers.
	AssignMember(ctx context.Context, conversationID, team, method string) (string, error)
	// Unassign removes the conversation's assignee.
	Unassign(ctx context.Context, conversationID string) error
	// CloseConversation closes a conversation with a closing note and summary.
	CloseConversation(ctx context.Context, conversationID string, c Closing) error
	// AddComment adds an internal comment.
	AddComment(ctx context.Context, c Comment) error
	// TriggerWorkflow records a workflow event for the host.
	TriggerWorkflow(ctx context.Context, e WorkflowEvent) error

	// Contact returns a contact's state.
	Contact(ctx context.Context, id string) (Contact, error)
	// SetFields writes contact fields (name → canonical value).
	SetFields(ctx context.Context, contactID string, values map[string]string) error
	// SetLifecycle sets the contact's lifecycle stage.
	SetLifecycle(ctx context.Context, contactID, stage string) error
	// UpdateTags adds and removes tags on the contact.
	UpdateTags(ctx context.Context, contactID string, add, remove []string) error

	// TeamMembers returns a team's members in order.
	TeamMembers(ctx context.Context, team string) ([]string, error)
	// OpenCounts returns each member's number of open conversations.
	OpenCounts(ctx context.Context, members []string) (map[string]int, error)
}

// Seeder is implemented by the bundled backends so that hosts, the CLI and
// tests can load state: teams from the workspace, contacts from a replayed
// conversation, and members' existing load.
type Seeder interface {
	SetTeam(ctx context.Context, team string, members []string) error
	PutContact(ctx context.Context, c Contact) error
	// SetBaseLoad sets open conversations a member has outside this backend
	// (counted by least-open assignment).
	SetBaseLoad(ctx context.Context, member string, open int) error
}

// Recorder is implemented by the bundled backends so that hosts and tests can
// read what the agent wrote: comments and workflow events.
type Recorder interface {
	Comments(ctx context.Context, conversationID string) ([]Comment, error)
	WorkflowEvents(ctx context.Context, conversationID string) ([]WorkflowEvent, error)
}

// PickLeastOpen returns the member with the fewest open conversations, the
// first in team order on ties. Backends use it inside AssignMember.
func PickLeastOpen(members []string, open map[string]int) (string, bool) {
	best, bestN := "", 0
	for i, m := range members {
		if n := open[m]; i == 0 || n < bestN {
			best, bestN = m, n
		}
	}
	return best, len(members) > 0
}

// PickRoundRobin returns the member at cursor (modulo the team size) and the
// next cursor. Backends use it inside AssignMember.
func PickRoundRobin(members []string, cursor int) (string, int, bool) {
	if len(members) == 0 {
		return "", cursor, false
	}
	if cursor < 0 {
		cursor = 0
	}
	return members[cursor%len(members)], cursor + 1, true
}

// SeedWorkspace loads the workspace's teams into a backend, so that a fresh
// backend can assign to the teams the plan names.
func SeedWorkspace(ctx context.Context, s Seeder, ws *ir.Workspace) error {
	if ws == nil {
		return nil
	}
	for _, t := range ws.Teams {
		if err := s.SetTeam(ctx, t.Name, t.Members); err != nil {
			return err
		}
	}
	return nil
}
