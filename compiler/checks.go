package compiler

import (
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/instrc/instrc/grammar"
	"github.com/instrc/instrc/ir"
)

// Platform limits (docs/language.md).
const (
	MaxChain         = 3
	MaxCommentLength = 2000
	MaxFileLength    = 10000
)

// check is the second stage: the rules of the hosted platforms, per step,
// per chain, across scenarios and for the whole file.
func (c *checker) check() {
	for _, s := range c.scenarios {
		c.checkSteps(s)
		c.checkChain(s)
		c.checkPhrases(s)
		c.checkTemplates(s)
		c.checkUnread(s)
	}
	c.checkFileUnread()
	c.checkScenarios()
	c.checkWorkflows()
	c.checkFile()
}

func presenceIn(st *grammar.Step) bool {
	return len(grammar.Presence.Find(st.Args)) > 0
}

func (c *checker) checkSteps(s *scenario) {
	src := c.file.Source
	for _, st := range s.steps {
		a := st.ast
		if a.Negated {
			// "Do not reopen closed conversations", "never delete the
			// contact": forbidding what the agent cannot do asks for
			// nothing. Names a prohibition gives are checked by resolve.
			continue
		}
		switch a.Kind {
		case grammar.StepReopen:
			c.errorf(a.Range, "", "reopen")
		case grammar.StepCreate:
			c.errorf(a.Range, "", "create", c.subject(a.Subject))
		case grammar.StepDelete:
			c.errorf(a.Range, "", "delete", c.subject(a.Subject))
		case grammar.StepSchedule:
			c.errorf(a.Range, "", "scheduled-step", string(src.Text[a.Range.Start.Offset:a.Range.End.Offset]))
		case grammar.StepAssign:
			for _, m := range grammar.Presence.Find(a.Args) {
				c.errorf(src.Range(m.Start, m.End), "", "presence-unsupported", string(src.Text[m.Start:m.End]))
			}
			if a.Method == ir.MethodRoundRobin {
				if len(st.targets) > 1 || len(a.Names) > 1 {
					c.errorf(a.Range, "", "round-robin-teams", max(len(st.targets), len(a.Names)))
				} else {
					for _, t := range st.targets {
						if t.kind != ir.TargetTeam {
							c.errorf(t.rng, "", "round-robin-user", t.name, c.targetKind(t.kind))
						}
					}
				}
			}
		case grammar.StepComment:
			if n := utf8.RuneCountInString(a.Text); n > MaxCommentLength {
				c.warnf(a.TextRange, "comment-too-long", n)
			}
		}
		if a.Kind != grammar.StepReply && a.Kind != grammar.StepComment && a.Kind != grammar.StepSchedule {
			for _, m := range grammar.Timing.Find(a.Args) {
				c.errorf(src.Range(m.Start, m.End), "", "scheduled-action", string(src.Text[m.Start:m.End]))
			}
		}
	}
}

func (c *checker) subject(s string) string {
	switch s {
	case "field":
		return phrase(c.lang, "contact fields", "de champs de contact")
	case "stage":
		return phrase(c.lang, "lifecycle stages", "d'étapes du cycle de vie")
	case "note":
		return phrase(c.lang, "closing notes", "de notes de clôture")
	case "tag":
		return phrase(c.lang, "tags", "de tags")
	case "team":
		return phrase(c.lang, "teams", "d'équipes")
	}
	return phrase(c.lang, "workspace objects", "d'objets de l'espace de travail")
}

func (c *checker) targetKind(k string) string {
	switch k {
	case ir.TargetUser:
		return phrase(c.lang, "a user", "un utilisateur")
	case ir.TargetAIAgent:
		return phrase(c.lang, "an AI agent", "un agent IA")
	}
	return phrase(c.lang, "a team", "une équipe")
}

// actionSteps are the steps that become actions, in order.
func (s *scenario) actionSteps() []*step {
	var out []*step
	for _, st := range s.steps {
		if st.ast.Kind.IsAction() && !st.ast.Negated {
			out = append(out, st)
		}
	}
	return out
}

func (c *checker) checkChain(s *scenario) {
	acts := s.actionSteps()
	src := c.file.Source
	if len(acts) > MaxChain {
		c.errorf(src.Range(acts[MaxChain].ast.Range.Start.Offset, acts[len(acts)-1].ast.Range.End.Offset), "", "chain-too-long", len(acts))
	}
	if len(acts) > 0 && len(s.ast.Conditions) == 0 {
		c.warnf(acts[0].ast.Range, "unconditional-action")
	}
	var assigns []*step
	var unassign *step
	var stages []*step
	fields := map[string]bool{}
	added, removed := map[string]bool{}, map[string]bool{}
	for _, st := range acts {
		switch st.ast.Kind {
		case grammar.StepAssign:
			assigns = append(assigns, st)
			if len(assigns) == 2 {
				c.errorf(st.ast.Range, "", "two-assignments", c.describeTarget(assigns[0]), c.describeTarget(st))
			}
			if unassign != nil {
				c.errorf(st.ast.Range, "", "assign-and-unassign")
			}
		case grammar.StepUnassign:
			if len(assigns) > 0 {
				c.errorf(st.ast.Range, "", "assign-and-unassign")
			}
			unassign = st
		case grammar.StepLifecycle:
			stages = append(stages, st)
			if len(stages) == 2 {
				c.errorf(st.ast.Range, "", "two-stages", c.describeNames(stages[0]), c.describeNames(st))
			}
		case grammar.StepSave:
			for _, n := range st.names {
				if fields[n.name] {
					c.errorf(n.rng, "", "field-twice", n.name)
				}
				fields[n.name] = true
			}
		case grammar.StepAddTag, grammar.StepRemoveTag:
			mine, other := added, removed
			if st.ast.Kind == grammar.StepRemoveTag {
				mine, other = removed, added
			}
			for _, n := range st.names {
				if other[n.name] {
					c.errorf(n.rng, "", "tag-add-remove", n.name)
				}
				mine[n.name] = true
			}
		}
	}
	// A reply and an unassign in one chain: the reply goes out after
	// every action, and none goes out once the conversation is
	// unassigned, whichever order the steps are written in.
	seenUnassign, unassigns := false, false
	for _, st := range s.steps {
		if st.ast.Kind == grammar.StepUnassign && !st.ast.Negated {
			unassigns = true
		}
	}
	for _, st := range s.steps {
		if st.ast.Kind == grammar.StepUnassign && !st.ast.Negated {
			seenUnassign = true
		}
		if unassigns && st.ast.Kind == grammar.StepReply && !st.ast.Negated {
			id := "reply-after-unassign"
			if !seenUnassign {
				id = "reply-before-unassign"
			}
			c.errorf(st.ast.Range, "", id)
		}
	}
	// assign, then collect or save
	for i, st := range s.steps {
		if st.ast.Kind != grammar.StepAssign || st.ast.Negated {
			continue
		}
		for _, later := range s.steps[i+1:] {
			if later.ast.Kind == grammar.StepSave || later.ast.Kind == grammar.StepCollect {
				what := phrase(c.lang, "collects "+strings.TrimSpace(later.ast.Text), "collecter "+strings.TrimSpace(later.ast.Text))
				if later.ast.Kind == grammar.StepSave {
					what = phrase(c.lang, "saves "+c.describeNames(later), "d'enregistrer "+c.describeNames(later))
				}
				c.warnf(st.ast.Range, "assign-before-collect", what)
				break
			}
		}
	}
}

func (c *checker) describeTarget(st *step) string {
	if len(st.targets) > 0 {
		return "@" + st.targets[0].name
	}
	if len(st.ast.Names) > 0 {
		return "@" + st.ast.Names[0].Text
	}
	return "?"
}

func (c *checker) describeNames(st *step) string {
	var out []string
	for _, n := range st.names {
		out = append(out, fmt.Sprintf("%q", n.name))
	}
	if len(out) == 0 {
		for _, n := range st.ast.Names {
			out = append(out, fmt.Sprintf("%q", n.Text))
		}
	}
	return strings.Join(out, ", ")
}

// checkPhrases reports hedges anywhere in a scenario, and conditions on
// presence or on the time of day, which the agent cannot check.
func (c *checker) checkPhrases(s *scenario) {
	src := c.file.Source
	for _, cond := range s.ast.Conditions {
		for _, m := range grammar.PresenceOf.Find(cond.Tokens) {
			if !leads(cond.Tokens, m.Start) {
				continue // "asks whether someone is available" is a topic
			}
			c.errorf(src.Range(m.Start, m.End), "", "presence-condition", string(src.Text[m.Start:m.End]))
		}
		for _, m := range grammar.TimeOfDay(cond.Tokens) {
			c.errorf(src.Range(m.Start, m.End), "", "scheduled-condition", string(src.Text[m.Start:m.End]))
		}
	}
	for _, m := range grammar.Hedges.Find(s.ast.Tokens) {
		c.warnf(src.Range(m.Start, m.End), "vague-instruction", string(src.Text[m.Start:m.End]))
	}
}

// leads reports whether offset off is within the first three tokens of a
// condition: what the condition is about, not what the contact talks about.
func leads(toks []grammar.Token, off int) bool {
	for i, t := range toks {
		if t.Start >= off {
			return i <= 2
		}
	}
	return false
}

// effect is what a scenario does, for comparing scenarios.
type effect struct {
	assign   string
	unassign bool
	stage    string
	close    bool
}

func (s *scenario) effect() effect {
	var e effect
	for _, st := range s.actionSteps() {
		switch st.ast.Kind {
		case grammar.StepAssign:
			if len(st.targets) > 0 {
				e.assign = st.targets[0].name
			}
		case grammar.StepUnassign:
			e.unassign = true
		case grammar.StepLifecycle:
			if len(st.names) > 0 {
				e.stage = st.names[0].name
			}
		case grammar.StepClose:
			e.close = true
		}
	}
	return e
}

// contradiction says how two scenarios' effects contradict, or "".
func (c *checker) contradiction(a, b effect) string {
	switch {
	case a.assign != "" && b.assign != "" && a.assign != b.assign:
		return phrase(c.lang, fmt.Sprintf("assigns to @%s instead of @%s", b.assign, a.assign), fmt.Sprintf("assigne à @%s au lieu de @%s", b.assign, a.assign))
	case (a.assign != "" && b.unassign) || (a.unassign && b.assign != ""):
		return phrase(c.lang, "one assigns and the other unassigns", "l'un assigne et l'autre désassigne")
	case a.stage != "" && b.stage != "" && a.stage != b.stage:
		return phrase(c.lang, fmt.Sprintf("sets the stage to %q instead of %q", b.stage, a.stage), fmt.Sprintf("met l'étape à %q au lieu de %q", b.stage, a.stage))
	case (a.close && b.assign != "") || (a.assign != "" && b.close):
		return phrase(c.lang, "one closes the conversation and the other assigns it", "l'un ferme la conversation et l'autre l'assigne")
	}
	return ""
}

// checkScenarios finds scenarios whose conditions are the same or nearly
// so and whose actions contradict. A condition's key is the set of its
// content words (stop words dropped, plurals folded); two conditions are
// nearly the same when their keys are equal or their Jaccard similarity is
// at least 0.8 (for keys of four words or more, one word more or less). Keys and their one-word deletions are hashed, so
// the check is linear in the number of scenarios rather than comparing every
// pair.
func (c *checker) checkScenarios() {
	type group struct {
		key     []string
		effects []effect
		lines   []int
	}
	// Keys are hashed as the sum of their words' hashes, so a key with one
	// word deleted is its sum minus that word's hash: no strings are built.
	seed := maphash.MakeSeed()
	groups := map[uint64]*group{}
	index := map[uint64][]uint64{} // deletion variant → full keys
	var variants []uint64
	for _, s := range c.scenarios {
		key := conditionKey(s)
		if len(key) == 0 {
			continue
		}
		var full uint64
		hashes := make([]uint64, len(key))
		for i, w := range key {
			hashes[i] = maphash.String(seed, w)
			full += hashes[i]
		}
		variants = append(variants[:0], full)
		if len(key) >= 4 {
			for _, h := range hashes {
				variants = append(variants, full-h)
			}
		}
		e := s.effect()
		var conflict *group
		var why string
		var line int
		consider := func(k uint64) {
			g := groups[k]
			if g == nil || (k != full && !similar(g.key, key)) {
				return
			}
			for i, other := range g.effects {
				if w := c.contradiction(other, e); w != "" && (conflict == nil || g.lines[i] < line) {
					conflict, why, line = g, w, g.lines[i]
				}
			}
		}
		for _, v := range variants {
			consider(v)
			for _, k := range index[v] {
				consider(k)
			}
		}
		if conflict != nil {
			r := s.ast.Range
			if len(s.ast.Conditions) > 0 {
				r = s.ast.Conditions[0].Range
			}
			c.warnf(r, "conflicting-scenarios", line, why)
		}
		g, ok := groups[full]
		if !ok {
			g = &group{key: key}
			groups[full] = g
			for _, v := range variants[1:] {
				// A variant shared by very many conditions ("the contact
				// has # employees" for every number) would make each lookup
				// scan them all; past a bound only exact matches count.
				if len(index[v]) < maxNearCandidates {
					index[v] = append(index[v], full)
				}
			}
		}
		if !slices.Contains(g.effects, e) {
			g.effects = append(g.effects, e)
			g.lines = append(g.lines, s.ast.Range.Start.Line)
		}
	}
}

var stopWords = grammar.StopWords

// conditionKey is the sorted set of content words of a scenario's
// conditions.
func conditionKey(s *scenario) []string {
	var out []string
	for _, cond := range s.ast.Conditions {
		for _, t := range cond.Tokens {
			for _, w := range strings.Fields(t.Fold) {
				w = strings.TrimSuffix(w, "s")
				if !stopWords[w] && w != "" {
					out = append(out, w)
				}
			}
			if t.Kind == grammar.KQuoted || t.Kind == grammar.KSigil || t.Kind == grammar.KNumber {
				out = append(out, t.Text)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// checkWorkflows compares assignments with the workspace's own automations.
// A workflow conflicts with a scenario when both would act on the same
// event and assign differently (or one unassigns): a workflow triggered on
// conversation_opened against a scenario for new conversations (or one with
// no condition); a workflow triggered by tag_added:<tag>,
// lifecycle_changed:<stage> or field_updated:<field> against a chain that
// does that and assigns elsewhere.
func (c *checker) checkWorkflows() {
	if c.ws == nil {
		return
	}
	for _, wf := range c.ws.Workflows {
		if wf.Trigger == "" || !strings.EqualFold(wf.Action, "assign") || wf.Target == "" {
			continue
		}
		for _, s := range c.scenarios {
			if !c.sameEvent(wf.Trigger, s) {
				continue
			}
			for _, st := range s.actionSteps() {
				var mine string
				switch {
				case st.ast.Kind == grammar.StepAssign && len(st.targets) > 0 && st.targets[0].name != wf.Target:
					mine = phrase(c.lang, "assigns to @"+st.targets[0].name, "assigne à @"+st.targets[0].name)
				case st.ast.Kind == grammar.StepUnassign:
					mine = phrase(c.lang, "unassigns the conversation", "désassigne la conversation")
				default:
					continue
				}
				did := phrase(c.lang, fmt.Sprintf("assigns to %q on %s", wf.Target, wf.Trigger), fmt.Sprintf("assigne à %q sur %s", wf.Target, wf.Trigger))
				c.warnf(st.ast.Range, "workflow-conflict", wf.Name.Name, did, mine)
			}
		}
	}
}

// sameEvent reports whether a workflow trigger fires on what a scenario
// reacts to or does.
func (c *checker) sameEvent(trigger string, s *scenario) bool {
	kind, arg, _ := strings.Cut(trigger, ":")
	kind, arg = strings.TrimSpace(kind), strings.TrimSpace(arg)
	switch kind {
	case "conversation_opened", "conversation_created", "new_conversation":
		if len(s.ast.Conditions) == 0 {
			return true
		}
		return s.opensConversation()
	case "tag_added":
		for _, st := range s.actionSteps() {
			if st.ast.Kind == grammar.StepAddTag && slices.ContainsFunc(st.names, func(r resolved) bool { return r.name == arg }) {
				return true
			}
		}
	case "lifecycle_changed", "stage_changed":
		for _, st := range s.actionSteps() {
			if st.ast.Kind == grammar.StepLifecycle && slices.ContainsFunc(st.names, func(r resolved) bool { return arg == "" || r.name == arg }) {
				return true
			}
		}
	case "field_updated":
		for _, st := range s.actionSteps() {
			if st.ast.Kind == grammar.StepSave && slices.ContainsFunc(st.names, func(r resolved) bool { return arg == "" || r.name == arg }) {
				return true
			}
		}
	}
	return false
}

func (c *checker) checkFile() {
	text := c.file.Source.Text
	n := utf8.RuneCount(text)
	if n <= MaxFileLength {
		return
	}
	off, count := 0, 0
	for off < len(text) && count < MaxFileLength {
		_, size := utf8.DecodeRune(text[off:])
		off += size
		count++
	}
	end := off
	for end < len(text) && text[end] != '\n' {
		end++
	}
	c.warnf(c.file.Source.Range(off, end), "file-too-long", n)
}

// checkTemplates reports contact fields in reply templates and comments
// that are not in the workspace: the placeholder would stay empty.
func (c *checker) checkTemplates(s *scenario) {
	if c.ws == nil {
		return
	}
	src := c.file.Source
	for _, st := range s.steps {
		a := st.ast
		if a.Kind != grammar.StepReply && a.Kind != grammar.StepComment && a.Kind != grammar.StepSchedule {
			continue
		}
		from, to := a.Range.Start.Offset, a.Range.End.Offset
		body := src.Text[from:to]
		for _, ref := range ir.TemplateRefs(string(body)) {
			name := ref.Field
			end := from + ref.FieldStart + len(name)
			start := from + ref.FieldStart
			if _, ok := c.ws.Field(name); ok {
				f, _ := c.ws.Field(name)
				c.ref(src.Range(start, end), "field", f.Name.Name, f.Name.Range)
				continue
			}
			names := c.ws.FieldNames()
			sug := nearest(name, names)
			c.errorf(src.Range(start, end), sug, "unknown-field", name, didYouMean(c.lang, sug, names))
		}
	}
}

// maxNearCandidates bounds how many conditions one near-match key indexes.
const maxNearCandidates = 32

// similar reports whether two sorted condition keys have a Jaccard
// similarity of at least 0.8.
func similar(a, b []string) bool {
	inter := 0
	for _, w := range a {
		if _, ok := slices.BinarySearch(b, w); ok {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	return union > 0 && float64(inter)/float64(union) >= 0.8
}
