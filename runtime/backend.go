package runtime

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

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
	// MessageID is the redelivery key. The engine never passes an empty
	// one: a message without an id gets a fresh id of its own.
	MessageID string
	// ArrivedAt is when the message arrived (a server's first look at the
	// request); zero is when the backend queues it. Messages of one
	// conversation run in the order they arrived, across replicas.
	ArrivedAt time.Time
}

// Closing is what a close action writes: the closing note (may be empty) and
// the summary (empty when the instruction said not to write one).
type Closing struct {
	Note    string `json:"note,omitempty"`
	Summary string `json:"summary,omitempty"`
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

// Errors a backend returns from a turn.
var (
	// ErrLockLost is returned by TurnTx.Apply and TurnTx.Commit when the
	// turn no longer holds its conversation's lock (its lease expired and
	// another turn took it): nothing was written.
	ErrLockLost = errors.New("the turn lost its conversation lock to another turn")
	// ErrNotProcessed wraps every error of Engine.Turn after which the
	// message is free to be delivered again: the backend was busy or
	// failed, the request was cancelled before the turn started, the turn
	// lost its lock. Actions that ran are recorded and do not run again.
	ErrNotProcessed = errors.New("the message was not processed; deliver it again")
)

// Backend is what a chat backend owns and the engine acts on. Every method
// must be safe for concurrent use, also across processes sharing the store.
//
// Unknown conversations and contacts are not errors: they read as new (an
// open, unassigned conversation; a contact without fields).
type Backend interface {
	// BeginTurn starts the turn of an inbound message. It waits, as long
	// as ctx allows, until the message is the oldest of its conversation
	// still waiting and no other turn holds the conversation, then takes
	// the conversation's turn lock. A message whose turn has committed
	// reads as a duplicate and takes no lock. A message that is neither
	// applies the backend's rule for closed conversations (the bundled
	// backends reopen a closed conversation on a new inbound message)
	// unless an earlier attempt of the same message recorded steps.
	BeginTurn(ctx context.Context, in Inbound) (TurnTx, error)
	// Conversation returns a conversation's state.
	Conversation(ctx context.Context, id string) (Conversation, error)
	// Contact returns a contact's state.
	Contact(ctx context.Context, id string) (Contact, error)
}

// Queuer is implemented by backends that can give a message its place in
// its conversation's queue before BeginTurn waits for its turn: a server
// calls it as soon as a message arrives (Engine.Enqueue), so that messages
// of one conversation arriving at several replicas run in the order they
// arrived. BeginTurn enqueues a message that was not.
type Queuer interface {
	Enqueue(ctx context.Context, in Inbound) error
}

// TurnTx is one turn holding its conversation's lock. Its methods are
// called from one goroutine.
type TurnTx interface {
	// Conversation is the conversation when the turn began.
	Conversation() Conversation
	// Contact is the contact as of the turn's message: when the turn
	// began or, for a message an earlier attempt recorded steps of, when
	// that attempt began (kept with the message), so that a resumed turn
	// reads what its own message saw, not what a later message wrote.
	Contact() Contact
	// Duplicate reports that the message's turn already committed: nothing
	// may run. Apply, Commit and Abort do nothing on a duplicate.
	Duplicate() bool
	// Recorded returns the steps an earlier attempt of the same message
	// recorded (a crash or a lost lock cut it short), in index order.
	Recorded() []StepRecord
	// Apply writes one step in one transaction, fenced by the turn's lock:
	// the step's effect, its record keyed by (message id, step index), and
	// an outbox event. A step already recorded is not applied again: its
	// record is returned. For an assignment through a team the backend picks
	// the member (round robin or least open, atomically) and returns the
	// record with the Assignee; a team without members returns
	// ErrNoMembers and writes nothing. ErrLockLost when the lock is lost.
	Apply(ctx context.Context, s Step) (StepRecord, error)
	// Commit marks the message processed and releases the lock, in one
	// transaction fenced by the lock.
	Commit(ctx context.Context, r TurnRecord) error
	// Abort releases the lock without marking the message processed, so
	// that a redelivery runs the steps not recorded.
	Abort(ctx context.Context) error
}

// Effect is what a step writes to the backend's state. Kind is the action's
// kind (ir.KindClose, ...); empty for a step that writes only its record (a
// custom action call, a failed step).
type Effect struct {
	Kind string `json:"kind,omitempty"`
	// Assignee for ir.KindAssign to a user or AI agent.
	Assignee *Assignee `json:"assignee,omitempty"`
	// Team and Method for ir.KindAssign through a team.
	Team   string `json:"team,omitempty"`
	Method string `json:"method,omitempty"`
	// Closing for ir.KindClose.
	Closing Closing `json:"closing,omitzero"`
	// Comment for ir.KindAddComment.
	Comment *Comment `json:"comment,omitempty"`
	// Workflow for ir.KindTriggerWorkflow.
	Workflow *WorkflowEvent `json:"workflow,omitempty"`
	// Fields for ir.KindUpdateFields, Stage for ir.KindUpdateLifecycle,
	// AddTags and RemoveTags for ir.KindUpdateTags.
	Fields     map[string]string `json:"fields,omitempty"`
	Stage      string            `json:"stage,omitempty"`
	AddTags    []string          `json:"addTags,omitempty"`
	RemoveTags []string          `json:"removeTags,omitempty"`
}

// Step is one action of a chain, for TurnTx.Apply.
type Step struct {
	Index  int       // the action's index in the scenario
	Action ir.Action // the plan's action
	Effect Effect
	Record StepRecord // what to record (the backend sets Index and, for a team assignment, Assignee)
}

// StepRecord is what a backend records for one step: the action's outcome,
// enough to rebuild it on a redelivery without running the action again.
// The first step's record also holds the turn's choice, so that a redelivery
// continues the same scenario.
type StepRecord struct {
	Index       int               `json:"index"`
	Status      string            `json:"status"`
	Reason      string            `json:"reason,omitempty"`
	Values      map[string]string `json:"values,omitempty"`
	Assignee    *Assignee         `json:"assignee,omitempty"`
	ClosingNote string            `json:"closingNote,omitempty"`
	Response    *CallResponse     `json:"response,omitempty"`
	Choice      *TurnChoice       `json:"choice,omitempty"`
}

// TurnChoice is what chose the scenario of a turn whose steps began.
type TurnChoice struct {
	Scenario string            `json:"scenario"`
	Why      string            `json:"why,omitempty"`
	Chooser  string            `json:"chooser,omitempty"`
	Fields   map[string]string `json:"fields,omitempty"`
	Inputs   map[string]string `json:"inputs,omitempty"`
	Note     string            `json:"note,omitempty"`
	Summary  string            `json:"summary,omitempty"`
}

// TurnRecord is what Commit stores about a finished turn.
type TurnRecord struct {
	Scenario  string
	Reply     string
	ReplySent bool
	PlanHash  string
}

// ActionKey is the key of one action of one inbound message: the outbox
// event's id ("evt_" + key) and the custom action's Idempotency-Key header
// ("instrc-" + key) are derived from it, so that a redelivery that sends a
// call again sends it under the same key.
func ActionKey(conversationID, messageID string, index int) string {
	h := sha256.Sum256([]byte(conversationID + "\x00" + messageID + "\x00" + strconv.Itoa(index)))
	return hex.EncodeToString(h[:16])
}

// Seeder is implemented by the bundled backends so that hosts, the CLI and
// tests can load state outside turns: teams from the workspace, contacts
// from a replayed conversation, members' existing load, and conversation
// state the host changed itself (a human closed or reassigned it).
type Seeder interface {
	SetTeam(ctx context.Context, team string, members []string) error
	PutContact(ctx context.Context, c Contact) error
	// PutConversation replaces a conversation's state.
	PutConversation(ctx context.Context, c Conversation) error
	// SetBaseLoad sets open conversations a member has outside this backend
	// (counted by least-open assignment).
	SetBaseLoad(ctx context.Context, member string, open int) error
}

// Recorder is implemented by the bundled backends so that hosts and tests can
// read what the agent wrote and the state assignments rest on.
type Recorder interface {
	Comments(ctx context.Context, conversationID string) ([]Comment, error)
	WorkflowEvents(ctx context.Context, conversationID string) ([]WorkflowEvent, error)
	// TeamMembers returns a team's members in order.
	TeamMembers(ctx context.Context, team string) ([]string, error)
	// OpenCounts returns each member's number of open conversations.
	OpenCounts(ctx context.Context, members []string) (map[string]int, error)
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
