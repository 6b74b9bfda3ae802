package compiler

import (
	"slices"
	"strings"

	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/grammar"
	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/workspace"
)

// Ref is one use of a workspace name in the instructions, resolved: what
// editors show on hover and jump to on go-to-definition.
type Ref struct {
	Range diag.Range
	// Kind is team, user, ai_agent, field, stage, closing_note, tag,
	// workflow or action.
	Kind string
	// Name is the workspace's exact name.
	Name string
	// Decl is where the name is declared in the workspace file.
	Decl diag.Range
}

// checker carries one compilation through its stages.
type checker struct {
	file *grammar.File
	ws   *workspace.Workspace
	lang string
	res  *Result
	// scenarios holds what resolve found for each scenario, in file order.
	scenarios []*scenario
	// words caches stdlib intents and keywords by condition text.
	words map[string][2][]string
}

// scenario is a parsed scenario with its resolved steps.
type scenario struct {
	ast     *grammar.Scenario
	steps   []*step
	state   []ir.StateCheck
	condTxt string
	// fallback: the scenario applies only when no other does.
	fallback bool
	// noWords: the condition's words are no topic to match (a negation).
	noWords bool
	// wordsTxt, when set, is the part of the condition whose words are
	// matched (the positive conditions of a scenario with a negated one).
	wordsTxt string
	// answersNo is the question whose "no" the scenario answers ("If
	// not, …" after "Ask if there's anything else").
	answersNo string
	// answersYes is the question whose "yes" the scenario answers ("Does
	// the contact have an account? If so, …").
	answersYes string
}

// step is a parsed step with its resolved names.
type step struct {
	ast     *grammar.Step
	targets []resolved // assign
	names   []resolved // fields, tags, stage, note, workflow
	fields  []ir.FieldUpdate
	ok      bool // every name resolved: the step can be lowered
	// isCall is set for a `!name` that is a custom action.
	isCall bool
}

// resolved is a name that was found in the workspace.
type resolved struct {
	name  string
	kind  string
	rng   diag.Range
	field *workspace.Field
}

func (c *checker) report(sev diag.Severity, r diag.Range, suggestion, id string, args ...any) {
	code, msg := text(c.lang, id, args...)
	c.res.Diagnostics = append(c.res.Diagnostics, diag.Diagnostic{Severity: sev, Code: code, Message: msg, Range: r, Suggestion: suggestion})
}

func (c *checker) errorf(r diag.Range, suggestion, id string, args ...any) {
	c.report(diag.Error, r, suggestion, id, args...)
}

func (c *checker) warnf(r diag.Range, id string, args ...any) {
	c.report(diag.Warning, r, "", id, args...)
}

// resolve is the first stage: every name in every step and condition is
// looked up in the workspace, exactly.
func (c *checker) resolve() {
	for _, sc := range c.file.Scenarios {
		s := &scenario{ast: sc}
		for _, st := range sc.Steps {
			s.steps = append(s.steps, c.resolveStep(st))
		}
		c.conditions(s)
		c.scenarios = append(c.scenarios, s)
	}
}

// match finds the workspace name an author's name refers to. A quoted name
// is taken whole; an unquoted one is the longest workspace name its words
// start with when that name ends at a boundary (see longestName); a
// workspace name followed by other words makes the whole phrase the name,
// unknown; when no workspace name fits, the name is its words up to the
// first function word.
func (c *checker) match(n *grammar.Name, names []string) (string, diag.Range, bool) {
	if n.Quoted || len(n.Words) == 0 {
		return n.Text, n.Range, slices.Contains(names, n.Text)
	}
	src := c.file.Source.Text
	k, ok := longestName(src, n.Words, names)
	if k == 0 && n.Sigil == 0 {
		// "to the team Service Client": a kind word before a name
		if kw := grammar.KindWords(n.Words); kw > 0 {
			if k2, ok2 := longestName(src, n.Words[kw:], names); ok2 {
				words := n.Words[kw:]
				return spell(src, words[:k2]), c.file.Source.Range(words[0].Start, words[k2-1].End), true
			}
		}
	}
	if k > 0 {
		end := n.Words[k-1].End
		name := spell(src, n.Words[:k])
		if ok && !slices.Contains(names, name) {
			name = possessive(name) // "@Sales Team's queue"
		}
		return name, c.file.Source.Range(n.Start, end), ok
	}
	return strings.Join(strings.Fields(n.Text), " "), n.Range, false
}

// longestName is the one matcher of unquoted multi-word names. It returns
// how many of words the longest workspace name they start with takes, and
// true, when that name ends at a boundary (grammar.EndsName: a function
// word, punctuation, the end, a word such as "now", or a keyword of the
// step such as "stage"). When the longest name is followed by any other
// word, the whole phrase up to the next boundary is the name, and it is
// not in the workspace: it returns that phrase's length and false. It
// returns 0 when the words start with no workspace name.
func longestName(src []byte, words []grammar.Token, names []string) (int, bool) {
	for k := len(words); k >= 1; k-- {
		cand := spell(src, words[:k])
		if !slices.Contains(names, cand) {
			// a possessive ends a name: "@Sales Team's queue"
			if p := possessive(cand); p != cand && slices.Contains(names, p) {
				return k, true
			}
			continue
		}
		if grammar.EndsName(words, k) {
			return k, true
		}
		end := k + 1
		for end < len(words) && !grammar.EndsName(words, end) {
			end++
		}
		return end, false
	}
	return 0, false
}

// possessive strips an English possessive from a name: "Sales Team's" is
// "Sales Team".
func possessive(name string) string {
	for _, suf := range []string{"'s", "’s"} {
		if strings.HasSuffix(name, suf) {
			return strings.TrimSuffix(name, suf)
		}
	}
	return name
}

// spell is the text of words as one name, spaces normalised.
func spell(src []byte, words []grammar.Token) string {
	return strings.Join(strings.Fields(string(src[words[0].Start:words[len(words)-1].End])), " ")
}

func (c *checker) ref(r diag.Range, kind, name string, decl diag.Range) {
	c.res.Refs = append(c.res.Refs, Ref{Range: r, Kind: kind, Name: name, Decl: decl})
}

func declOf(ns []workspace.Name, name string) diag.Range {
	for _, n := range ns {
		if n.Name == name {
			return n.Range
		}
	}
	return diag.Range{}
}

func (c *checker) resolveStep(st *grammar.Step) *step {
	if st.Negated {
		// A prohibition ("don't assign the conversation") is not an
		// action, but the names it gives are checked like any others:
		// "Never assign to @Sales Tem" is a misspelt team.
		if len(st.Names) == 0 {
			return &step{ast: st}
		}
		s := c.resolveNames(st)
		s.ok = false
		return s
	}
	return c.resolveNames(st)
}

func (c *checker) resolveNames(st *grammar.Step) *step {
	s := &step{ast: st, ok: true}
	if c.ws == nil {
		s.ok = false
		return s
	}
	switch st.Kind {
	case grammar.StepClose:
		for _, n := range st.Names {
			if n.Missing() {
				c.errorf(n.Range, "", "missing-note", available(c.lang, workspace.Names(c.ws.ClosingNotes)))
				s.ok = false
				continue
			}
			s.resolveIn(c, n, c.ws.ClosingNotes, "closing_note", "unknown-closing-note")
		}
	case grammar.StepAssign:
		c.resolveAssignees(s)
	case grammar.StepSave:
		c.resolveFields(s)
	case grammar.StepLifecycle:
		if len(st.Names) == 0 {
			c.errorf(st.Range, "", "missing-stage", available(c.lang, workspace.Names(c.ws.Stages)))
			s.ok = false
		}
		for _, n := range st.Names {
			if n.Implicit {
				if name, r, ok := c.match(n, workspace.Names(c.ws.Stages)); ok {
					s.names = append(s.names, resolved{name: name, kind: "stage", rng: r})
					c.ref(r, "stage", name, declOf(c.ws.Stages, name))
					continue
				}
				c.errorf(st.Range, "", "missing-stage", available(c.lang, workspace.Names(c.ws.Stages)))
				s.ok = false
				continue
			}
			s.resolveIn(c, n, c.ws.Stages, "stage", "unknown-stage")
		}
	case grammar.StepAddTag, grammar.StepRemoveTag:
		if len(st.Names) == 0 {
			c.errorf(st.Range, "", "missing-tag", available(c.lang, workspace.Names(c.ws.Tags)))
			s.ok = false
		}
		for _, n := range st.Names {
			s.resolveIn(c, n, c.ws.Tags, "tag", "unknown-tag")
		}
	case grammar.StepRun:
		c.resolveRun(s)
	case grammar.StepComment:
		c.resolveMentions(s)
	}
	return s
}

// resolveIn resolves n against one list of names, reporting an unknown
// name with the nearest one.
func (s *step) resolveIn(c *checker, n *grammar.Name, list []workspace.Name, kind, unknownID string) {
	names := workspace.Names(list)
	name, r, ok := c.match(n, names)
	if !ok {
		sug := nearest(name, names)
		c.errorf(r, sug, unknownID, name, didYouMean(c.lang, sug, names))
		s.ok = false
		return
	}
	s.names = append(s.names, resolved{name: name, kind: kind, rng: r})
	c.ref(r, kind, name, declOf(list, name))
}

func (c *checker) assignees() []string {
	var out []string
	for _, t := range c.ws.Teams {
		out = append(out, t.Name.Name)
	}
	out = append(out, workspace.Names(c.ws.Users)...)
	return append(out, workspace.Names(c.ws.AIAgents)...)
}

func (c *checker) resolveAssignees(s *step) {
	st := s.ast
	all := c.assignees()
	if len(st.Names) == 0 {
		if !presenceIn(st) {
			c.errorf(st.Range, "", "missing-assignee", available(c.lang, all))
		}
		s.ok = false
		return
	}
	for _, n := range st.Names {
		name, r, ok := c.match(n, all)
		if !ok {
			sug := nearest(name, all)
			c.errorf(r, sug, "unknown-assignee", name, didYouMean(c.lang, sug, all))
			s.ok = false
			continue
		}
		_, isTeam := c.ws.Team(name)
		isUser := slices.Contains(workspace.Names(c.ws.Users), name)
		isAgent := slices.Contains(workspace.Names(c.ws.AIAgents), name)
		switch {
		case isTeam && (isUser || isAgent):
			other := phrase(c.lang, "a user", "un utilisateur")
			if isAgent {
				other = phrase(c.lang, "an AI agent", "un agent IA")
			}
			c.errorf(r, "", "ambiguous-assignee", name, other)
			s.ok = false
		case isTeam:
			t, _ := c.ws.Team(name)
			s.targets = append(s.targets, resolved{name: name, kind: ir.TargetTeam, rng: r})
			c.ref(r, "team", name, t.Name.Range)
		case isUser:
			s.targets = append(s.targets, resolved{name: name, kind: ir.TargetUser, rng: r})
			c.ref(r, "user", name, declOf(c.ws.Users, name))
		case isAgent:
			s.targets = append(s.targets, resolved{name: name, kind: ir.TargetAIAgent, rng: r})
			c.ref(r, "ai_agent", name, declOf(c.ws.AIAgents, name))
		}
	}
}

func (c *checker) resolveFields(s *step) {
	st := s.ast
	names := c.ws.FieldNames()
	if len(st.Names) == 0 {
		c.errorf(st.Range, "", "missing-field", available(c.lang, workspace.Names(fieldNames(c.ws))))
		s.ok = false
		return
	}
	covered := -1
	for _, n := range st.Names {
		if n.Start < covered {
			continue // part of the previous name ("Terms and Conditions")
		}
		name, r, ok := c.match(n, names)
		if ok {
			covered = r.End.Offset
		}
		if !ok {
			if n.Implicit {
				sug := nearest(name, names)
				hint := available(c.lang, workspace.Names(fieldNames(c.ws)))
				if sug != "" {
					hint = didYouMean(c.lang, sug, nil)
				}
				c.errorf(st.Range, sug, "missing-field", hint)
				s.ok = false
				continue
			}
			sug := nearest(name, names)
			c.errorf(r, sug, "unknown-field", name, didYouMean(c.lang, sug, names))
			s.ok = false
			continue
		}
		f, _ := c.ws.Field(name)
		s.names = append(s.names, resolved{name: f.Name.Name, kind: "field", rng: r, field: f})
		c.ref(r, "field", f.Name.Name, f.Name.Range)
		s.fields = append(s.fields, ir.FieldUpdate{Name: f.Name.Name, ID: f.ID, Type: f.Type, From: clean(st.Object)})
	}
	// A literal value ("set the Budget field to 5000") is for one field.
	if st.Value != nil && len(s.fields) == 1 {
		v, ok := c.checkValue(s.names[0].field, st.Value.Text, st.Value.Range)
		if !ok {
			s.ok = false
		}
		s.fields[0].Value, s.fields[0].From = v, ""
	}
}

func fieldNames(ws *workspace.Workspace) []workspace.Name {
	out := make([]workspace.Name, len(ws.Fields))
	for i, f := range ws.Fields {
		out[i] = f.Name
	}
	return out
}

func (c *checker) resolveRun(s *step) {
	st := s.ast
	var all []string
	for _, w := range c.ws.Workflows {
		all = append(all, w.Name.Name)
	}
	for _, a := range c.ws.Actions {
		all = append(all, a.Name.Name)
	}
	if len(st.Names) == 0 {
		c.errorf(st.Range, "", "missing-workflow", available(c.lang, all))
		s.ok = false
		return
	}
	for _, n := range st.Names {
		name, r, ok := c.match(n, all)
		if !ok {
			sug := nearest(name, all)
			if n.Implicit {
				c.errorf(st.Range, sug, "missing-workflow", didYouMean(c.lang, sug, all))
			} else {
				c.errorf(r, sug, "unknown-workflow", name, didYouMean(c.lang, sug, all))
			}
			s.ok = false
			continue
		}
		if a, isAction := c.ws.Action(name); isAction {
			s.isCall = true
			s.names = append(s.names, resolved{name: name, kind: "action", rng: r})
			c.ref(r, "action", name, a.Name.Range)
			continue
		}
		w, _ := c.ws.Workflow(name)
		c.ref(r, "workflow", name, w.Name.Range)
		if !w.Published {
			c.errorf(r, "", "unpublished-workflow", name)
			s.ok = false
			continue
		}
		s.names = append(s.names, resolved{name: name, kind: "workflow", rng: r})
	}
}

func (c *checker) resolveMentions(s *step) {
	st := s.ast
	users := workspace.Names(c.ws.Users)
	all := c.assignees()
	for _, n := range st.Mentions {
		name, r, ok := c.match(n, all)
		if ok && slices.Contains(users, name) {
			s.names = append(s.names, resolved{name: name, kind: "user", rng: r})
			c.ref(r, "user", name, declOf(c.ws.Users, name))
			continue
		}
		if ok {
			if t, isTeam := c.ws.Team(name); isTeam {
				hint := ""
				if len(t.Members) > 0 {
					hint = phrase(c.lang, " such as ", " comme ") + `"` + t.Members[0] + `"`
				}
				c.errorf(r, "", "mention-team", name, hint)
				s.ok = false
				continue
			}
		}
		name2, r2, _ := c.match(n, users)
		sug := nearest(name2, users)
		c.errorf(r2, sug, "unknown-assignee", name2, didYouMean(c.lang, sug, users))
		s.ok = false
	}
}
