package runtime

import (
	"context"
	"encoding/json"
	"time"

	"github.com/instrc/instrc/ir"
)

// Event is a host event waiting in a backend's outbox: one per recorded
// step, written in the same transaction as the step's effect, so that no
// event is lost across a crash and none is written twice. Its ID is derived
// from the action's key (ActionKey), so a redelivery never makes a second
// event for the same action.
type Event struct {
	ID             string
	ConversationID string
	Type           string // "action." + the action's kind: "action.assign", "action.call", ...
	Payload        json.RawMessage
	CreatedAt      time.Time
	Attempts       int // deliveries claimed so far, this claim included
}

// Outbox is implemented by the bundled backends. A delivery worker claims
// due events, delivers them, and acknowledges or reschedules each one.
type Outbox interface {
	// ClaimEvents returns up to max events that are due, oldest first, and
	// hides them from other claims for lease (a worker that dies releases
	// them when the lease ends). Each claim counts one attempt.
	ClaimEvents(ctx context.Context, max int, lease time.Duration) ([]Event, error)
	// AckEvent marks an event delivered: it is never claimed again.
	AckEvent(ctx context.Context, id string) error
	// RetryEvent makes a claimed event due again at at, keeping lastErr.
	RetryEvent(ctx context.Context, id string, at time.Time, lastErr string) error
}

// EventPayload is the JSON payload of an action event.
type EventPayload struct {
	ConversationID string          `json:"conversationId"`
	ContactID      string          `json:"contactId"`
	MessageID      string          `json:"messageId"`
	Index          int             `json:"index"`
	Action         json.RawMessage `json:"action"` // the action with its status, as a turn prints it
	Assignee       *Assignee       `json:"assignee,omitempty"`
	ClosingNote    string          `json:"closingNote,omitempty"`
}

// NewActionEvent is the outbox event of a recorded step. Backends call it
// inside Apply, after the record is complete.
func NewActionEvent(in Inbound, s Step, rec StepRecord, now time.Time) (Event, error) {
	action, err := json.Marshal(rec.Outcome(s.Action))
	if err != nil {
		return Event{}, err
	}
	p, err := json.Marshal(EventPayload{ConversationID: in.ConversationID, ContactID: in.ContactID, MessageID: in.MessageID,
		Index: rec.Index, Action: action, Assignee: rec.Assignee, ClosingNote: rec.ClosingNote})
	if err != nil {
		return Event{}, err
	}
	return Event{ID: "evt_" + ActionKey(in.ConversationID, in.MessageID, rec.Index), ConversationID: in.ConversationID,
		Type: "action." + s.Action.Kind, Payload: p, CreatedAt: now}, nil
}

// Outcome is the action outcome a record stands for.
func (r StepRecord) Outcome(a ir.Action) ActionOutcome {
	return ActionOutcome{Action: a, Status: r.Status, Reason: r.Reason, Values: r.Values, Assignee: r.Assignee,
		ClosingNote: r.ClosingNote, Response: r.Response}
}

// record is the step record of an outcome.
func record(index int, o ActionOutcome) StepRecord {
	return StepRecord{Index: index, Status: o.Status, Reason: o.Reason, Values: o.Values, Assignee: o.Assignee,
		ClosingNote: o.ClosingNote, Response: o.Response}
}
