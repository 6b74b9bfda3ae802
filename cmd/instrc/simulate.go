package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/simreport"
)

// SimulateCmd replays recorded conversations through the agent and prints
// what it would have done (docs/testing.md).
type SimulateCmd struct {
	RunFlags      `embed:""`
	Conversations string `required:"" help:"Conversations to replay: JSON Lines (one conversation per line) or CSV (conversation_id,timestamp,role,text; by extension .csv)." type:"existingfile"`
	Now           string `help:"Time the replay happens at, RFC 3339 (default: now); fixes business hours and relative dates."`
	Report        string `help:"What to print: json (every turn, the contract's shape) or text (a summary a support lead can act on)." enum:"json,text" default:"json"`
	HTML          string `name:"html" help:"Also write a self-contained HTML report with charts to this file." type:"path"`
}

// simConversation is one line of the conversations file.
type simConversation struct {
	ID      string `json:"id"`
	Contact struct {
		Fields    map[string]any `json:"fields"`
		Lifecycle string         `json:"lifecycle"`
		Tags      []string       `json:"tags"`
	} `json:"contact"`
	Messages []simMessage `json:"messages"`
}

// simMessage is one message of a conversation. The optional id is the
// message's delivery id (a redelivered id runs nothing twice); the optional
// expect names the scenario the message should run ("none": nothing), for
// measuring the matcher.
type simMessage struct {
	Role string `json:"role"`
	Text string `json:"text"`
	// Audio is a voice message's file, relative to the conversations
	// file: it is transcribed and handled as its text.
	Audio  string `json:"audio,omitempty"`
	ID     string `json:"id,omitempty"`
	Expect string `json:"expect,omitempty"`
}

// simTurn is one contact message and what the agent did: the turn as the
// runtime shows it, with the additive keys a replay adds: the message's id
// when the file gives one and the scenario it expects.
type simTurn struct {
	runtime.TurnView
	ID     string `json:"id,omitempty"`
	Expect string `json:"expect,omitempty"`
}

type simResult struct {
	ID    string    `json:"id"`
	Turns []simTurn `json:"turns"`
}

type simSummary struct {
	Conversations    int            `json:"conversations"`
	Turns            int            `json:"turns"`
	Matched          int            `json:"matched"`
	Unmatched        int            `json:"unmatched"`
	Actions          map[string]int `json:"actions"`
	RepliesSent      int            `json:"repliesSent"`
	Fallbacks        int            `json:"fallbacks"`
	ModelCalls       int            `json:"modelCalls"`
	PromptTokens     int            `json:"promptTokens"`
	CompletionTokens int            `json:"completionTokens"`
	// Additive: redelivered messages, and the matcher against the
	// messages that say which scenario they expect.
	Duplicates int           `json:"duplicates"`
	Matcher    *matcherStats `json:"matcher,omitempty"`
	// Tokens counted by the runtime's tokenizer (o200k_base), whatever
	// the provider reports.
	InputTokens  int `json:"inputTokens"`
	OutputTokens int `json:"outputTokens"`
}

// matcherStats measures the offline matcher on the labelled turns: how many
// it got right, how many it was sure of (confidence at least
// runtime.SureConfidence), and how many it was sure of and got wrong.
type matcherStats struct {
	Labelled       int     `json:"labelled"`
	Correct        int     `json:"correct"`
	Sure           int     `json:"sure"`
	SureWrong      int     `json:"sureWrong"`
	SureWrongShare float64 `json:"sureWrongShare"`
}

type simOutput struct {
	Conversations []simResult `json:"conversations"`
	Summary       simSummary  `json:"summary"`
}

// Run replays every conversation: each contact message is a turn, the
// messages before it its history. The backend starts from each
// conversation's contact and the workspace's teams; round-robin cursors
// carry over from one conversation to the next, as they would in production.
func (s *SimulateCmd) Run(g *Globals) error {
	convs, err := readConversations(s.Conversations)
	if err != nil {
		return cannot("%v", err)
	}
	plan, err := s.load(g)
	if err != nil {
		return err
	}
	now := time.Now()
	if s.Now != "" {
		if now, err = time.Parse(time.RFC3339, s.Now); err != nil {
			return cannot("--now %q: use RFC 3339, e.g. 2025-03-05T10:00:00Z", s.Now)
		}
	}
	e, b, err := s.engine(plan, runtime.Options{Clock: func() time.Time { return now }})
	if err != nil {
		return err
	}
	defer b.Close()
	var tick func()
	if isTerminal(g.Stderr) && len(convs) > 1 {
		bar := progressbar.NewOptions(len(convs), progressbar.OptionSetWriter(g.Stderr), progressbar.OptionSetDescription("replaying"),
			progressbar.OptionShowCount(), progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100*time.Millisecond))
		tick = func() { _ = bar.Add(1) }
		defer bar.Finish()
	}
	out, err := simulate(context.Background(), e, b, plan, convs, tick)
	if err != nil {
		return cannot("%v", err)
	}
	printDryRuns(g.Stderr, out)
	if s.Report == "text" || s.HTML != "" {
		rep := simreport.Build(plan, len(out.Conversations), reportTurns(out))
		if s.HTML != "" {
			if err := writeHTMLReport(s.HTML, rep, "Simulation of "+filepath.Base(s.Conversations)); err != nil {
				return cannot("%v", err)
			}
		}
		if s.Report == "text" {
			rep.WriteText(g.Stdout)
			writeMatcherText(g.Stdout, out.Summary)
			return nil
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return cannot("%v", err)
	}
	_, err = g.Stdout.Write(buf.Bytes())
	return err
}

// readConversations reads the JSON Lines file; a bad line is reported with
// its number.
func readConversations(path string) ([]simConversation, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		return parseCSVConversations(path, f)
	}
	convs, err := parseConversations(path, f)
	// Audio files are relative to the conversations file.
	for _, c := range convs {
		for i, m := range c.Messages {
			if m.Audio != "" && !filepath.IsAbs(m.Audio) {
				c.Messages[i].Audio = filepath.Join(filepath.Dir(path), m.Audio)
			}
		}
	}
	return convs, err
}

func parseConversations(name string, r io.Reader) ([]simConversation, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	var out []simConversation
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		dec.DisallowUnknownFields()
		var c simConversation
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		if c.ID == "" {
			c.ID = fmt.Sprintf("line%d", n)
		}
		for i, m := range c.Messages {
			if m.Role != runtime.RoleContact && m.Role != runtime.RoleAgent {
				return nil, fmt.Errorf("%s:%d: message %d has role %q: use contact or agent", name, n, i+1, m.Role)
			}
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return out, nil
}

func simulate(ctx context.Context, e *runtime.Engine, b runtime.Seeder, plan *ir.Plan, convs []simConversation, tick func()) (simOutput, error) {
	out := simOutput{Conversations: []simResult{}, Summary: simSummary{Actions: map[string]int{runtime.OK: 0, runtime.Failed: 0, runtime.Skipped: 0}}}
	for _, c := range convs {
		contact := runtime.Contact{ID: c.ID, Fields: map[string]string{}, Lifecycle: c.Contact.Lifecycle, Tags: c.Contact.Tags}
		for k, v := range c.Contact.Fields {
			s, err := fieldString(v)
			if err != nil {
				return out, fmt.Errorf("conversation %s: field %s: %v", c.ID, k, err)
			}
			contact.Fields[plan.Workspace.FieldName(k)] = s
		}
		if err := b.PutContact(ctx, contact); err != nil {
			return out, err
		}
		res := simResult{ID: c.ID, Turns: []simTurn{}}
		history := make([]runtime.Message, len(c.Messages))
		for i, m := range c.Messages {
			history[i] = runtime.Message{Role: m.Role, Text: m.Text}
		}
		for i, m := range c.Messages {
			if m.Role != runtime.RoleContact {
				continue
			}
			id := m.ID
			if id == "" {
				id = fmt.Sprintf("%s-%d", c.ID, i+1)
			}
			var audio *runtime.Audio
			if m.Audio != "" {
				data, err := os.ReadFile(m.Audio)
				if err != nil {
					return out, fmt.Errorf("conversation %s, message %d: %v", c.ID, i+1, err)
				}
				audio = &runtime.Audio{Name: filepath.Base(m.Audio), Data: data}
			}
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: c.ID, ContactID: c.ID, MessageID: id,
				Text: m.Text, Audio: audio, History: history[:i]})
			if err != nil {
				return out, fmt.Errorf("conversation %s, message %d: %v", c.ID, i+1, err)
			}
			if audio != nil {
				history[i].Text = r.Transcript
			}
			t := simTurn{TurnView: r.View(m.Text), ID: m.ID, Expect: m.Expect}
			if r.Duplicate {
				out.Summary.Duplicates++
			} else if m.Expect != "" {
				ms := out.Summary.Matcher
				if ms == nil {
					ms = &matcherStats{}
					out.Summary.Matcher = ms
				}
				got := r.Scenario
				if got == "" {
					got = "none"
				}
				ms.Labelled++
				right := got == m.Expect
				if right {
					ms.Correct++
				}
				if r.Scenario != "" && r.Confidence >= runtime.SureConfidence {
					ms.Sure++
					if !right {
						ms.SureWrong++
					}
				}
				ms.SureWrongShare = math.Round(10000*float64(ms.SureWrong)/float64(ms.Labelled)) / 100
			}
			switch {
			case r.Duplicate:
			case t.Scenario != nil:
				out.Summary.Matched++
			default:
				out.Summary.Unmatched++
			}
			if t.ReplySent {
				out.Summary.RepliesSent++
			}
			for _, a := range r.Actions {
				out.Summary.Actions[a.Status]++
			}
			if r.Fallback != "" {
				out.Summary.Fallbacks++
			}
			for _, mc := range r.ModelCalls {
				out.Summary.ModelCalls++
				out.Summary.PromptTokens += mc.PromptTokens
				out.Summary.InputTokens += mc.InputTokens
				out.Summary.OutputTokens += mc.OutputTokens
				out.Summary.CompletionTokens += mc.CompletionTokens
			}
			out.Summary.Turns++
			res.Turns = append(res.Turns, t)
		}
		out.Summary.Conversations++
		out.Conversations = append(out.Conversations, res)
		if tick != nil {
			tick()
		}
	}
	return out, nil
}

// fieldString turns a JSON scalar into the text a backend stores.
func fieldString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case bool:
		return fmt.Sprint(x), nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("a field value must be a string, number or boolean")
}

// printDryRuns lists on standard error the requests the custom actions
// would have sent (--calls dry): the JSON keeps the contract's shape, where
// an ok action has no reason.
func printDryRuns(w io.Writer, out simOutput) {
	for _, c := range out.Conversations {
		for i, t := range c.Turns {
			for _, a := range t.Actions {
				if a.Action.Kind == ir.KindCall && a.Response != nil && !a.Response.Answered() && a.Response.Note != "" {
					fmt.Fprintf(w, "%s, turn %d: %s: %s\n", c.ID, i+1, a.Action.ActionName, a.Response.Note)
				}
			}
		}
	}
}

// writeMatcherText adds to the text report the redelivered messages and how
// the offline matcher did on the messages that say what they expect.
func writeMatcherText(w io.Writer, sum simSummary) {
	if sum.Duplicates > 0 {
		fmt.Fprintf(w, "\nRedelivered messages: %d (shown as duplicates; nothing ran twice)\n", sum.Duplicates)
	}
	m := sum.Matcher
	if m == nil || m.Labelled == 0 {
		return
	}
	pct := func(n int) float64 { return 100 * float64(n) / float64(m.Labelled) }
	fmt.Fprintf(w, "\nMatcher, on %d turns that say which scenario they expect:\n", m.Labelled)
	fmt.Fprintf(w, "  right:          %d (%.1f%%)\n", m.Correct, pct(m.Correct))
	fmt.Fprintf(w, "  sure (confidence >= %.2f): %d (%.1f%%)\n", runtime.SureConfidence, m.Sure, pct(m.Sure))
	fmt.Fprintf(w, "  sure and wrong: %d (%.2f%%)\n", m.SureWrong, pct(m.SureWrong))
}
