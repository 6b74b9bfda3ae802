package runtime

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/instrc/instrc/ir"
)

// Message roles in a conversation's history.
const (
	RoleContact = "contact"
	RoleAgent   = "agent"
)

// Message is one message of a conversation's history.
type Message struct {
	Role string `json:"role"` // RoleContact or RoleAgent
	Text string `json:"text"`
}

// TurnInput is one inbound message with its context.
type TurnInput struct {
	ConversationID string
	ContactID      string // defaults to ConversationID
	// MessageID identifies the inbound message: the same id delivered twice
	// runs its actions once. Empty disables that check.
	MessageID string
	Text      string
	// Audio, when set, is a voice message or an audio file: it is
	// transcribed (Options.Transcriber) and the turn handles the
	// transcript as Text.
	Audio *Audio
	// History holds the earlier messages, oldest first.
	History []Message
	// ArrivedAt is when the message arrived, for its place in the
	// conversation's queue (Inbound.ArrivedAt); zero is when it is queued.
	ArrivedAt time.Time
	// Language forces the reply language ("en" or "fr"); empty detects it
	// from the message and falls back to the plan's language.
	Language string
	// OnReply, when set, receives the reply as it is written, after every
	// action of the turn has run: a model's reply sentence by sentence as
	// the model streams it (each sentence checked for claims first), a
	// template or stock reply in one piece. A delta with Restart set
	// withdraws what was shown: the model's reply claimed something that
	// did not run, and the stock reply follows. No call when no reply is
	// sent.
	OnReply func(ReplyDelta)
	// OnActions, when set, receives the turn's result once every action
	// has run, before the reply is written: a chat can show what was done,
	// then stream the reply.
	OnActions func(TurnResult)
}

// ReplyDelta is a piece of a reply being streamed.
type ReplyDelta struct {
	Text string
	// Restart discards the text shown so far (see TurnInput.OnReply).
	Restart bool
}

// Outcome statuses of an action.
const (
	OK      = "ok"
	Failed  = "failed"
	Skipped = "skipped"
)

// ActionOutcome is one action of the chosen scenario and what became of it.
type ActionOutcome struct {
	Action ir.Action
	Status string // OK, Failed or Skipped
	Reason string // why it failed or was skipped
	// Values holds the field values written by update_fields (name →
	// canonical value).
	Values map[string]string
	// Assignee is who got the conversation, for assign.
	Assignee *Assignee
	// ClosingNote is the note written by close (the plan's, or the one the
	// model picked).
	ClosingNote string
	// Response is what a call's Caller returned: the custom action's
	// status and body, kept when the status failed the action too, for the
	// reply. Nil when the call failed before any answer (a missing input, a
	// network error, a timeout). A caller that sends nothing (DryRunCaller)
	// returns StatusCode 0, and the ok action's Reason says what it would
	// have sent.
	Response *CallResponse
}

// MarshalJSON writes the plan's action object followed by "status",
// "reason" (when not ok), "values" (for update_fields) and "httpStatus"
// (for a call whose request was answered), the shape `instrc simulate`
// prints (docs/testing.md).
func (o ActionOutcome) MarshalJSON() ([]byte, error) {
	a, err := json.Marshal(o.Action)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Write(a[:len(a)-1]) // without the closing brace
	extra := struct {
		Status     string            `json:"status"`
		Reason     string            `json:"reason,omitempty"`
		Values     map[string]string `json:"values,omitempty"`
		HTTPStatus int               `json:"httpStatus,omitempty"`
	}{Status: o.Status, Reason: o.Reason, Values: o.Values}
	if o.Response.Answered() {
		extra.HTTPStatus = o.Response.StatusCode
	}
	if o.Status == OK {
		extra.Reason = ""
	}
	e, err := json.Marshal(extra)
	if err != nil {
		return nil, err
	}
	if len(a) > 2 {
		b.WriteByte(',')
	}
	b.Write(e[1:])
	return b.Bytes(), nil
}

// ModelCall is one call to the model, for cost and latency accounting.
type ModelCall struct {
	Purpose string // "choose" or "reply"
	// PromptTokens and CompletionTokens are what the provider reported (0
	// when it reported nothing).
	PromptTokens     int
	CompletionTokens int
	// InputTokens and OutputTokens are counted by the runtime with a real
	// tokenizer (Tokenizer, o200k_base) on the request as a chat API sends
	// it and on the answer, whatever the provider reports. PrefixTokens is
	// the system prompt's share of InputTokens: identical on every turn of
	// a plan, the part a provider's prompt cache can reuse.
	InputTokens  int
	OutputTokens int
	PrefixTokens int
	Latency      time.Duration
	// Error is set when the call failed (timeout, HTTP error); the turn then
	// fell back as documented.
	Error string
}

// Chooser names who chose the scenario.
const (
	ChooserOffline = "offline"
	ChooserModel   = "model"
)

// Reply sources.
const (
	ReplyTemplate = "template"
	ReplyModel    = "model"
	ReplyStock    = "stock"
)

// TurnResult is what one turn did.
type TurnResult struct {
	ConversationID string
	MessageID      string
	// Duplicate is true when the message id was already processed: nothing
	// ran and no reply is sent.
	Duplicate bool
	// Scenario is the chosen scenario's id, empty when nothing matched.
	Scenario string
	// Why says why the scenario was chosen (or why none was).
	Why string
	// Chooser is ChooserOffline or ChooserModel.
	Chooser string
	// ModelSkipped says why a configured model was not asked to choose:
	// the offline matcher was sure (a clear match, or nothing related).
	ModelSkipped string
	// Confidence is how sure the offline matcher is of its choice, 0..1,
	// calibrated so that a choice at or above SureConfidence is rarely
	// wrong; 0 when nothing matched. RunnerUp is the scenario that scored
	// next (empty when none did). The offline matcher always runs:
	// RunnerUp is set also when a model then chooses, Confidence only when
	// the offline choice stands.
	Confidence float64
	RunnerUp   string
	// Fallback is set when the model could not be used for a step and the
	// engine fell back (see the package documentation of Engine.Turn), or
	// when an audio message could not be transcribed.
	Fallback string
	// Transcript is what an audio message says, as transcribed.
	Transcript string
	Actions    []ActionOutcome
	Reply      string
	// ReplySent is false when no reply goes out (after unassign, a reply
	// marked none, a closed conversation, a duplicate message).
	ReplySent   bool
	ReplySource string // ReplyTemplate, ReplyModel or ReplyStock
	// ReplyReason says why no reply is sent, when ReplySent is false.
	ReplyReason string
	// ReplyRejected says why the reply the model wrote was not sent: it
	// claimed something that did not run or failed this turn. The stock
	// reply, which states the outcomes, went instead.
	ReplyRejected string
	Language      string
	ModelCalls    []ModelCall
	Elapsed       time.Duration
	// LockWait is how long the turn waited for its conversation (earlier
	// messages' turns, another replica's turn).
	LockWait time.Duration
	// Resumed is the number of actions an earlier attempt of the same
	// message ran (a crash or a lost lock cut it short): their outcomes are
	// the recorded ones, and they did not run again.
	Resumed int
	// PlanHash is the SHA-256 of the plan that ran the turn.
	PlanHash string
}

// Failed reports whether an action of the turn failed.
func (r TurnResult) Failed() bool {
	for _, a := range r.Actions {
		if a.Status == Failed {
			return true
		}
	}
	return false
}
