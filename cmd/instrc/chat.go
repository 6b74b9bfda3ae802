package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/sqlitebackend"
	"github.com/instrc/instrc/runtime/telemetry"
	"github.com/instrc/instrc/workspace"
)

// RunFlags are what chat and simulate share: the plan to run (an
// instruction file compiled on the fly, or a compiled plan), the model and
// the backend's database.
type RunFlags struct {
	Workspace  string `short:"w" help:"Workspace file (overrides the file's front matter)." type:"path"`
	Plan       string `help:"Run a compiled plan (from instrc compile) instead of an instruction file." type:"existingfile"`
	Model      string `help:"Model as openai:<model-name> or ollama:<model-name> (default: $INSTRC_MODEL; without one the offline matcher runs). Endpoint and key: OPENAI_BASE_URL, OPENAI_API_KEY; Ollama: OLLAMA_HOST."`
	ModelFlags `embed:""`
	DB         string `help:"SQLite database holding conversations, contacts and teams (default: in memory, gone at exit)." type:"path"`
	Calls      string `help:"Custom HTTP actions (call !name): dry describes each request without sending it; live sends it, with secrets from the environment." enum:"dry,live" default:"dry"`
	File       string `arg:"" optional:"" help:"Instruction file (.instr)." type:"existingfile"`
}

// ModelFlags set when a configured model is asked to choose (chat,
// simulate, test).
type ModelFlags struct {
	ModelSureMatch float64 `help:"Offline confidence at or above which the matcher's choice stands without asking the model (default 0.8; above 1 asks on every turn)." placeholder:"CONFIDENCE"`
	ModelSureNone  float64 `help:"Offline score at or below which nothing relates to any scenario and the model is not asked to choose (default 0; negative asks even then)." default:"0" placeholder:"SCORE"`
	Transcribe     string  `help:"Transcription model for audio messages, at OPENAI_BASE_URL's /audio/transcriptions with OPENAI_API_KEY (default: $INSTRC_TRANSCRIBE_MODEL, else whisper-1)." placeholder:"MODEL"`
}

func (f ModelFlags) apply(o *runtime.Options) {
	o.ModelSureMatch, o.ModelSureNone = f.ModelSureMatch, f.ModelSureNone
	o.TraceContent = telemetry.CaptureContent(os.Getenv)
	o.Transcriber = runtime.TranscriberFromEnv(f.Transcribe)
}

// load compiles the instruction file (printing its diagnostics) or reads
// the plan, and completes the plan's workspace from --workspace when the
// plan does not carry one.
func (f *RunFlags) load(g *Globals) (*ir.Plan, error) {
	var plan *ir.Plan
	switch {
	case f.File != "" && f.Plan != "":
		return nil, cannot("give an instruction file or --plan, not both")
	case f.Plan != "":
		r, err := os.Open(f.Plan)
		if err != nil {
			return nil, cannot("%v", err)
		}
		defer r.Close()
		if plan, err = ir.Read(r); err != nil {
			return nil, cannot("%s: %v", f.Plan, err)
		}
	case f.File != "":
		res, err := compiler.CompileFile(f.File, compiler.Options{WorkspacePath: f.Workspace})
		if err != nil {
			return nil, cannot("%v", err)
		}
		if res.Diagnostics.HasErrors() {
			if err := printDiagnostics(&Globals{Stdout: g.Stderr, Stderr: g.Stderr}, "text", res.Diagnostics, res.Sources); err != nil {
				return nil, cannot("%v", err)
			}
			return nil, failed
		}
		plan = res.Plan
	default:
		return nil, cannot("give an instruction file, or a compiled plan with --plan")
	}
	if plan.Workspace == nil && f.Workspace != "" {
		ws, ds, err := workspace.LoadFile(f.Workspace)
		if err != nil {
			return nil, cannot("%v", err)
		}
		if ds.HasErrors() {
			if err := printDiagnostics(&Globals{Stdout: g.Stderr, Stderr: g.Stderr}, "text", ds, nil); err != nil {
				return nil, cannot("%v", err)
			}
			return nil, failed
		}
		plan.Workspace = ws.IR()
	}
	return plan, nil
}

// engine opens the backend (seeded with the workspace's teams) and the
// model, and builds the engine. close releases the backend.
func (f *RunFlags) engine(plan *ir.Plan, opts runtime.Options) (e *runtime.Engine, b *sqlitebackend.Backend, err error) {
	model, err := runtime.OpenModel(runtime.ModelConfigFromEnv(f.Model))
	if err != nil {
		return nil, nil, cannot("%v", err)
	}
	b, err = sqlitebackend.Open(f.DB)
	if err != nil {
		return nil, nil, cannot("%v", err)
	}
	if err := runtime.SeedWorkspace(context.Background(), b, plan.Workspace); err != nil {
		b.Close()
		return nil, nil, cannot("seeding the teams: %v", err)
	}
	opts.Backend, opts.Model, opts.Caller = b, model, f.caller()
	f.ModelFlags.apply(&opts)
	e, err = runtime.New(plan, opts)
	if err != nil {
		b.Close()
		return nil, nil, cannot("%v", err)
	}
	return e, b, nil
}

// caller is the Caller --calls asks for.
func (f *RunFlags) caller() runtime.Caller { return callerFor(f.Calls) }

// callerFor returns the Caller a --calls mode names (chat, simulate and
// test): a replay, a try-out or a test sends nothing to production APIs
// unless told to.
func callerFor(mode string) runtime.Caller {
	if mode == "live" {
		return runtime.NewHTTPCaller(runtime.HTTPCallerOptions{})
	}
	return runtime.DryRunCaller{}
}

// callMode says in words what --calls does, for the chat's banner.
func (f *RunFlags) callMode() string {
	if f.Calls == "live" {
		return "custom actions are sent"
	}
	return "custom actions are not sent (--calls live sends them)"
}

// ChatCmd is an interactive conversation with the agent in the terminal.
type ChatCmd struct {
	RunFlags `embed:""`
	Contact  map[string]string `help:"Contact field to start with, as Name=value (repeatable)." placeholder:"NAME=VALUE"`
	// Conversation continues a conversation stored in --db.
	Conversation string `help:"Continue this conversation stored in --db (as chat-1), with its contact and state; by default a new conversation starts, and those already in the database are kept." placeholder:"ID"`
}

// Run reads one message per line from standard input and shows, after each,
// the scenario, the actions with their outcomes, then the reply.
func (c *ChatCmd) Run(g *Globals) error {
	defer startTracing(g)()
	plan, err := c.load(g)
	if err != nil {
		return err
	}
	e, b, err := c.engine(plan, runtime.Options{})
	if err != nil {
		return err
	}
	defer b.Close()
	ctx := context.Background()
	s := &chatSession{e: e, b: b, out: g.Stdout, run: time.Now().UTC().Format("20060102T150405.000000")}
	var note string
	if c.Conversation != "" {
		if note, err = s.resume(ctx, c.Conversation, c.Contact); err != nil {
			return err
		}
	} else if note, err = s.reset(ctx, c.Contact); err != nil {
		return cannot("%v", err)
	}
	interactive := isTerminal(g.Stdin) && isTerminal(g.Stdout)
	mode := "offline matcher"
	if c.Model != "" || os.Getenv("INSTRC_MODEL") != "" {
		mode = "model " + runtime.ModelConfigFromEnv(c.Model).Spec
	}
	fmt.Fprintf(g.Stdout, "instrc chat: %d scenarios, %s, %s. Type a message (/audio FILE sends a voice message); /reset starts a new conversation, /contact shows the contact, /quit leaves.\n", len(plan.Scenarios), mode, c.callMode())
	if note != "" {
		fmt.Fprintln(g.Stdout, note)
	}
	in := bufio.NewScanner(g.Stdin)
	in.Buffer(make([]byte, 64*1024), 1024*1024)
	for {
		if interactive {
			fmt.Fprint(g.Stdout, "you> ")
		}
		if !in.Scan() {
			break
		}
		line := strings.TrimSpace(in.Text())
		switch line {
		case "":
			continue
		case "/quit", "/exit":
			return nil
		case "/reset":
			if _, err := s.reset(ctx, c.Contact); err != nil {
				return cannot("%v", err)
			}
			fmt.Fprintf(g.Stdout, "  (new conversation %s)\n", s.conv)
			continue
		case "/contact":
			s.showContact(ctx)
			continue
		}
		var audio *runtime.Audio
		if path, ok := strings.CutPrefix(line, "/audio "); ok {
			// A voice message: the file is transcribed, then handled as text.
			data, err := os.ReadFile(strings.TrimSpace(path))
			if err != nil {
				fmt.Fprintln(g.Stdout, "  cannot read the audio file:", err)
				continue
			}
			audio, line = &runtime.Audio{Name: filepath.Base(strings.TrimSpace(path)), Data: data}, ""
		}
		if err := s.turn(ctx, line, audio); err != nil {
			return cannot("%v", err)
		}
	}
	if err := in.Err(); err != nil {
		return cannot("reading the input: %v", err)
	}
	return nil
}

func isTerminal(x any) bool {
	f, ok := x.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// chatSession is one chat conversation. Message ids are unique to the run
// (run is when it started), so that a database kept from an earlier run
// (--db) never sees a new message as one it already processed.
type chatSession struct {
	e       *runtime.Engine
	b       *sqlitebackend.Backend
	out     io.Writer
	run     string
	conv    string
	contact string
	next    int // the number of the next new conversation, chat-<next>
	msg     int
	history []runtime.Message
}

// stored reports whether the backend holds a conversation with this id.
func (s *chatSession) stored(ctx context.Context, id string) (runtime.Conversation, bool, error) {
	c, err := s.b.Conversation(ctx, id)
	if err != nil {
		return c, false, err
	}
	return c, c.ContactID != "", nil
}

// reset starts a new conversation, chat-N with contact-N, N the first
// number no conversation of the database has: one kept from an earlier run
// is neither replayed nor wiped. It returns a note when earlier
// conversations were kept.
func (s *chatSession) reset(ctx context.Context, fields map[string]string) (string, error) {
	s.msg, s.history = 0, nil
	if s.next == 0 {
		s.next = 1
	}
	first := s.next
	for {
		id := fmt.Sprintf("chat-%d", s.next)
		_, ok, err := s.stored(ctx, id)
		if err != nil {
			return "", err
		}
		s.next++
		if !ok {
			s.conv, s.contact = id, fmt.Sprintf("contact-%d", s.next-1)
			break
		}
	}
	c := runtime.Contact{ID: s.contact, Fields: map[string]string{}}
	for k, v := range fields {
		c.Fields[s.e.Plan().Workspace.FieldName(k)] = v
	}
	if err := s.b.PutContact(ctx, c); err != nil {
		return "", err
	}
	if kept := s.next - 1 - first; kept > 0 && first == 1 {
		return fmt.Sprintf("  (new conversation %s: the database keeps %d earlier conversations; --conversation chat-%d continues the last)", s.conv, kept, s.next-2), nil
	}
	return "", nil
}

// resume continues a conversation stored in the database, with its contact
// as it is (fields given with --contact are added to it). The messages of
// earlier runs are not replayed: the engine has their effects, not their
// text.
func (s *chatSession) resume(ctx context.Context, id string, fields map[string]string) (string, error) {
	conv, ok, err := s.stored(ctx, id)
	if err != nil {
		return "", cannot("%v", err)
	}
	if !ok {
		return "", cannot("no conversation %q in the database: give one chat shows (chat-1, chat-2...), or leave out --conversation to start a new one", id)
	}
	s.conv, s.contact, s.next = id, conv.ContactID, 1
	if len(fields) > 0 {
		c, err := s.b.Contact(ctx, s.contact)
		if err != nil {
			return "", cannot("%v", err)
		}
		if c.Fields == nil {
			c.Fields = map[string]string{}
		}
		for k, v := range fields {
			c.Fields[s.e.Plan().Workspace.FieldName(k)] = v
		}
		if err := s.b.PutContact(ctx, c); err != nil {
			return "", cannot("%v", err)
		}
	}
	status := conv.Status
	if conv.Assignee != nil {
		status += ", assigned to " + conv.Assignee.Name
	}
	return fmt.Sprintf("  (continuing %s: %s; its contact %s is kept)", id, status, s.contact), nil
}

func (s *chatSession) showContact(ctx context.Context) {
	c, err := s.b.Contact(ctx, s.contact)
	if err != nil {
		fmt.Fprintln(s.out, "  contact: error:", err)
		return
	}
	writeContact(s.out, c)
}

// writeContact shows a contact as a person reads it: the lifecycle stage,
// the tags, then one field a line, sorted by name.
func writeContact(w io.Writer, c runtime.Contact) {
	stage := c.Lifecycle
	if stage == "" {
		stage = "(none)"
	}
	tags := "(none)"
	if len(c.Tags) > 0 {
		tags = strings.Join(c.Tags, ", ")
	}
	fmt.Fprintf(w, "  contact %s\n    lifecycle: %s\n    tags: %s\n", c.ID, stage, tags)
	names := slices.Sorted(maps.Keys(c.Fields))
	if len(names) == 0 {
		fmt.Fprintln(w, "    fields: (none)")
	}
	for _, n := range names {
		fmt.Fprintf(w, "    %s: %s\n", n, c.Fields[n])
	}
}

func (s *chatSession) turn(ctx context.Context, text string, audio *runtime.Audio) error {
	s.msg++
	conv, contact := s.conv, s.contact
	// What was done shows as soon as the actions ran; the reply then
	// streams as the model writes it.
	streamed, shown := false, false
	r, err := s.e.Turn(ctx, runtime.TurnInput{ConversationID: conv, ContactID: contact, MessageID: fmt.Sprintf("%s-m%d", s.run, s.msg), Text: text, Audio: audio, History: s.history,
		OnActions: func(r runtime.TurnResult) { printHeard(s.out, r); printChoice(s.out, s.e.Plan(), r); shown = true },
		OnReply: func(d runtime.ReplyDelta) {
			switch {
			case d.Restart:
				fmt.Fprint(s.out, "\n  (withdrawn: the reply claimed something that was not done)\nagent> ")
			case !streamed:
				fmt.Fprint(s.out, "agent> "+d.Text)
			default:
				fmt.Fprint(s.out, d.Text)
			}
			streamed = true
		}})
	if err != nil {
		return err
	}
	if streamed {
		fmt.Fprintln(s.out)
	}
	if audio != nil {
		text = r.Transcript
	}
	s.history = append(s.history, runtime.Message{Role: runtime.RoleContact, Text: text})
	if !shown {
		printHeard(s.out, r)
		printChoice(s.out, s.e.Plan(), r)
	}
	printOutcome(s.out, r, streamed)
	if r.ReplySent {
		s.history = append(s.history, runtime.Message{Role: runtime.RoleAgent, Text: r.Reply})
	}
	return nil
}

// printHeard shows what an audio message said.
func printHeard(w io.Writer, r runtime.TurnResult) {
	if r.Transcript != "" {
		fmt.Fprintf(w, "  heard: %s\n", r.Transcript)
	}
}

// printChoice shows the scenario and the actions with their outcomes.
func printChoice(w io.Writer, plan *ir.Plan, r runtime.TurnResult) {
	if r.Scenario == "" {
		fmt.Fprintf(w, "  scenario: none (%s)\n", r.Why)
	} else {
		line := 0
		cond := ""
		for _, sc := range plan.Scenarios {
			if sc.ID == r.Scenario {
				line, cond = sc.Line, sc.Condition.Text
			}
		}
		if cond == "" {
			cond = "no condition"
		}
		fmt.Fprintf(w, "  scenario: %s (line %d) %s\n    why: %s\n", r.Scenario, line, cond, r.Why)
	}
	if r.Fallback != "" {
		fmt.Fprintf(w, "  fallback: %s\n", r.Fallback)
	}
	for _, a := range r.Actions {
		desc := describeAction(a.Action, false)
		switch {
		case a.Assignee != nil && a.Assignee.Team != "":
			desc += " → " + a.Assignee.Name
		case len(a.Values) > 0:
			var vs []string
			for _, f := range a.Action.Fields {
				for name, v := range a.Values {
					if name == f.Name || strings.EqualFold(name, f.Name) {
						vs = append(vs, fmt.Sprintf("%s=%q", name, v))
					}
				}
			}
			if len(vs) > 0 {
				desc += " → " + strings.Join(vs, ", ")
			}
		case a.ClosingNote != "" && a.Action.ClosingNote == "":
			desc += fmt.Sprintf(" → note %q", a.ClosingNote)
		}
		if r := a.Response; r.Answered() {
			desc += fmt.Sprintf(" → HTTP %d", r.StatusCode)
		}
		switch {
		case a.Status == runtime.OK && a.Reason == "":
			fmt.Fprintf(w, "  [ok] %s\n", desc)
		default:
			// An ok call that a dry run did not send says what it would
			// have sent.
			fmt.Fprintf(w, "  [%s] %s: %s\n", a.Status, desc, a.Reason)
		}
		if r := a.Response; r.Answered() && strings.TrimSpace(r.Body) != "" {
			fmt.Fprintf(w, "    response: %s\n", responsePreview(r))
		}
	}
}

// printOutcome shows why the model's reply was not sent, the model calls,
// and the reply (unless it streamed) or why there is none.
func printOutcome(w io.Writer, r runtime.TurnResult, streamed bool) {
	if r.ReplyRejected != "" {
		fmt.Fprintf(w, "  (the model's reply was not sent: %s)\n", r.ReplyRejected)
	}
	for _, c := range r.ModelCalls {
		// Tokens as the runtime counts them (o200k_base), then as the
		// provider reported them when it did.
		fmt.Fprintf(w, "  model %s: %d input tokens (%d the fixed prefix) + %d output, %s", c.Purpose, c.InputTokens, c.PrefixTokens, c.OutputTokens, c.Latency.Round(1e6))
		if c.PromptTokens > 0 || c.CompletionTokens > 0 {
			fmt.Fprintf(w, ", provider: %d + %d", c.PromptTokens, c.CompletionTokens)
		}
		if c.Error != "" {
			fmt.Fprintf(w, ", error: %s", c.Error)
		}
		fmt.Fprintln(w)
	}
	switch {
	case r.ReplySent && !streamed:
		fmt.Fprintf(w, "agent> %s\n", r.Reply)
	case r.ReplySent:
	default:
		fmt.Fprintf(w, "  (no reply: %s)\n", r.ReplyReason)
	}
}

// responsePreview is the start of a call's response body on one line.
func responsePreview(r *runtime.CallResponse) string {
	body := strings.Join(strings.Fields(strings.ToValidUTF8(r.Body, "\uFFFD")), " ")
	if rs := []rune(body); len(rs) > 300 {
		return string(rs[:299]) + "…"
	}
	if r.Truncated {
		return body + "…"
	}
	return body
}
