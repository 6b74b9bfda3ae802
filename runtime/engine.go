package runtime

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/stdlib"
)

// Options configure an Engine. Every field is optional.
type Options struct {
	// Backend holds conversation, contact and team state. Default: a new
	// MemoryBackend.
	Backend Backend
	// Model chooses scenarios and writes replies when set; nil runs the
	// offline matcher and stock replies.
	Model Model
	// ModelTimeout bounds each model call. Default: 20 seconds.
	ModelTimeout time.Duration
	// Clock returns the current time (for business hours and relative
	// dates such as "tomorrow"). Default: time.Now.
	Clock func() time.Time
	// Logger receives one record per turn and per fallback. Default: a
	// logger that discards everything.
	Logger *slog.Logger
	// MinScore is how well the offline matcher must match a scenario for it
	// to run, in (0,1]. Default: 0.5.
	MinScore float64
	// BusinessHours reports whether a time is within business hours, for the
	// business_hours state check. Default: Monday to Friday, 9:00 to 17:59 in
	// the clock's time zone.
	BusinessHours func(time.Time) bool
	// HistoryLimit is how many earlier messages the model sees and a close
	// summary covers. Default: 20.
	HistoryLimit int
	// Caller runs the plan's `call` actions (custom HTTP actions). Default:
	// an HTTPCaller that sends real requests, reading secrets with
	// os.Getenv. DryRunCaller sends nothing.
	Caller Caller
	// CallTimeout bounds each call of a custom action. Default: 10 seconds.
	CallTimeout time.Duration
	// TurnTimeout bounds a turn once it holds its conversation; the
	// caller's context no longer cancels it then. Default: 2 minutes.
	TurnTimeout time.Duration
	// ModelSureMatch is the offline matcher's confidence at or above
	// which its choice stands and the model is not asked to choose.
	// Default: DefaultModelSureMatch. Above 1 (the highest confidence),
	// the model is asked on every turn.
	ModelSureMatch float64
	// ModelSureNone is the offline score at or below which nothing in the
	// message relates to any scenario, so the model is not asked either.
	// Default: 0 (no intent and no keyword of any scenario in the
	// message). Negative: the model is asked even then.
	ModelSureNone float64
	// TracerProvider receives the spans of each turn, model call and
	// action (OpenTelemetry, GenAI semantic conventions: docs/runtime.md,
	// "Traces"). Default: the global provider, a no-op unless the program
	// installed one (telemetry.Setup does from the OTEL_ variables).
	TracerProvider trace.TracerProvider
	// TraceContent records the prompts and the answers in the model
	// calls' spans. Off by default: they hold the contact's words.
	TraceContent bool
	// Transcriber turns audio messages (TurnInput.Audio) into text. Nil:
	// an audio message is not understood, and nothing runs.
	Transcriber Transcriber
}

// Engine runs a plan, one turn at a time. It holds no per-conversation state
// (that lives in the Backend), so one Engine is safe for concurrent use
// across conversations.
type Engine struct {
	plan      *ir.Plan
	scenarios []compiled
	// inputs lists, parallel to scenarios, the inputs of each scenario's
	// call actions: the only inputs a model may fill for it.
	inputs [][]callInput
	byID   map[string]int
	// lang is the plan's language ("en" or "fr") and locale how its values
	// are read: chosen once, from the plan's language and the workspace's
	// phone region, and used wherever a value is extracted or validated.
	lang   string
	locale stdlib.ExtractOptions
	// labels are the workspace's closing notes of two words or more,
	// folded: a message quoting one is not asking for it.
	labels []string
	// vocab is the plan's words, for reading misspelt words (matcher).
	vocab *vocabulary
	// allowedNets are the workspace's allow_private_networks.
	allowedNets []netip.Prefix
	opts        Options
	// planHash identifies the plan (ir.Hash), recorded with each turn.
	planHash string
	log      *slog.Logger
	// prefixes caches the token counts of the system prompts' fixed
	// prefixes.
	prefixes prefixTokens
	// chooseFixed is the fixed prefix of the choose call's system prompt,
	// written once.
	chooseOnce  sync.Once
	chooseFixed string
	// replyFixed is the reply call's, written once.
	replyOnce  sync.Once
	replyFixed string
}

// New checks the plan and prepares an engine for it.
func New(plan *ir.Plan, opts Options) (*Engine, error) {
	if plan == nil {
		return nil, errors.New("runtime: no plan")
	}
	if err := plan.Validate(); err != nil {
		return nil, fmt.Errorf("runtime: %w", err)
	}
	if opts.Backend == nil {
		opts.Backend = NewMemoryBackend()
	}
	if opts.ModelTimeout <= 0 {
		opts.ModelTimeout = 20 * time.Second
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.MinScore <= 0 || opts.MinScore > 1 {
		opts.MinScore = 0.5
	}
	if opts.BusinessHours == nil {
		opts.BusinessHours = defaultBusinessHours
	}
	if opts.HistoryLimit <= 0 {
		opts.HistoryLimit = 20
	}
	if opts.Caller == nil {
		opts.Caller = NewHTTPCaller(HTTPCallerOptions{})
	}
	if opts.CallTimeout <= 0 {
		opts.CallTimeout = 10 * time.Second
	}
	if opts.TurnTimeout <= 0 {
		opts.TurnTimeout = 2 * time.Minute
	}
	if opts.ModelSureMatch <= 0 {
		opts.ModelSureMatch = DefaultModelSureMatch
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	hash, err := ir.Hash(plan)
	if err != nil {
		return nil, fmt.Errorf("runtime: %w", err)
	}
	e := &Engine{plan: plan, opts: opts, log: log, byID: map[string]int{}, lang: planLanguage(plan), planHash: hash}
	if opts.Model != nil {
		// The tokenizer's tables load while the engine starts, not in
		// the first turns.
		go encoding()
	}
	if plan.Workspace != nil {
		nets, err := ParseNetworks(plan.Workspace.AllowPrivateNetworks)
		if err != nil {
			return nil, fmt.Errorf("runtime: %w", err)
		}
		e.allowedNets = nets
	}
	region := ""
	if plan.Workspace != nil {
		region = plan.Workspace.PhoneRegion
	}
	e.locale = stdlib.LocaleFor(e.lang, region)
	for i := range plan.Scenarios {
		e.scenarios = append(e.scenarios, compileScenario(plan, &plan.Scenarios[i]))
		e.inputs = append(e.inputs, scenarioInputs(plan, &plan.Scenarios[i]))
		e.byID[plan.Scenarios[i].ID] = i
	}
	e.vocab = newVocabulary(plan, e.lang)
	if plan.Workspace != nil {
		for _, n := range plan.Workspace.ClosingNotes {
			if f := strings.TrimSpace(stdlib.Fold(n)); strings.Contains(f, " ") {
				e.labels = append(e.labels, f)
			}
		}
	}
	return e, nil
}

// planLanguage is the plan's language, English unless it says French.
func planLanguage(p *ir.Plan) string {
	if p.Language == "fr" {
		return "fr"
	}
	return "en"
}

// Locale returns how the engine reads values: the plan language's date
// order and the workspace's phone region (else the language's).
func (e *Engine) Locale() stdlib.ExtractOptions { return e.locale }

// Plan returns the engine's plan. It must not be modified.
func (e *Engine) Plan() *ir.Plan { return e.plan }

// PlanHash is the SHA-256 (hex) of the plan's JSON, recorded with each turn.
func (e *Engine) PlanHash() string { return e.planHash }

// Backend returns the engine's backend.
func (e *Engine) Backend() Backend { return e.opts.Backend }

func defaultBusinessHours(t time.Time) bool {
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return t.Hour() >= 9 && t.Hour() < 18
}

// Turn runs one inbound message: it takes the conversation's turn (a
// redelivered id whose turn committed returns Duplicate and does nothing),
// chooses a scenario, runs its actions in order stopping at the first
// failure, produces the reply, then commits the turn.
//
// Every action's outcome is recorded with its effect, keyed by message id
// and action index: a redelivery of a message whose turn did not commit (a
// crash, a lost lock, a busy database) runs only the actions not recorded,
// continuing the scenario the first attempt chose, then replies.
//
// Once the turn holds its conversation, ctx's cancellation no longer cuts
// it short (a client that disconnects does not stop a chain half-way); the
// turn is bounded by Options.TurnTimeout instead.
//
// Fallbacks: when the model's choice cannot be used (timeout, HTTP error,
// malformed JSON, or an answer naming anything the plan does not), no action
// runs and the stock reply for an unmatched message is sent. When only the
// reply call fails, the actions have run and the stock reply that says what
// was done is sent instead.
//
// Turn returns an error when there is no conversation id, and an error
// wrapping ErrNotProcessed when the turn could not start or commit (the
// backend failed or was busy, ctx ended while waiting for the conversation,
// the turn lost its lock): the message may be delivered again. Failures of
// single actions are outcomes in the result.
func (e *Engine) Turn(ctx context.Context, in TurnInput) (res TurnResult, err error) {
	ctx, span := e.startTurnSpan(ctx, in)
	defer func() { endTurnSpan(span, &res, err) }()
	return e.turn(ctx, in)
}

func (e *Engine) turn(ctx context.Context, in TurnInput) (TurnResult, error) {
	start := time.Now()
	res := TurnResult{ConversationID: in.ConversationID, MessageID: in.MessageID, PlanHash: e.planHash}
	if in.ConversationID == "" {
		return res, errors.New("runtime: turn without a conversation id")
	}
	if in.ContactID == "" {
		in.ContactID = in.ConversationID
	}
	msgID := in.MessageID
	if msgID == "" {
		msgID = newTurnID()
	}
	now := e.opts.Clock()
	tx, err := e.opts.Backend.BeginTurn(ctx, Inbound{ConversationID: in.ConversationID, ContactID: in.ContactID, MessageID: msgID, ArrivedAt: in.ArrivedAt})
	res.LockWait = time.Since(start)
	if err != nil {
		return res, fmt.Errorf("runtime: %w: starting the turn: %w", ErrNotProcessed, err)
	}
	res.Language = e.language(in)
	if !tx.Duplicate() && in.Audio != nil {
		// A voice message: handled as the text it says. Not understood,
		// it has no text, so nothing matches and nothing runs.
		text, err := e.transcribe(ctx, in.Audio, in.Language)
		if err != nil {
			res.Fallback = "the audio message could not be transcribed: " + err.Error()
			e.log.Warn("transcription failed", "conversation", in.ConversationID, "message", in.MessageID, "reason", err.Error())
		}
		in.Text, res.Transcript = text, text
		res.Language = e.language(in)
	}
	if tx.Duplicate() {
		res.Duplicate = true
		res.Why = "message " + in.MessageID + " was already processed"
		res.ReplyReason = "duplicate message: the reply was given the first time"
		e.logTurn(ctx, &res, start, in.ArrivedAt)
		return res, nil
	}
	// From here on the turn holds its conversation: it runs to its end
	// whatever happens to the caller's request.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.opts.TurnTimeout)
	defer cancel()
	t := &turn{e: e, in: in, msgID: msgID, now: now, conv: tx.Conversation(), res: &res, tx: tx}
	if err := t.play(ctx); err != nil {
		e.abort(ctx, tx, in.ConversationID)
		return res, fmt.Errorf("runtime: %w: %w", ErrNotProcessed, err)
	}
	if err := tx.Commit(ctx, TurnRecord{Scenario: res.Scenario, Reply: res.Reply, ReplySent: res.ReplySent, PlanHash: e.planHash}); err != nil {
		e.abort(ctx, tx, in.ConversationID)
		return res, fmt.Errorf("runtime: %w: committing the turn: %w", ErrNotProcessed, err)
	}
	res.Elapsed = time.Since(start)
	e.logTurn(ctx, &res, start, in.ArrivedAt)
	return res, nil
}

// Enqueue gives an inbound message its place in its conversation's queue
// without waiting for its turn, when the backend can (Queuer): a server
// calls it as soon as a message arrives, then Turn. Messages of one
// conversation run in the order they were enqueued, on every replica
// sharing the backend. Without a Queuer, Turn queues the message.
func (e *Engine) Enqueue(ctx context.Context, in TurnInput) error {
	q, ok := e.opts.Backend.(Queuer)
	if !ok || in.ConversationID == "" || in.MessageID == "" {
		return nil
	}
	contact := in.ContactID
	if contact == "" {
		contact = in.ConversationID
	}
	if err := q.Enqueue(ctx, Inbound{ConversationID: in.ConversationID, ContactID: contact, MessageID: in.MessageID, ArrivedAt: in.ArrivedAt}); err != nil {
		return fmt.Errorf("runtime: %w: queueing the message: %w", ErrNotProcessed, err)
	}
	return nil
}

// play runs a turn that holds its conversation: the choice (or the one an
// earlier attempt recorded), the chain, the reply. An error means the turn
// must not commit.
func (t *turn) play(ctx context.Context) error {
	// The contact as of this message, also when an earlier attempt of it
	// ran steps and later messages changed the contact since: the turn's
	// own steps then update it (see saw).
	t.contact = t.tx.Contact()
	recorded := t.tx.Recorded()
	if len(recorded) > 0 && recorded[0].Choice != nil && t.restore(*recorded[0].Choice) {
		t.recorded = recorded
	} else {
		t.choose(ctx)
	}
	if t.conv.Status == StatusClosed && len(t.recorded) == 0 {
		// The backend kept the conversation closed: the agent does not
		// reopen it, so it neither acts nor replies.
		for _, a := range t.actions() {
			t.res.Actions = append(t.res.Actions, ActionOutcome{Action: a, Status: Skipped, Reason: "the conversation is closed and the agent does not reopen it"})
		}
		t.res.ReplyReason = "the conversation is closed"
		return nil
	}
	if err := t.run(ctx); err != nil {
		return err
	}
	if t.in.OnActions != nil {
		t.in.OnActions(*t.res)
	}
	t.reply(ctx)
	return nil
}

// abort releases a turn that will not commit; a failure to release is
// logged (the lock's lease ends it anyway).
func (e *Engine) abort(ctx context.Context, tx TurnTx, conv string) {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := tx.Abort(actx); err != nil {
		e.log.LogAttrs(ctx, slog.LevelWarn, "releasing the turn", slog.String("conversation", conv), slog.String("error", err.Error()))
	}
}

// newTurnID is the key of a turn whose message has no id: unique, so that
// it never reads as a redelivery.
func newTurnID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "turn-" + hex.EncodeToString(b[:])
}

// language is the turn's language: the caller's, else the message's, else
// that of the contact's latest message that says (an answer such as
// "MC-20418" or "ok" does not), else the plan's.
func (e *Engine) language(in TurnInput) string {
	if in.Language == "en" || in.Language == "fr" {
		return in.Language
	}
	if l, ok := stdlib.GuessLanguage(in.Text); ok {
		return l
	}
	for i := len(in.History) - 1; i >= 0; i-- {
		if in.History[i].Role != RoleContact {
			continue
		}
		if l, ok := stdlib.GuessLanguage(in.History[i].Text); ok {
			return l
		}
	}
	return e.lang
}

func (e *Engine) logTurn(ctx context.Context, r *TurnResult, start, arrived time.Time) {
	if !e.log.Enabled(ctx, slog.LevelInfo) {
		return
	}
	ok, failed := 0, 0
	for _, a := range r.Actions {
		switch a.Status {
		case OK:
			ok++
		case Failed:
			failed++
		}
	}
	e.log.LogAttrs(ctx, slog.LevelInfo, "turn",
		slog.String("conversation", r.ConversationID),
		slog.String("message", r.MessageID),
		slog.Bool("duplicate", r.Duplicate),
		slog.String("scenario", r.Scenario),
		slog.String("chooser", r.Chooser),
		slog.String("fallback", r.Fallback),
		slog.Int("actions_ok", ok),
		slog.Int("actions_failed", failed),
		slog.Bool("reply_sent", r.ReplySent),
		slog.Int("model_calls", len(r.ModelCalls)),
		slog.Duration("elapsed", time.Since(start)),
		slog.Int64("arrived", arrivedMicros(arrived)))
}

// arrivedMicros is a message's arrival in microseconds since the Unix
// epoch, for the turn's log line (0 when unknown): the order the queue
// runs a conversation's messages in.
func arrivedMicros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// turn is the state of one Turn call.
type turn struct {
	e     *Engine
	in    TurnInput
	msgID string // the message id, or the turn's own when it has none
	tx    TurnTx
	// recorded holds the steps an earlier attempt recorded.
	recorded []StepRecord
	now      time.Time
	conv     Conversation
	contact  Contact
	res      *TurnResult

	sc *compiled // chosen scenario, nil when none
	// givenFields are field values the chooser gave: the model's, or
	// offline those a resumed scenario collected over earlier turns. From
	// the model's choice also: a closing note it picked, a summary it wrote.
	givenFields map[string]string
	// modelInputs holds the values the model gave for inputs of the
	// scenario's call actions.
	modelInputs map[string]string
	modelNote   string
	modelSum    string
	// unassigned is set once an unassign ran: no reply afterwards.
	unassigned bool
	// waitingFor lists what the scenario must collect before it acts.
	waitingFor []string
	// retry is the field whose answer did not fit its shape: the question
	// for it says the shape.
	retry string
}

func (t *turn) actions() []ir.Action {
	if t.sc == nil {
		return nil
	}
	return t.sc.s.Actions
}

// choose picks the scenario. The offline matcher always runs: it decides
// alone without a model, and with one when it is sure (sureOffline);
// otherwise the model chooses.
func (t *turn) choose(ctx context.Context) {
	best := t.e.matchOffline(t.in.Text, lastAsked(t.in.History), t.res.Language, t.contact, t.now)
	if best.runnerUp >= 0 {
		t.res.RunnerUp = t.e.scenarios[best.runnerUp].s.ID
	}
	// A scenario still collecting from earlier turns goes on, unless the
	// message clearly matches something else: a fresh match of more than
	// an unconditional scenario's score, and more than the answer's own
	// confidence by resumeMargin (one shared word, "charging" for a roaming
	// charge, does not take an answer away from the question it answers).
	r, resumed := t.resumeOffline()
	resumed = resumed && (best.idx < 0 || best.idx == r.idx || best.score <= t.e.opts.MinScore || best.score < r.confidence+resumeMargin)
	if t.e.opts.Model != nil {
		why, sure := t.sureOffline(best, resumed)
		if !sure {
			t.res.Chooser = ChooserModel
			t.chooseWithModel(ctx)
			return
		}
		t.res.ModelSkipped = why
	}
	t.res.Chooser = ChooserOffline
	if resumed {
		t.sc, t.givenFields, t.retry = &t.e.scenarios[r.idx], r.given, r.retry
		t.res.Scenario, t.res.Why, t.res.Confidence = t.sc.s.ID, r.why, r.confidence
		if t.res.RunnerUp == t.res.Scenario {
			t.res.RunnerUp = ""
		}
		return
	}
	if best.idx >= 0 {
		t.sc = &t.e.scenarios[best.idx]
		t.res.Scenario, t.res.Confidence = t.sc.s.ID, best.confidence
	}
	t.res.Why = best.why
}

// choice is what chose the turn's scenario, recorded with its first step.
func (t *turn) choice() *TurnChoice {
	return &TurnChoice{Scenario: t.res.Scenario, Why: t.res.Why, Chooser: t.res.Chooser, Fields: t.givenFields,
		Inputs: t.modelInputs, Note: t.modelNote, Summary: t.modelSum}
}

// restore takes up the choice an earlier attempt of the message recorded.
func (t *turn) restore(c TurnChoice) bool {
	idx, ok := t.e.byID[c.Scenario]
	if !ok {
		return false
	}
	t.sc = &t.e.scenarios[idx]
	t.res.Scenario, t.res.Why, t.res.Chooser = c.Scenario, c.Why, c.Chooser
	t.givenFields, t.modelInputs, t.modelNote, t.modelSum = c.Fields, c.Inputs, c.Note, c.Summary
	return true
}
