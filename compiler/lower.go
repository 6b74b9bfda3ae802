package compiler

import (
	"fmt"
	"slices"
	"strings"

	"github.com/instrc/instrc/grammar"
	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/stdlib"
)

// lower is the last stage: scenarios become the plan. Steps whose names did
// not resolve are left out, so the plan of a file with errors is partial
// (and must not be run); everything in it uses the workspace's exact names.
func (c *checker) lower() *ir.Plan {
	p := &ir.Plan{Version: ir.Version, Language: c.file.Language, Guidance: []string{}, Scenarios: []ir.Scenario{}}
	for _, g := range c.file.Guidance {
		p.Guidance = append(p.Guidance, clean(g.Text))
	}
	if c.ws != nil {
		p.Workspace = c.ws.IR()
	}
	for _, s := range c.scenarios {
		if s.ast.Prohibition {
			continue // guidance, whose names were checked
		}
		ls := c.lowerScenario(len(p.Scenarios), s)
		if ls.Condition.Always && len(ls.Actions) == 0 {
			// Without a condition a scenario runs on every message: one
			// whose every action was left out for an error (reported, or
			// silenced by instrc-disable) would only reply, or keep
			// silent, on every message. It is left out with them.
			continue
		}
		p.Scenarios = append(p.Scenarios, ls)
	}
	return p
}

func (c *checker) lowerScenario(i int, s *scenario) ir.Scenario {
	out := ir.Scenario{
		ID:      fmt.Sprintf("s%d", i+1),
		Line:    s.ast.Range.Start.Line,
		Actions: []ir.Action{},
		Source:  clean(s.ast.Text),
	}
	out.Condition = ir.Condition{Text: clean(s.condTxt), Always: len(s.ast.Conditions) == 0 && !s.ast.Greeting, State: s.state, Fallback: s.fallback}
	switch {
	case s.answersNo != "" && asksAnythingElse(s.answersNo):
		// "If not, …" after "Ask if there's anything else": the "no"
		// of the contact is the topic, not the question's words.
		out.Condition.Intents, _ = c.conditionWords(phrase(c.lang, "the contact has nothing else to ask", "le contact n'a plus de questions"))
	case s.answersNo != "":
		// "Does the contact have an account? If not, …": the contact's
		// "no" to that question.
		out.Condition.Intents, _ = c.conditionWords(phrase(c.lang, "the contact says no", "le contact répond non"))
		_, out.Condition.Keywords = c.conditionWords(s.answersNo)
		out.Condition.Answers, out.Condition.Question = "no", clean(s.answersNo)
	case s.answersYes != "":
		// "… ? If so, …": an answer that speaks of what the question
		// asks about ("our workspace is acme.tasklane.io"). A bare "yes"
		// is no topic: it would fire every "If so" of the file.
		out.Condition.Intents, _ = c.conditionWords(phrase(c.lang, "the contact says yes", "le contact répond oui"))
		_, out.Condition.Keywords = c.conditionWords(s.answersYes)
		out.Condition.Answers, out.Condition.Question = "yes", clean(s.answersYes)
	case s.fallback, s.noWords:
		// Chosen when nothing else applies, or on its state alone: its
		// words are no topic.
	case s.condTxt != "":
		txt := s.condTxt
		if s.wordsTxt != "" {
			txt = s.wordsTxt
		}
		out.Condition.Intents, out.Condition.Keywords = c.conditionWords(txt)
		// A new conversation opens with the contact's first message, which
		// the matcher knows as a greeting: "when a conversation is opened"
		// is read as "starts the conversation" is.
		if s.opensConversation() && !slices.Contains(out.Condition.Intents, "greeting") {
			out.Condition.Intents = append(out.Condition.Intents, "greeting")
		}
	}
	var guidance []string
	unassigned := false
	for _, st := range s.steps {
		a := st.ast
		if a.Kind == grammar.StepCollect {
			if t := strings.TrimSpace(a.Text); t != "" {
				out.Collect = append(out.Collect, clean(t))
			}
			continue
		}
		if a.Kind == grammar.StepReply {
			// Every reply step of a chain is kept: "reply with a link to
			// the guide and offer a call" is one reply with both.
			switch {
			case a.Negated && noReply(a):
				out.Reply = &ir.Reply{None: true}
			case a.Negated:
				// "never share another customer's details": what the
				// reply must not say, as written.
				if out.Reply == nil || out.Reply.None {
					out.Reply = &ir.Reply{}
				}
				guidance = append(guidance, clean(c.stepText(a)))
				out.Reply.Guidance = strings.Join(guidance, "; ")
			case a.Template:
				if out.Reply == nil || out.Reply.None {
					out.Reply = &ir.Reply{}
				}
				out.Reply.Template = clean(a.Text)
			default:
				if out.Reply == nil || out.Reply.None {
					out.Reply = &ir.Reply{}
				}
				guidance = append(guidance, clean(a.Text))
				out.Reply.Guidance = strings.Join(guidance, "; ")
			}
			continue
		}
		if !a.Kind.IsAction() || a.Negated || !st.ok {
			continue
		}
		if act, ok := c.lowerAction(st); ok {
			if act.Kind == ir.KindUnassign {
				unassigned = true
			}
			out.Actions = append(out.Actions, act)
		}
	}
	if unassigned {
		// No reply goes out once the conversation is unassigned, even
		// one written before the unassign (reply-before-unassign): the
		// plan says so.
		out.Reply = &ir.Reply{None: true}
	}
	return out
}

func (c *checker) lowerAction(st *step) (ir.Action, bool) {
	a := st.ast
	switch a.Kind {
	case grammar.StepClose:
		summary := !a.NoSummary
		act := ir.Action{Kind: ir.KindClose, Summary: &summary, SummaryGuidance: clean(a.SummaryOf)}
		if len(st.names) > 0 {
			act.ClosingNote = st.names[0].name
		}
		return act, true
	case grammar.StepAssign:
		if len(st.targets) == 0 {
			return ir.Action{}, false
		}
		t := st.targets[0]
		act := ir.Action{Kind: ir.KindAssign, Target: &ir.Target{Type: t.kind, Name: t.name}, Method: a.Method}
		if t.kind == ir.TargetTeam && act.Method == "" {
			act.Method = ir.MethodRoundRobin
		}
		return act, true
	case grammar.StepUnassign:
		return ir.Action{Kind: ir.KindUnassign}, true
	case grammar.StepSave:
		if len(st.fields) == 0 {
			return ir.Action{}, false
		}
		return ir.Action{Kind: ir.KindUpdateFields, Fields: st.fields}, true
	case grammar.StepLifecycle:
		if len(st.names) == 0 {
			return ir.Action{}, false
		}
		return ir.Action{Kind: ir.KindUpdateLifecycle, Stage: st.names[0].name}, true
	case grammar.StepAddTag, grammar.StepRemoveTag:
		var names []string
		for _, n := range st.names {
			names = append(names, n.name)
		}
		if len(names) == 0 {
			return ir.Action{}, false
		}
		if a.Kind == grammar.StepAddTag {
			return ir.Action{Kind: ir.KindUpdateTags, Add: names}, true
		}
		return ir.Action{Kind: ir.KindUpdateTags, Remove: names}, true
	case grammar.StepComment:
		act := ir.Action{Kind: ir.KindAddComment, Text: clean(a.Text)}
		for _, n := range st.names {
			act.Mentions = append(act.Mentions, n.name)
		}
		return act, true
	case grammar.StepRun:
		if len(st.names) == 0 {
			return ir.Action{}, false
		}
		if st.isCall {
			return ir.Action{Kind: ir.KindCall, ActionName: st.names[0].name}, true
		}
		return ir.Action{Kind: ir.KindTriggerWorkflow, Workflow: st.names[0].name}, true
	}
	return ir.Action{}, false
}

// noReply reports whether a forbidden reply step forbids replying at all
// ("do not reply", "ne réponds pas", "don't send anything") rather than
// one thing to say ("never share another customer's details").
func noReply(a *grammar.Step) bool {
	if a.Template {
		return false
	}
	for _, t := range a.Args {
		switch t.Kind {
		case grammar.KWord, grammar.KNumber, grammar.KQuoted, grammar.KVar, grammar.KSigil:
			if !noReplyWords[t.Fold] {
				return false
			}
		}
	}
	return true
}

// noReplyWords may follow a forbidden reply verb without saying what not
// to say: "do not reply to the contact", "ne lui réponds rien".
var noReplyWords = map[string]bool{
	"to": true, "the": true, "contact": true, "customer": true, "client": true, "them": true, "him": true, "her": true, "anything": true, "at": true, "all": true, "a": true, "reply": true, "message": true, "back": true, "anymore": true, "again": true,
	"au": true, "le": true, "la": true, "lui": true, "leur": true, "rien": true, "jamais": true, "plus": true, "pas": true, "de": true, "du": true, "tout": true, "reponse": true, "une": true, "un": true,
}

// stepText is the source text of a step, with its negation.
func (c *checker) stepText(a *grammar.Step) string {
	return string(c.file.Source.Text[a.Range.Start.Offset:a.Range.End.Offset])
}

// opensConversation reports whether one of the scenario's conditions is
// the new-conversation event.
func (s *scenario) opensConversation() bool {
	for _, cond := range s.ast.Conditions {
		if len(grammar.ConversationOpened.Find(cond.Tokens)) > 0 {
			return true
		}
	}
	return false
}

// clean makes text from the source valid UTF-8 for the plan: invalid bytes
// (already reported as syntax errors) become U+FFFD.
func clean(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// conditionWords returns the stdlib intents and keywords of a condition,
// once per distinct text: files repeat their conditions.
func (c *checker) conditionWords(text string) ([]string, []string) {
	if c.words == nil {
		c.words = map[string][2][]string{}
	}
	if w, ok := c.words[text]; ok {
		return slices.Clone(w[0]), slices.Clone(w[1])
	}
	intents := readIntents(text, stdlib.ConditionIntents(c.file.Language, text))
	keywords := stdlib.Keywords(c.file.Language, text)
	c.words[text] = [2][]string{intents, keywords}
	return slices.Clone(intents), slices.Clone(keywords)
}
