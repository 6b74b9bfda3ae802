package runtime

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/stdlib"
)

// MaxCommentLength is the hosted platforms' limit on an internal comment,
// in characters; longer comments are cut to it.
const MaxCommentLength = 2000

// run executes the chosen scenario's actions in order. The first failure
// stops the chain: every later action is skipped, so a chain is never left
// half-done silently. Each action's outcome is recorded with its effect in
// one transaction (TurnTx.Apply); an action an earlier attempt recorded is
// not run again, its recorded outcome stands. An error (the backend failed,
// the lock was lost, the turn timed out) stops the turn without committing
// it: a redelivery goes on from the first action not recorded.
func (t *turn) run(ctx context.Context) error {
	if t.sc == nil {
		return nil
	}
	if len(t.recorded) == 0 {
		if missing := t.missingInputs(); len(missing) > 0 {
			// The scenario collects these before it acts: the chain does
			// not start, and the reply asks for them.
			t.waitingFor = missing
			for _, a := range t.sc.s.Actions {
				t.res.Actions = append(t.res.Actions, ActionOutcome{Action: a, Status: Skipped,
					Reason: "waiting for the contact to give " + strings.Join(missing, ", ")})
			}
			return nil
		}
	}
	done := make(map[int]StepRecord, len(t.recorded))
	for _, r := range t.recorded {
		done[r.Index] = r
	}
	closed := false
	failedAt := -1
	for i, a := range t.sc.s.Actions {
		if failedAt >= 0 {
			t.res.Actions = append(t.res.Actions, ActionOutcome{Action: a, Status: Skipped,
				Reason: fmt.Sprintf("step %d (%s) failed, so this step did not run", failedAt+1, t.sc.s.Actions[failedAt].Kind)})
			continue
		}
		var out ActionOutcome
		if r, ok := done[i]; ok {
			out = r.Outcome(a)
			t.res.Resumed++
		} else {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("the turn was stopped before step %d: %w", i+1, err)
			}
			var err error
			if out, err = t.tracedStep(ctx, i, a, closed); err != nil {
				return fmt.Errorf("step %d (%s): %w", i+1, a.Kind, err)
			}
		}
		t.saw(out)
		if out.Status == Failed {
			failedAt = i
		} else {
			switch a.Kind {
			case ir.KindClose:
				closed = true
			case ir.KindUnassign:
				t.unassigned = true
			}
		}
		t.res.Actions = append(t.res.Actions, out)
	}
	return nil
}

// saw keeps the turn's view of the contact up to date with what one of
// its steps wrote, recorded by an earlier attempt or run now: the view is
// the contact as of the turn's message (TurnTx.Contact) plus the turn's own
// writes, which is what a later step of the chain reads (a call's inputs),
// whatever later messages wrote meanwhile.
func (t *turn) saw(out ActionOutcome) {
	if out.Status != OK {
		return
	}
	switch out.Action.Kind {
	case ir.KindUpdateFields:
		f := maps.Clone(t.contact.Fields)
		if f == nil {
			f = map[string]string{}
		}
		maps.Copy(f, out.Values)
		t.contact.Fields = f
	case ir.KindUpdateLifecycle:
		t.contact.Lifecycle = out.Action.Stage
	case ir.KindUpdateTags:
		t.contact.Tags = applyTags(slices.Clone(t.contact.Tags), out.Action.Add, out.Action.Remove)
	}
}

// step runs action i and records its outcome with its effect. An error is
// the backend's: nothing of the step was written.
func (t *turn) step(ctx context.Context, i int, a ir.Action, closed bool) (ActionOutcome, error) {
	out := ActionOutcome{Action: a, Status: OK}
	var eff Effect
	var err error
	if closed && touchesConversation(a.Kind) {
		err = errors.New("the conversation was closed by an earlier step and the agent does not reopen it")
	} else {
		eff, err = t.effect(ctx, i, a, &out)
	}
	if _, stop := err.(turnStopped); stop {
		return out, err
	}
	if err != nil {
		// A call's response stays: the reply may use what the API
		// answered with an error status.
		out.Status, out.Reason = Failed, err.Error()
		out.Values, out.Assignee, out.ClosingNote = nil, nil, ""
		eff = Effect{}
	}
	s := Step{Index: i, Action: a, Effect: eff, Record: record(i, out)}
	if i == 0 {
		s.Record.Choice = t.choice()
	}
	rec, err := t.tx.Apply(ctx, s)
	if errors.Is(err, ErrNoMembers) {
		out = ActionOutcome{Action: a, Status: Failed, Reason: fmt.Sprintf("team %s has no members to assign the conversation to", eff.Team)}
		s.Effect, s.Record = Effect{}, record(i, out)
		if i == 0 {
			s.Record.Choice = t.choice()
		}
		rec, err = t.tx.Apply(ctx, s)
	}
	if err != nil {
		return out, err
	}
	return rec.Outcome(a), nil
}

// touchesConversation reports whether an action would change the
// conversation's assignment or status, which a closed conversation forbids.
func touchesConversation(kind string) bool {
	return kind == ir.KindAssign || kind == ir.KindUnassign || kind == ir.KindClose
}

// effect works out what action i writes (a call runs here: its request is
// the effect). An error fails the action with the error as the reason.
func (t *turn) effect(ctx context.Context, i int, a ir.Action, out *ActionOutcome) (Effect, error) {
	convID, contactID := t.in.ConversationID, t.in.ContactID
	eff := Effect{Kind: a.Kind}
	switch a.Kind {
	case ir.KindClose:
		note := a.ClosingNote
		if note == "" {
			note = t.modelNote
		}
		var summary string
		if a.WantsSummary() {
			summary = t.summary(a)
		}
		eff.Closing = Closing{Note: note, Summary: summary}
		out.ClosingNote = note
	case ir.KindAssign:
		if a.Target == nil {
			return eff, errors.New("the assignment has no target")
		}
		switch a.Target.Type {
		case ir.TargetTeam:
			eff.Team, eff.Method = a.Target.Name, a.Method
			if eff.Method == "" {
				eff.Method = ir.MethodRoundRobin
			}
			if eff.Method != ir.MethodRoundRobin && eff.Method != ir.MethodLeastOpen {
				return eff, fmt.Errorf("unknown assignment method %q", eff.Method)
			}
		case ir.TargetUser, ir.TargetAIAgent:
			as := Assignee{Type: a.Target.Type, Name: a.Target.Name}
			eff.Assignee, out.Assignee = &as, &as
		default:
			return eff, fmt.Errorf("assignee type %q is not team, user or ai_agent", a.Target.Type)
		}
	case ir.KindUnassign:
	case ir.KindUpdateFields:
		values, err := t.fieldValues(a)
		if err != nil {
			return eff, err
		}
		eff.Fields, out.Values = values, values
	case ir.KindUpdateLifecycle:
		eff.Stage = a.Stage
	case ir.KindUpdateTags:
		eff.AddTags, eff.RemoveTags = a.Add, a.Remove
	case ir.KindAddComment:
		text := strings.TrimSpace(a.Text)
		if text == "" {
			return eff, errors.New("the comment has no text")
		}
		eff.Comment = &Comment{ConversationID: convID, Text: truncate(text, MaxCommentLength), Mentions: a.Mentions}
	case ir.KindTriggerWorkflow:
		eff.Workflow = &WorkflowEvent{ConversationID: convID, ContactID: contactID, Workflow: a.Workflow}
	case ir.KindCall:
		return Effect{}, t.call(ctx, i, a, out)
	default:
		return eff, fmt.Errorf("action kind %q is not supported by this runtime", a.Kind)
	}
	return eff, nil
}

// missingInputs lists what a scenario that collects information before it
// acts ("collect their postcode and save it as Postcode") still needs: the
// fields whose value is neither in the plan, nor given by the model, nor
// found in the message by the field's extractor (stdlib.ExtractField: a
// typed value, or a text field's value inside the sentence, "a refund for
// order MD-1234"). Fields collected under one description ("their work
// email and company size") are asked for once, and only the part still
// missing when the contact gave the others.
func (t *turn) missingInputs() []string {
	if len(t.sc.s.Collect) == 0 {
		return nil
	}
	type want struct {
		from    string
		missing bool
		name    string
		typ     string
	}
	var all []want
	for _, a := range t.sc.s.Actions {
		if a.Kind != ir.KindUpdateFields {
			continue
		}
		for _, f := range a.Fields {
			fs := resolveField(t.e.plan.Workspace, f)
			if f.Value != "" {
				continue
			}
			given := t.givenFields[fs.Name] != ""
			if !given {
				_, given = t.valueIn(fs, t.in.Text)
			}
			all = append(all, want{from: f.From, missing: !given, name: fs.Name, typ: fs.Type})
		}
	}
	var missing []string
	for i, w := range all {
		if !w.missing {
			continue
		}
		// The author's description is in the plan's language: a turn in
		// the other language names the field in its own words instead
		// ("votre adresse e-mail"), so that the question does not mix
		// languages.
		label := stdlib.FieldLabel(t.res.Language, w.name, w.typ)
		what := w.from
		if what == "" || t.res.Language != t.e.lang {
			what = label
		} else {
			var group []int
			partial := false
			for j, o := range all {
				if o.from == w.from {
					group = append(group, j)
					partial = partial || !o.missing
				}
			}
			if partial {
				what = label
				if parts, ok := splitCollect(w.from, len(group)); ok {
					what = parts[slices.Index(group, i)]
				}
			}
		}
		if w.name == t.retry && t.res.Language == t.e.lang {
			// The answer given did not fit: say the shape it must have.
			if format, ok := t.e.field(fieldSpec{Name: w.name, Type: stdlib.TypeText}).Format(); ok {
				what += " (" + format + ")"
			}
		}
		if !slices.Contains(missing, what) {
			missing = append(missing, what)
		}
	}
	return missing
}

// fieldValues computes every value of an update_fields action before any is
// written, so that one invalid value writes none of them: a literal from the
// plan, else the model's value, else what the field's extractor finds in the
// message. Every value is validated against the field's type. When one
// clause saves several fields from the conversation ("save them as phone and
// Email"), the fields the contact gave are written and the others left
// alone; the action fails only when none was given.
func (t *turn) fieldValues(a ir.Action) (map[string]string, error) {
	values := make(map[string]string, len(a.Fields))
	var missing []string
	for _, f := range a.Fields {
		fs := resolveField(t.e.plan.Workspace, f)
		raw := f.Value
		if raw == "" {
			raw = t.givenFields[fs.Name]
		}
		if raw == "" {
			v, ok := stdlib.AnswerField(t.e.field(fs), t.in.Text, t.now, t.e.locale)
			if !ok {
				missing = append(missing, fmt.Sprintf("no %s value for field %s", describeType(fs.Type), fs.Name))
				continue
			}
			raw = v
		}
		ff := t.e.field(fs)
		if f.Value != "" {
			ff.Instructions = "" // the plan's literal, checked by the compiler
		}
		v, err := stdlib.ValidateField(ff, raw, t.e.locale)
		if err != nil {
			return nil, fmt.Errorf("field %s: %q is not a valid %s: %v", fs.Name, raw, describeType(fs.Type), err)
		}
		values[fs.Name] = v
	}
	if len(values) == 0 {
		return nil, fmt.Errorf("%s was found in the message", strings.Join(missing, " and "))
	}
	return values, nil
}

func describeType(typ string) string {
	switch typ {
	case "list":
		return "option"
	case "checkbox":
		return "yes/no"
	case "url":
		return "URL"
	}
	return typ
}

// summary returns the close summary: the model's when it wrote one, else a
// digest of the last messages (HistoryLimit, the current one included).
func (t *turn) summary(a ir.Action) string {
	if t.modelSum != "" {
		return t.modelSum
	}
	msgs := append(append([]Message(nil), t.in.History...), Message{Role: RoleContact, Text: t.in.Text})
	if n := t.e.opts.HistoryLimit; len(msgs) > n {
		msgs = msgs[len(msgs)-n:]
	}
	var b strings.Builder
	if a.SummaryGuidance != "" {
		b.WriteString("Summary (" + a.SummaryGuidance + ") of the last messages:\n")
	} else {
		b.WriteString("Summary of the last messages:\n")
	}
	for _, m := range msgs {
		role := "Contact"
		if m.Role == RoleAgent {
			role = "Agent"
		}
		b.WriteString(role + ": " + truncate(strings.Join(strings.Fields(m.Text), " "), 200) + "\n")
	}
	return truncate(strings.TrimRight(b.String(), "\n"), MaxCommentLength)
}

// truncate cuts s to at most n characters, on a rune boundary.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
