package runtime

import (
	"context"
	"errors"
	"fmt"
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
// half-done silently.
func (t *turn) run(ctx context.Context) {
	if t.sc == nil {
		return
	}
	if missing := t.missingInputs(); len(missing) > 0 {
		// The scenario collects these before it acts: the chain does not
		// start, and the reply asks for them.
		t.waitingFor = missing
		for _, a := range t.sc.s.Actions {
			t.res.Actions = append(t.res.Actions, ActionOutcome{Action: a, Status: Skipped,
				Reason: "waiting for the contact to give " + strings.Join(missing, ", ")})
		}
		return
	}
	closed := false
	failedAt := -1
	for i, a := range t.sc.s.Actions {
		if failedAt >= 0 {
			t.res.Actions = append(t.res.Actions, ActionOutcome{Action: a, Status: Skipped,
				Reason: fmt.Sprintf("step %d (%s) failed, so this step did not run", failedAt+1, t.sc.s.Actions[failedAt].Kind)})
			continue
		}
		out := ActionOutcome{Action: a, Status: OK}
		var err error
		if closed && touchesConversation(a.Kind) {
			err = errors.New("the conversation was closed by an earlier step and the agent does not reopen it")
		} else if cerr := ctx.Err(); cerr != nil {
			err = fmt.Errorf("the turn was cancelled: %w", cerr)
		} else {
			err = t.exec(ctx, a, &out)
		}
		if err != nil {
			// A call's response stays: the reply may use what the API
			// answered with an error status.
			out.Status, out.Reason = Failed, err.Error()
			out.Values, out.Assignee, out.ClosingNote = nil, nil, ""
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
}

// touchesConversation reports whether an action would change the
// conversation's assignment or status, which a closed conversation forbids.
func touchesConversation(kind string) bool {
	return kind == ir.KindAssign || kind == ir.KindUnassign || kind == ir.KindClose
}

func (t *turn) exec(ctx context.Context, a ir.Action, out *ActionOutcome) error {
	b := t.e.opts.Backend
	convID, contactID := t.in.ConversationID, t.in.ContactID
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
		if err := b.CloseConversation(ctx, convID, Closing{Note: note, Summary: summary}); err != nil {
			return backendErr(err)
		}
		out.ClosingNote = note
	case ir.KindAssign:
		return t.assign(ctx, a, out)
	case ir.KindUnassign:
		if err := b.Unassign(ctx, convID); err != nil {
			return backendErr(err)
		}
	case ir.KindUpdateFields:
		values, err := t.fieldValues(a)
		if err != nil {
			return err
		}
		if err := b.SetFields(ctx, contactID, values); err != nil {
			return backendErr(err)
		}
		out.Values = values
	case ir.KindUpdateLifecycle:
		if err := b.SetLifecycle(ctx, contactID, a.Stage); err != nil {
			return backendErr(err)
		}
	case ir.KindUpdateTags:
		if err := b.UpdateTags(ctx, contactID, a.Add, a.Remove); err != nil {
			return backendErr(err)
		}
	case ir.KindAddComment:
		text := strings.TrimSpace(a.Text)
		if text == "" {
			return errors.New("the comment has no text")
		}
		if err := b.AddComment(ctx, Comment{ConversationID: convID, Text: truncate(text, MaxCommentLength), Mentions: a.Mentions}); err != nil {
			return backendErr(err)
		}
	case ir.KindTriggerWorkflow:
		if err := b.TriggerWorkflow(ctx, WorkflowEvent{ConversationID: convID, ContactID: contactID, Workflow: a.Workflow}); err != nil {
			return backendErr(err)
		}
	case ir.KindCall:
		return t.call(ctx, a, out)
	default:
		return fmt.Errorf("action kind %q is not supported by this runtime", a.Kind)
	}
	return nil
}

func (t *turn) assign(ctx context.Context, a ir.Action, out *ActionOutcome) error {
	if a.Target == nil {
		return errors.New("the assignment has no target")
	}
	b := t.e.opts.Backend
	switch a.Target.Type {
	case ir.TargetTeam:
		method := a.Method
		if method == "" {
			method = ir.MethodRoundRobin
		}
		member, err := b.AssignMember(ctx, t.in.ConversationID, a.Target.Name, method)
		if errors.Is(err, ErrNoMembers) {
			return fmt.Errorf("team %s has no members to assign the conversation to", a.Target.Name)
		}
		if err != nil {
			return backendErr(err)
		}
		out.Assignee = &Assignee{Type: ir.TargetUser, Name: member, Team: a.Target.Name}
	case ir.TargetUser, ir.TargetAIAgent:
		as := Assignee{Type: a.Target.Type, Name: a.Target.Name}
		if err := b.Assign(ctx, t.in.ConversationID, as); err != nil {
			return backendErr(err)
		}
		out.Assignee = &as
	default:
		return fmt.Errorf("assignee type %q is not team, user or ai_agent", a.Target.Type)
	}
	return nil
}

// missingInputs lists what a scenario that collects information before it
// acts ("collect their postcode and save it as Postcode") still needs: the
// fields whose value is neither in the plan, nor given by the model, nor
// found by a typed extractor in the message. Free-text fields count as
// missing offline, since the whole message is not the answer to a question
// the agent has not asked yet.
func (t *turn) missingInputs() []string {
	if len(t.sc.s.Collect) == 0 {
		return nil
	}
	var missing []string
	for _, a := range t.sc.s.Actions {
		if a.Kind != ir.KindUpdateFields {
			continue
		}
		for _, f := range a.Fields {
			fs := resolveField(t.e.plan.Workspace, f)
			if f.Value != "" || t.givenFields[fs.Name] != "" {
				continue
			}
			if fs.Type != "text" {
				if _, ok := stdlib.ExtractWith(fs.Type, fs.Options, t.in.Text, t.now, t.e.locale); ok {
					continue
				}
			}
			what := f.From
			if what == "" {
				what = fs.Name
			}
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
			v, ok := stdlib.ExtractWith(fs.Type, fs.Options, t.in.Text, t.now, t.e.locale)
			if !ok {
				missing = append(missing, fmt.Sprintf("no %s value for field %s", describeType(fs.Type), fs.Name))
				continue
			}
			raw = v
		}
		v, err := stdlib.ValidateWith(fs.Type, fs.Options, raw, t.e.locale)
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

func backendErr(err error) error { return fmt.Errorf("the backend failed: %v", err) }

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
