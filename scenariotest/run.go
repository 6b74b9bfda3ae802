package scenariotest

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

// Options set how cases run.
type Options struct {
	Model  runtime.Model // nil: the offline matcher
	Repeat int           // runs per case; at least 1
	// MinPassRate is the share of a case's runs that must pass, from 0 to 1;
	// 0 means every run. A model is not deterministic: 0.8 with Repeat 10
	// lets a case pass with 8 good runs out of 10.
	MinPassRate float64
	// Jobs is how many runs go at once (at least 1). Runs share nothing, so
	// with a model, whose calls take seconds, several at once save time.
	Jobs int
	// Caller runs the custom actions the test file gives no answer for;
	// nil is a dry run (runtime.DryRunCaller): nothing is sent.
	Caller runtime.Caller
	// ModelSureMatch and ModelSureNone are the engine's options of the
	// same names: when the model is asked to choose.
	ModelSureMatch, ModelSureNone float64
}

// Failure is one expectation that did not hold.
type Failure struct {
	Pos  Pos    // of the expectation
	Turn int    // 1-based contact message
	Msg  string // the message of the turn
	What string // scenario, actions, reply_contains, ...
	Want string
	Got  string
	// Note says why the model's choice was not used in that turn (its call
	// failed or its answer was rejected), which often explains the rest.
	Note string
}

// CaseResult is how one case went over all its runs.
type CaseResult struct {
	Name      string
	Pos       Pos
	Runs      int
	Passes    int
	Required  int       // passes needed for the case to pass
	Failures  []Failure // of the first failing run
	FailedRun int       // 1-based run the Failures come from; 0 if none failed
	Err       error     // the case could not run
	Elapsed   time.Duration
}

// Passed reports whether enough runs passed: every run, unless a pass rate
// below 100% was asked for.
func (c CaseResult) Passed() bool { return c.Err == nil && c.Passes >= c.Required }

// SuiteResult is one file's results.
type SuiteResult struct {
	File    string
	Cases   []CaseResult
	Err     error // the file or its agent could not be loaded
	Elapsed time.Duration
}

// Required returns how many of runs must pass at a minimum pass rate.
func Required(runs int, rate float64) int {
	if rate <= 0 || rate >= 1 {
		return runs
	}
	// A small tolerance keeps 0.7 × 10 at 7, not 8.
	return max(1, int(math.Ceil(rate*float64(runs)-1e-9)))
}

// Run runs every case of the suite against plan. Each run starts from a
// fresh in-memory backend seeded with the workspace's teams.
func Run(ctx context.Context, s *Suite, plan *ir.Plan, opts Options) SuiteResult {
	start := time.Now()
	res := SuiteResult{File: s.File}
	runs := max(opts.Repeat, 1)
	now := time.Now()
	if s.Now != nil {
		now = *s.Now
	}
	type outcome struct {
		fails []Failure
		err   error
	}
	// Every run of every case goes through one pool, so that a suite with
	// many cases and few repeats gains as much as one with many repeats.
	outcomes := make([][]outcome, len(s.Cases))
	elapsed := make([]time.Duration, len(s.Cases))
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(opts.Jobs, 1))
	next := opts.Caller
	if next == nil {
		next = runtime.DryRunCaller{}
	}
	for ci := range s.Cases {
		outcomes[ci] = make([]outcome, runs)
		stubs, err := caseStubs(plan, s.Calls, s.Cases[ci].Calls)
		if err != nil {
			for r := range runs {
				outcomes[ci][r].err = err
			}
			continue
		}
		caller := stubCaller{stubs: stubs, next: next}
		for r := range runs {
			g.Go(func() error {
				t0 := time.Now()
				fails, err := runCase(gctx, plan, s.Cases[ci], opts, caller, now, fmt.Sprintf("case%d-run%d", ci+1, r+1))
				mu.Lock()
				elapsed[ci] += time.Since(t0)
				mu.Unlock()
				outcomes[ci][r] = outcome{fails, err}
				return nil
			})
		}
	}
	_ = g.Wait()
	for ci, c := range s.Cases {
		cr := CaseResult{Name: c.Name, Pos: c.Pos, Runs: runs, Required: Required(runs, opts.MinPassRate), Elapsed: elapsed[ci]}
		for r, o := range outcomes[ci] {
			switch {
			case o.err != nil:
				if cr.Err == nil {
					cr.Err = o.err
				}
			case len(o.fails) == 0:
				cr.Passes++
			case cr.Failures == nil:
				cr.Failures, cr.FailedRun = o.fails, r+1
			}
		}
		res.Cases = append(res.Cases, cr)
	}
	res.Elapsed = time.Since(start)
	return res
}

func runCase(ctx context.Context, plan *ir.Plan, c Case, opts Options, caller runtime.Caller, now time.Time, id string) ([]Failure, error) {
	b := runtime.NewMemoryBackend()
	if err := runtime.SeedWorkspace(ctx, b, plan.Workspace); err != nil {
		return nil, err
	}
	contact := runtime.Contact{ID: id, Fields: map[string]string{}, Lifecycle: c.Contact.Lifecycle, Tags: c.Contact.Tags}
	for k, v := range c.Contact.Fields {
		contact.Fields[fieldName(plan.Workspace, k)] = v
	}
	if err := b.PutContact(ctx, contact); err != nil {
		return nil, err
	}
	e, err := runtime.New(plan, runtime.Options{Backend: b, Model: opts.Model, Caller: caller, Clock: func() time.Time { return now },
		ModelSureMatch: opts.ModelSureMatch, ModelSureNone: opts.ModelSureNone})
	if err != nil {
		return nil, err
	}
	var history []runtime.Message
	var fails []Failure
	turn := 0
	for i, st := range c.Steps {
		if st.Role == runtime.RoleAgent {
			history = append(history, runtime.Message{Role: runtime.RoleAgent, Text: st.Text})
			continue
		}
		turn++
		r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: id, ContactID: id, MessageID: fmt.Sprintf("%s-%d", id, i+1), Text: st.Text, History: slices.Clone(history)})
		if err != nil {
			return nil, fmt.Errorf("%s: %v", st.Pos, err)
		}
		history = append(history, runtime.Message{Role: runtime.RoleContact, Text: st.Text})
		if r.ReplySent {
			history = append(history, runtime.Message{Role: runtime.RoleAgent, Text: r.Reply})
		}
		if st.Expect == nil {
			continue
		}
		after, err := b.Contact(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, f := range check(plan, st.Expect, r, after) {
			f.Turn, f.Msg, f.Note = turn, st.Text, r.Fallback
			fails = append(fails, f)
		}
	}
	return fails, nil
}

func fieldName(ws *ir.Workspace, key string) string {
	if f, ok := ws.Field(key); ok {
		return f.Name
	}
	return key
}

var lineRe = regexp.MustCompile(`^(?i)(line|ligne)\s+(\d+)$`)

// scenarioText shows a scenario as "s3 (line 12)", or "none".
func scenarioText(plan *ir.Plan, id string) string {
	if id == "" {
		return "none"
	}
	for _, sc := range plan.Scenarios {
		if sc.ID == id {
			return fmt.Sprintf("%s (line %d)", id, sc.Line)
		}
	}
	return id
}

// ScenarioRef returns the id of the scenario of plan an expectation names
// ("s3", "line 12", "ligne 12"), "" for none ("none", "aucun"), and false
// when it names no scenario of the plan.
func ScenarioRef(plan *ir.Plan, want string) (string, bool) {
	w := strings.TrimSpace(want)
	switch strings.ToLower(w) {
	case "none", "aucun", "null", "~":
		return "", true
	}
	if m := lineRe.FindStringSubmatch(w); m != nil {
		line, _ := strconv.Atoi(m[2])
		for _, sc := range plan.Scenarios {
			if sc.Line == line {
				return sc.ID, true
			}
		}
		return "", false
	}
	for _, sc := range plan.Scenarios {
		if sc.ID == w {
			return w, true
		}
	}
	return "", false
}

func scenarioMatches(plan *ir.Plan, want, got string) bool {
	w := strings.TrimSpace(want)
	switch strings.ToLower(w) {
	case "none", "aucun", "null", "~":
		return got == ""
	}
	if m := lineRe.FindStringSubmatch(w); m != nil {
		line, _ := strconv.Atoi(m[2])
		for _, sc := range plan.Scenarios {
			if sc.ID == got {
				return sc.Line == line
			}
		}
		return false
	}
	return w == got
}

// Target is what an action is about, in one word: the assignee, stage,
// closing note, workflow, custom action or the first added tag.
func Target(a ir.Action) string {
	switch {
	case a.Target != nil:
		return a.Target.Name
	case a.Stage != "":
		return a.Stage
	case a.ClosingNote != "":
		return a.ClosingNote
	case a.Workflow != "":
		return a.Workflow
	case a.ActionName != "":
		return a.ActionName
	case len(a.Add) > 0:
		return a.Add[0]
	case len(a.Remove) > 0:
		return a.Remove[0]
	}
	return ""
}

// ActionText shows an outcome as a test file would describe it.
func ActionText(o runtime.ActionOutcome) string {
	s := "{kind: " + o.Action.Kind
	if t := Target(o.Action); t != "" {
		s += ", target: " + t
	}
	s += ", status: " + o.Status
	if len(o.Values) > 0 {
		s += ", values: " + mapText(o.Values)
	}
	return s + "}"
}

func expectText(a ActionExpect) string {
	var parts []string
	if a.Kind != "" {
		parts = append(parts, "kind: "+a.Kind)
	}
	if a.Target != "" {
		parts = append(parts, "target: "+a.Target)
	}
	if a.Status != "" {
		parts = append(parts, "status: "+a.Status)
	}
	if len(a.Values) > 0 {
		parts = append(parts, "values: "+mapText(a.Values))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func mapText(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %q", k, m[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func actionMatches(a ActionExpect, o runtime.ActionOutcome) bool {
	if a.Kind != "" && a.Kind != o.Action.Kind {
		return false
	}
	if a.Target != "" && a.Target != Target(o.Action) && !slices.Contains(o.Action.Add, a.Target) {
		return false
	}
	if a.Status != "" && a.Status != o.Status {
		return false
	}
	for k, v := range a.Values {
		if got, ok := o.Values[k]; !ok || got != v {
			return false
		}
	}
	return true
}

func listText(items []string) string {
	if len(items) == 0 {
		return "(none)"
	}
	return "[" + strings.Join(items, ", ") + "]"
}

// check compares one turn with its expectations.
func check(plan *ir.Plan, e *Expect, r runtime.TurnResult, after runtime.Contact) []Failure {
	var fails []Failure
	if e.Scenario != nil && !scenarioMatches(plan, e.Scenario.Text, r.Scenario) {
		fails = append(fails, Failure{Pos: e.Scenario.Pos, What: "scenario", Want: e.Scenario.Text, Got: scenarioText(plan, r.Scenario)})
	}
	if e.ActionsPos != nil {
		ok := len(e.Actions) == len(r.Actions)
		for i := 0; ok && i < len(e.Actions); i++ {
			ok = actionMatches(e.Actions[i], r.Actions[i])
		}
		if !ok {
			var want, got []string
			for _, a := range e.Actions {
				want = append(want, expectText(a))
			}
			for _, o := range r.Actions {
				got = append(got, ActionText(o))
			}
			fails = append(fails, Failure{Pos: *e.ActionsPos, What: "actions", Want: listText(want), Got: listText(got)})
		}
	}
	reply := r.Reply
	if !r.ReplySent {
		reply = ""
	}
	for _, v := range e.ReplyContains {
		if !strings.Contains(strings.ToLower(reply), strings.ToLower(v.Text)) {
			fails = append(fails, Failure{Pos: v.Pos, What: "reply_contains", Want: strconv.Quote(v.Text), Got: replyText(r)})
		}
	}
	for _, v := range e.ReplyOmits {
		if strings.Contains(strings.ToLower(reply), strings.ToLower(v.Text)) {
			fails = append(fails, Failure{Pos: v.Pos, What: "reply_omits", Want: "no " + strconv.Quote(v.Text), Got: replyText(r)})
		}
	}
	if e.NoReply != nil {
		want := e.NoReply.Text == "true"
		if want == r.ReplySent {
			wantText := "a reply"
			if want {
				wantText = "no reply"
			}
			fails = append(fails, Failure{Pos: e.NoReply.Pos, What: "no_reply", Want: wantText, Got: replyText(r)})
		}
	}
	for _, f := range e.Fields {
		name := fieldName(plan.Workspace, f.Name)
		if got := after.Fields[name]; got != f.Value {
			fails = append(fails, Failure{Pos: f.Pos, What: "fields." + f.Name, Want: strconv.Quote(f.Value), Got: strconv.Quote(got)})
		}
	}
	if e.Lifecycle != nil && e.Lifecycle.Text != after.Lifecycle {
		fails = append(fails, Failure{Pos: e.Lifecycle.Pos, What: "lifecycle", Want: strconv.Quote(e.Lifecycle.Text), Got: strconv.Quote(after.Lifecycle)})
	}
	for _, tag := range e.Tags {
		if !slices.Contains(after.Tags, tag.Text) {
			fails = append(fails, Failure{Pos: tag.Pos, What: "tags", Want: "tag " + strconv.Quote(tag.Text), Got: listText(after.Tags)})
		}
	}
	return fails
}

func replyText(r runtime.TurnResult) string {
	if !r.ReplySent {
		if r.ReplyReason != "" {
			return "no reply (" + r.ReplyReason + ")"
		}
		return "no reply"
	}
	return strconv.Quote(r.Reply)
}
